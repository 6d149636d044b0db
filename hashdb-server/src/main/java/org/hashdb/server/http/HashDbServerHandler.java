package org.hashdb.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hashdb.server.ServerConfig;
import org.hashdb.server.ApiException;
import org.hashdb.server.api.ApiRequest;
import org.hashdb.server.api.ApiService;
import org.hashdb.server.api.FileBody;
import org.hashdb.server.api.ImportJob;
import org.hashdb.server.api.Route;
import org.hashdb.server.logs.AccessLog;
import org.hashdb.server.auth.ApiKey;

/**
 * The last stage: dispatches each {@link ServerRequest} to the API and writes its answer, one
 * request at a time and in order. The stages before it did everything else (deadlines,
 * protocol checks, routing and key, budgets, body); a refused request arrives with its error,
 * which goes out through {@link #sendError}. A request that arrives while a worker answers the
 * previous one, or while the channel is not writable (back-pressure), waits in {@link #queued};
 * reading pauses meanwhile ({@link ReadGate}), so pipelined responses keep request order and
 * memory stays bounded. Imports are the one body that passes through: it is streamed to its
 * worker, pausing reading when the worker falls behind. Every answered request is counted in
 * the metrics and, when the access log is on, logged once its last byte is written
 * ({@link #finishRequest}). Not sharable: one instance per channel.
 */
public final class HashDbServerHandler extends ChannelInboundHandlerAdapter {
  private static final System.Logger LOG = System.getLogger(HashDbServerHandler.class.getName());
  private static final int UNMATCHED = Route.values().length;
  /** Body bytes read and thrown away after an early answer before the connection is closed. */
  static final long DISCARD_BUDGET = 64L << 20;

  private enum Phase {
    /** Waiting for a request. */
    IDLE,
    /** Streaming an import's body to its worker. */
    STREAM,
    /** Answered early (an error): discarding the rest of the current request. */
    DISCARD,
    /** The request is complete; a worker is answering it. */
    WAIT,
    /** A response that closes the connection was written: ignore everything. */
    CLOSING
  }

  private final ApiService api;
  private final InFlight inFlight;
  private final AccessRecord access;

  private ChannelHandlerContext ctx;
  private ReadGate gate;
  private Phase phase = Phase.IDLE;
  private final ArrayDeque<Object> queued = new ArrayDeque<>(); // held back, in order
  private boolean needsFlush;
  private ChannelFuture lastWrite; // the last response written, to close after it

  // the current request
  private ServerRequest current;
  private int routeIndex;
  private boolean keepAlive;
  private boolean counted; // inFlight.begin() called, end() pending
  private long discarded;
  private ImportJob importJob;

  HashDbServerHandler(ApiService api, InFlight inFlight, AccessLog access) {
    this.api = api;
    this.inFlight = inFlight;
    this.access = new AccessRecord(access);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.gate = ReadGate.of(ctx.channel());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (phase == Phase.CLOSING) {
      BodyAggregator.releaseQuietly(msg);
      return;
    }
    if (phase == Phase.WAIT || !queued.isEmpty()
        || (msg instanceof ServerRequest && !ctx.channel().isWritable())) {
      queued.add(msg);
      return;
    }
    process(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    flushIfNeeded();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().isWritable() && phase != Phase.WAIT) {
      drainQueue();
      flushIfNeeded();
    }
    super.channelWritabilityChanged(ctx);
  }

  private void flushIfNeeded() {
    if (needsFlush) {
      needsFlush = false;
      ctx.flush();
    }
  }

