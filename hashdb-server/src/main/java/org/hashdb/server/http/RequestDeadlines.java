package org.hashdb.server.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.hashdb.server.ServerConfig;
import org.hashdb.server.api.ApiRequest;
import org.hashdb.server.api.Route;

/**
 * The client's deadlines on one HTTP/1.1 connection or HTTP/2 stream, checked by one periodic
 * tick after the codec: a complete request head within {@code headerTimeoutMillis} (and no
 * longer than {@code idleTimeoutMillis} of silence between requests), body bytes at least every
 * {@code readTimeoutMillis} and at {@code minBodyBytesPerSecond} over each 10 s window (the
 * read timeout, if shorter), the whole request within {@code requestTimeoutMillis} (imports
 * excepted: the server paces them), and a written response taken by the client within {@code sendTimeoutMillis}. A head
 * or idle overrun closes the connection; a body overrun is fired as {@link #TIMEOUT} so the
 * request is answered 408 and the connection closed. Clocks stop while the server itself holds
 * reading back ({@link ReadGate}). One instance per channel.
 */
final class RequestDeadlines extends ChannelDuplexHandler {
  /** User event: the current request missed a body deadline. */
  static final Object TIMEOUT = new Object() {
    @Override
    public String toString() {
      return "RequestDeadlines.TIMEOUT";
    }
  };
  /** The window of the minimum body rate: 10 s, or the read timeout when that is shorter. */
  static final long MAX_RATE_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final long CLOSE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

  private final long headNanos; // min(header, idle): the silence allowed before a head
  private final long readNanos;
  private final long requestNanos;
  private final long sendNanos;
  private final long windowNanos;
  private final long minBytesPerWindow;
  private final long tickMillis;

  private ChannelHandlerContext ctx;
  private ScheduledFuture<?> tick;
  private boolean open; // a request head arrived, its last content not yet
  private int pending; // requests received minus responses written
  private long idleSince; // start of the wait for the next head
  private long headAt;
  private long lastBytesAt;
  private long windowStart;
  private long windowBytes;
  private boolean exempt; // no total deadline (imports)
  private long firedAt; // 0: no timeout fired for the current request
  private long unwritableSince; // 0: writable

  RequestDeadlines(ServerConfig c) {
    this.headNanos = TimeUnit.MILLISECONDS.toNanos(
        Math.min(c.headerTimeoutMillis(), c.idleTimeoutMillis()));
    this.readNanos = TimeUnit.MILLISECONDS.toNanos(c.readTimeoutMillis());
    this.requestNanos = TimeUnit.MILLISECONDS.toNanos(c.requestTimeoutMillis());
    this.sendNanos = TimeUnit.MILLISECONDS.toNanos(c.sendTimeoutMillis());
    this.windowNanos = Math.min(MAX_RATE_WINDOW_NANOS, readNanos);
    this.minBytesPerWindow = c.minBodyBytesPerSecond() * windowNanos / 1_000_000_000L;
    long shortest = Math.min(Math.min(c.headerTimeoutMillis(), c.idleTimeoutMillis()),
        Math.min(Math.min(c.readTimeoutMillis(), c.requestTimeoutMillis()),
            c.sendTimeoutMillis()));
    this.tickMillis = Math.max(10, Math.min(1000, shortest / 4));
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (ctx.channel().isActive()) {
      start(); // added after activation: HTTP/1.1 chosen by ALPN, HTTP/2 streams
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    start();
    super.channelActive(ctx);
  }

  private void start() {
    if (tick != null) {
      return;
    }
    idleSince = System.nanoTime();
    unwritableSince = ctx.channel().isWritable() ? 0 : idleSince;
    tick = ctx.executor().scheduleAtFixedRate(this::check, tickMillis, tickMillis,
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    long now = System.nanoTime();
    if (msg instanceof HttpRequest req) {
      open = true;
      headAt = now;
      lastBytesAt = now;
      windowStart = now;
      windowBytes = 0;
      firedAt = 0;
      exempt = Route.IMPORT.template().equals(ApiRequest.pathOf(req.uri()));
    }
    if (msg instanceof HttpContent c) {
      windowBytes += c.content().readableBytes();
      lastBytesAt = now;
      if (c instanceof LastHttpContent && open) {
        open = false;
        if (++pending <= 0) {
          idleSince = now;
        }
      }
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    boolean informational = msg instanceof HttpResponse r && r.status().codeClass()
        == io.netty.handler.codec.http.HttpStatusClass.INFORMATIONAL;
    if (msg instanceof LastHttpContent && !informational) {
      // counted when written, not when flushed: no listener on the hot path. A file's last
      // chunk is written only when the file is nearly out; an answer the client does not
      // take is the send deadline's business.
      responseDone();
    }
    ctx.write(msg, promise);
  }

  private void responseDone() {
    if (--pending <= 0 && !open) {
      idleSince = System.nanoTime();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    unwritableSince = ctx.channel().isWritable() ? 0 : System.nanoTime();
    super.channelWritabilityChanged(ctx);
  }

  private void check() {
    if (!ctx.channel().isActive()) {
      return;
    }
    long now = System.nanoTime();
    if (unwritableSince != 0 && now - unwritableSince > sendNanos) {
      ctx.close(); // the client does not read what it asked for
      return;
    }
    ReadGate gate = ReadGate.of(ctx.channel());
    if (gate.held(ReadGate.WORK) || gate.held(ReadGate.IMPORT)) {
      // the server's turn: the client cannot send, so its clocks stand still
      lastBytesAt = now;
      windowStart = now;
      windowBytes = 0;
      return;
    }
    if (open) {
      if (firedAt != 0) {
        if (now - firedAt > CLOSE_GRACE_NANOS) {
          ctx.close();
        }
        return;
      }
      boolean late = now - lastBytesAt > readNanos
          || (!exempt && now - headAt > requestNanos);
      if (now - windowStart >= windowNanos) {
        late |= windowBytes < minBytesPerWindow;
        windowStart = now;
        windowBytes = 0;
      }
      if (late) {
        firedAt = now;
        ctx.fireUserEventTriggered(TIMEOUT);
      }
    } else if (pending <= 0 && !gate.paused() && now - idleSince > headNanos) {
      ctx.close(); // no complete head in time: idle keep-alive, or a slow head
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    stop();
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    stop();
  }

  private void stop() {
    if (tick != null) {
      tick.cancel(false);
      tick = null;
    }
  }
}
