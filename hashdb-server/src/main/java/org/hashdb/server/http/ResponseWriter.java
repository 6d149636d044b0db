package org.hashdb.server.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.stream.ChunkedNioFile;
import java.io.IOException;
import java.nio.file.Files;
import org.hashdb.server.ApiException;
import org.hashdb.server.api.ApiService;
import org.hashdb.server.api.FileBody;
import org.hashdb.server.logs.AccessLog;
import org.hashdb.server.metrics.ServerMetrics;

/**
 * Response writing: turns each {@link Answer} the dispatcher writes into HTTP messages (a full
 * response, a file streamed in chunks, or the JSON error body), with {@code Content-Length}
 * and, on HTTP/1.x, the {@code Connection} header; closes the connection after an answer that
 * does not keep it alive (on HTTP/2 that ends the stream only). The answer's promise completes
 * with its last write. Each answer counts its request as done (in-flight count, metrics, and
 * the access log line once its last byte is written). Flushes once per read batch, or when the
 * dispatcher flushes after asynchronous work. One instance per channel.
 */
final class ResponseWriter extends ChannelDuplexHandler {
  private static final System.Logger LOG = System.getLogger(ResponseWriter.class.getName());
  private static final int UNMATCHED = org.hashdb.server.api.Route.values().length;

  private final ServerMetrics metrics;
  private final InFlight inFlight;
  private final AccessRecord access;
  private boolean needsFlush;

  ResponseWriter(ServerMetrics metrics, InFlight inFlight, AccessLog access) {
    this.metrics = metrics;
    this.inFlight = inFlight;
    this.access = new AccessRecord(access);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof Answer a) {
      needsFlush = true;
      write(ctx, a, promise);
    } else {
      ctx.write(msg, promise);
    }
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    if (needsFlush) {
      needsFlush = false;
      ctx.flush();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.fireChannelReadComplete(); // the dispatcher answers first, then one flush for all
    flush(ctx);
  }

  private void write(ChannelHandlerContext ctx, Answer a, ChannelPromise promise) {
    ServerRequest r = a.request();
    Object body = a.body();
    int status;
    long responseBytes;
    if (body instanceof ApiException e) {
      body = errorBody(ctx, e);
    }
    if (body instanceof FullHttpResponse res) {
      status = res.status().code();
      responseBytes = res.content().readableBytes();
      HttpUtil.setContentLength(res, responseBytes);
      setConnection(ctx, res, r, a.keepAlive());
      ctx.write(res, promise);
    } else {
      FileBody fb = (FileBody) body;
      HttpResponse head = fb.head();
      status = head.status().code();
      ChunkedNioFile file;
      try {
        file = new ChunkedNioFile(fb.file().toFile());
        responseBytes = file.length();
      } catch (IOException e) {
        deleteQuietly(fb);
        promise.tryFailure(e);
        ctx.close(); // nothing written yet, but the request cannot be answered
        AccessLog.Entry failed = finish(ctx, r, 500, -1);
        if (failed != null) {
          failed.loggedWhen(null);
        }
        return;
      }
      setConnection(ctx, head, r, a.keepAlive());
      ctx.write(head);
      ctx.write(new HttpChunkedInput(file), promise);
      promise.addListener(f -> deleteQuietly(fb));
    }
    AccessLog.Entry entry = finish(ctx, r, status, responseBytes);
    if (!a.keepAlive()) {
      promise.addListener(ChannelFutureListener.CLOSE);
    }
    if (entry != null) {
      entry.loggedWhen(promise);
    }
  }

  /** {@code {"error":{"code","message"}}} with the status and its one optional header. */
  private static FullHttpResponse errorBody(ChannelHandlerContext ctx, ApiException e) {
    FullHttpResponse res = ApiService.json(ctx.alloc(), e.status(), g -> {
      g.writeStartObject();
      g.writeObjectFieldStart("error");
      g.writeStringField("code", e.code());
      g.writeStringField("message", e.getMessage());
      g.writeEndObject();
      g.writeEndObject();
    });
    if (e.headerName() != null) {
      res.headers().set(e.headerName(), e.headerValue());
    }
    return res;
  }

  /** HTTP/1.x only: an HTTP/2 stream has no connection header (the codec would drop it). */
  private static void setConnection(ChannelHandlerContext ctx, HttpResponse res,
      ServerRequest r, boolean keepAlive) {
    if (ctx.channel() instanceof Http2StreamChannel) {
      return;
    }
    if (!keepAlive) {
      res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (r.http.protocolVersion() == HttpVersion.HTTP_1_0) {
      res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
  }

  /**
   * Counts {@code r} as answered with {@code status} and a body of {@code responseBytes}.
   * Returns its access log entry, for the caller to hand the response's write to, or null
   * (access log off, or the request was already counted).
   */
  private AccessLog.Entry finish(ChannelHandlerContext ctx, ServerRequest r, int status,
      long responseBytes) {
    if (!r.counted) {
      return null;
    }
    r.counted = false;
    inFlight.end();
    metrics.recordRequest(r.route == null ? UNMATCHED : r.route.ordinal(), status,
        System.nanoTime() - r.startNanos);
    access.begin(ctx.channel(), r.http);
    if (r.key != null) {
      access.authenticated(r.key.id());
    }
    return access.finish(ctx.channel(), r.startNanos, r.route, status, r.bodyBytes,
        responseBytes);
  }

  static void deleteQuietly(FileBody fb) {
    if (fb.deleteAfter()) {
      try {
        Files.deleteIfExists(fb.file());
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "could not delete " + fb.file() + ": " + e);
      }
    }
  }
}