  private void process(Object msg) {
    if (msg instanceof ServerRequest r) {
      onRequest(r);
    } else if (msg instanceof HttpContent c) {
      try {
        onContent(c);
      } finally {
        c.release();
      }
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  // ---------------------------------------------------------------- dispatch

  private void onRequest(ServerRequest r) {
    if (phase != Phase.IDLE) {
      r.releaseBody(); // a request while one is open cannot come from the stages; close
      closeAfterWrites();
      return;
    }
    current = r;
    inFlight.begin();
    counted = true;
    routeIndex = r.route == null ? UNMATCHED : r.route.ordinal();
    discarded = 0;
    access.begin(ctx.channel(), r.http);
    if (r.key != null) {
      access.authenticated(r.key.id());
    }
    keepAlive = !r.close && HttpUtil.isKeepAlive(r.http) && !inFlight.draining();
    if (r.rejected()) {
      ApiException a = r.rejection;
      sendError(a.status(), a.code(), a.getMessage(), a.headerName(), a.headerValue());
      if (r.abandoned) {
        closeAfterWrites();
      } else if (r.complete) {
        endDiscard();
      }
      return;
    }
    if (r.route.body() == Route.Body.STREAM) {
      try {
        importJob = api.startImport(r.api);
      } catch (RuntimeException e) {
        ApiException a = ApiService.toApiException(e);
        sendError(a.status(), a.code(), a.getMessage(), a.headerName(), a.headerValue());
        return;
      }
      ImportJob job = importJob;
      job.onResume(() -> ctx.executor().execute(() -> {
        if (importJob == job) {
          gate.set(ReadGate.IMPORT, false);
        }
      }));
      phase = Phase.STREAM;
      return;
    }
    dispatch(r);
  }

  private void onContent(HttpContent c) {
    ByteBuf content = c.content();
    boolean last = c instanceof LastHttpContent;
    switch (phase) {
      case STREAM -> {
        current.bodyBytes += content.readableBytes();
        if (content.isReadable() && !importJob.offer(content.retain())) {
          gate.set(ReadGate.IMPORT, true);
        }
        if (last) {
          ImportJob job = importJob;
          job.finish();
          waitFor(job.result());
        }
      }
      case DISCARD -> {
        discarded += content.readableBytes();
        if (last) {
          endDiscard();
        } else if (discarded > DISCARD_BUDGET) {
          closeAfterWrites();
        }
      }
      default -> {
        // content outside a request: nothing to do
      }
    }
  }

  private void endDiscard() {
    if (keepAlive) {
      phase = Phase.IDLE;
    } else {
      closeAfterWrites();
    }
  }

  /** Closes the connection once what was written is flushed. */
  private void closeAfterWrites() {
    phase = Phase.CLOSING;
    releaseQueued();
    flushIfNeeded();
    if (lastWrite != null && !lastWrite.isDone()) {
      lastWrite.addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.close();
    }
  }

  private void dispatch(ServerRequest r) {
    Object result;
    try {
      result = api.handle(r.route, r.api);
    } catch (RuntimeException e) {
      r.releaseBody();
      ApiException a = ApiService.toApiException(e);
      sendError(a.status(), a.code(), a.getMessage(), a.headerName(), a.headerValue());
      endDiscard();
      return;
    }
    if (result instanceof CompletableFuture<?> f) {
      waitFor(f); // the body is released when the answer is in: a worker may still read it
    } else {
      r.releaseBody();
      respond(result);
    }
  }

  private void waitFor(CompletableFuture<?> f) {
    phase = Phase.WAIT;
    gate.set(ReadGate.WORK, true);
    f.whenComplete((v, t) -> ctx.executor().execute(() -> asyncDone(v, t)));
  }

  private void asyncDone(Object value, Throwable failure) {
    importJob = null;
    gate.set(ReadGate.IMPORT, false);
    if (current != null) {
      current.releaseBody();
    }
    if (phase != Phase.WAIT || !ctx.channel().isActive()) {
      ReferenceCountUtil.release(value);
      if (value instanceof FileBody fb) {
        deleteQuietly(fb);
      }
      return;
    }
    if (failure != null) {
      if (failure instanceof CancellationException) {
        phase = Phase.CLOSING;
        ctx.close();
        return;
      }
      ApiException a = ApiService.toApiException(failure);
      phase = Phase.DISCARD;
      sendError(a.status(), a.code(), a.getMessage(), a.headerName(), a.headerValue());
      endDiscard();
    } else {
      respond(value);
    }
    gate.set(ReadGate.WORK, false);
    if (ctx.channel().isWritable()) {
      drainQueue();
    }
    flushIfNeeded();
  }

  private void drainQueue() {
    while (!queued.isEmpty() && (phase == Phase.IDLE || phase == Phase.STREAM
        || phase == Phase.DISCARD)) {
      if (queued.peek() instanceof ServerRequest && !ctx.channel().isWritable()) {
        return; // back-pressure: the next answer waits until the client reads
      }
      process(queued.poll());
    }
    if (phase == Phase.CLOSING) {
      releaseQueued();
    }
  }

  // ---------------------------------------------------------------- responses

  /** Writes the answer to the current request and moves on to the next. */
  private void respond(Object result) {
    int status;
    ChannelFuture done;
    long responseBytes;
    if (result instanceof FullHttpResponse r) {
      status = r.status().code();
      responseBytes = r.content().readableBytes();
      HttpUtil.setContentLength(r, responseBytes);
      setConnection(r);
      done = ctx.write(r);
    } else {
      FileBody fb = (FileBody) result;
      HttpResponse head = fb.head();
      status = head.status().code();
      setConnection(head);
      ctx.write(head);
      try {
        ChunkedNioFile file = new ChunkedNioFile(fb.file().toFile());
        responseBytes = file.length();
        done = ctx.write(new HttpChunkedInput(file));
      } catch (IOException e) {
        deleteQuietly(fb);
        phase = Phase.CLOSING; // the head is out: the body cannot be replaced by an error
        ctx.close();
        AccessLog.Entry failed = finishRequest(500, -1);
        if (failed != null) {
          failed.loggedWhen(null);
        }
        return;
      }
      done.addListener(f -> deleteQuietly(fb));
    }
    lastWrite = done;
    needsFlush = true;
    AccessLog.Entry entry = finishRequest(status, responseBytes);
    if (!keepAlive) {
      phase = Phase.CLOSING;
      done.addListener(ChannelFutureListener.CLOSE);
      if (entry != null) {
        entry.loggedWhen(done);
      }
    } else {
      phase = Phase.IDLE;
      if (entry != null) {
        done.addListener(entry::writeDone);
      }
    }
  }

  /**
   * The one path of every error response: {@code {"error":{"code","message"}}} with the status,
   * plus one optional header (Allow, Retry-After, WWW-Authenticate). The request then counts as
   * answered; the rest of its body, if any, is discarded.
   */
  private void sendError(HttpResponseStatus status, String code, String message,
      String headerName, String headerValue) {
    FullHttpResponse r = ApiService.json(ctx.alloc(), status, g -> {
      g.writeStartObject();
      g.writeObjectFieldStart("error");
      g.writeStringField("code", code);
      g.writeStringField("message", message);
      g.writeEndObject();
      g.writeEndObject();
    });
    if (headerName != null) {
      r.headers().set(headerName, headerValue);
    }
    int responseBytes = r.content().readableBytes();
    HttpUtil.setContentLength(r, responseBytes);
    setConnection(r);
    lastWrite = ctx.write(r);
    needsFlush = true;
    AccessLog.Entry entry = finishRequest(status.code(), responseBytes);
    if (entry != null) {
      entry.loggedWhen(lastWrite);
    }
    if (phase != Phase.CLOSING) {
      phase = Phase.DISCARD; // the caller ends the discard when the request is complete
    }
  }

  private void setConnection(HttpResponse r) {
    HttpHeaders h = r.headers();
    if (!keepAlive) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (current != null && current.http.protocolVersion() == HttpVersion.HTTP_1_0) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
  }

  /**
   * Counts the current request as answered with {@code status} and a body of
   * {@code responseBytes}. Returns its access log entry, for the caller to hand the response's
   * write to, or null (access log off, or the request was already counted).
   */
  private AccessLog.Entry finishRequest(int status, long responseBytes) {
    if (!counted) {
      return null;
    }
    counted = false;
    inFlight.end();
    ServerRequest r = current;
    api.metrics().recordRequest(routeIndex, status, System.nanoTime() - r.startNanos);
    return access.finish(ctx.channel(), r.startNanos, r.route, status, r.bodyBytes,
        responseBytes);
  }

  private static void deleteQuietly(FileBody fb) {
    if (fb.deleteAfter()) {
      try {
        Files.deleteIfExists(fb.file());
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "could not delete " + fb.file() + ": " + e);
      }
    }
  }

  // ---------------------------------------------------------------- deadlines and teardown

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt == RequestDeadlines.TIMEOUT) {
      if (phase == Phase.STREAM) {
        // an import whose client went silent (silence while the import holds reading back
        // is ours: the deadlines do not count it)
        keepAlive = false;
        abortImport();
        sendError(HttpResponseStatus.REQUEST_TIMEOUT, "request_timeout",
            "the request body did not arrive in time", null, null);
        closeAfterWrites();
      } else if (phase == Phase.DISCARD) {
        closeAfterWrites();
      }
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    teardown();
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    teardown();
  }

  private void teardown() {
    if (phase != Phase.WAIT) {
      abortImport();
      if (current != null) {
        current.releaseBody();
      }
    }
    releaseQueued();
    if (counted) {
      counted = false;
      inFlight.end(); // the client left before its answer
    }
  }

  private void releaseQueued() {
    Object o;
    while ((o = queued.poll()) != null) {
      BodyAggregator.releaseQuietly(o);
    }
  }

  private void abortImport() {
    if (importJob != null) {
      importJob.abort();
      importJob = null;
      gate.set(ReadGate.IMPORT, false);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.log(System.Logger.Level.DEBUG, "connection error: {0}", String.valueOf(cause));
    phase = Phase.CLOSING;
    ctx.close();
  }
}
