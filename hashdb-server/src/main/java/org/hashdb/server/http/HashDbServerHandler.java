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
import org.hashdb.server.api.ApiException;
import org.hashdb.server.api.ApiRequest;
import org.hashdb.server.api.ApiService;
import org.hashdb.server.api.FileBody;
import org.hashdb.server.api.ImportJob;
import org.hashdb.server.api.Route;
import org.hashdb.server.audit.AccessLog;
import org.hashdb.server.auth.ApiKey;

/**
 * Serves the requests of one HTTP/1.1 connection (or one HTTP/2 stream), one at a time and in
 * order: a pipelined request waits in {@link #queued} until the response before it is written,
 * and reading pauses while a worker answers, so pipelined responses keep request order and
 * memory stays bounded. The key is checked when the head arrives, before any body byte is
 * parsed; bodies are aggregated up to their route's limit or streamed to an import worker.
 * Every error response goes through {@link #sendError}. Every answered request is counted in
 * the metrics and, when the access log is on, logged once its last byte is written
 * ({@link #finishRequest}). Not sharable: one instance per channel.
 */
public final class HashDbServerHandler extends ChannelInboundHandlerAdapter {
  private static final System.Logger LOG = System.getLogger(HashDbServerHandler.class.getName());
  private static final int UNMATCHED = Route.values().length;
  /** Body bytes read and thrown away after an early answer before the connection is closed. */
  static final long DISCARD_BUDGET = 64L << 20;

  private enum Phase {
    /** Waiting for a request head. */
    IDLE,
    /** Reading the body of the current request. */
    BODY,
    /** Answered early (an error): discarding the rest of the current request. */
    DISCARD,
    /** The request is complete; a worker is answering it. */
    WAIT,
    /** A response that closes the connection was written: ignore everything. */
    CLOSING
  }

  private final ApiService api;
  private final ServerConfig config;
  private final InFlight inFlight;
  private final AccessRecord access;

  private ChannelHandlerContext ctx;
  private Phase phase = Phase.IDLE;
  private final ArrayDeque<Object> queued = new ArrayDeque<>(); // messages read during WAIT
  private boolean needsFlush;
  private ScheduledFuture<?> idleTimer; // closes a connection that sends no request head
  private ChannelFuture lastWrite; // the last response written, to close after it

  // the current request
  private Route route;
  private int routeIndex;
  private ApiRequest request;
  private boolean keepAlive;
  private boolean counted; // inFlight.begin() called, end() pending
  private long startNanos;
  private long bodyLimit;
  private long bodyBytes;
  private ByteBuf body;
  private ImportJob importJob;
  private boolean importPaused;

  HashDbServerHandler(ApiService api, InFlight inFlight) {
    this(api, inFlight, AccessLog.disabled());
  }

  HashDbServerHandler(ApiService api, InFlight inFlight, AccessLog access) {
    this.api = api;
    this.config = api.config();
    this.inFlight = inFlight;
    this.access = new AccessRecord(access);
  }

  /**
   * A handler outside a {@link HashDbServer}, with its own in-flight count: for embedded
   * channels and benchmarks of the request path.
   */
  public static HashDbServerHandler standalone(ApiService api) {
    return new HashDbServerHandler(api, new InFlight());
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (ctx.channel().isActive()) {
      armIdleTimer(); // added after activation (HTTP/1.1 chosen by ALPN, HTTP/2 streams)
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    armIdleTimer();
    super.channelActive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (phase == Phase.CLOSING) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (phase == Phase.WAIT || !queued.isEmpty()) {
      queued.add(msg);
      return;
    }
    process(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    flushIfNeeded();
  }

  private void flushIfNeeded() {
    if (needsFlush) {
      needsFlush = false;
      ctx.flush();
    }
  }

  private void process(Object msg) {
    try {
      if (msg instanceof HttpRequest req) {
        onHead(req);
      }
      if (msg instanceof HttpContent c) {
        onContent(c);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  // ---------------------------------------------------------------- request head

  private void onHead(HttpRequest req) {
    if (phase != Phase.IDLE) {
      // a head while a request is open cannot come from the codec; refuse and close
      keepAlive = false;
      sendError(HttpResponseStatus.BAD_REQUEST, "invalid_request", "unexpected request head", null,
          null);
      return;
    }
    cancelIdleTimer();
    startNanos = System.nanoTime();
    inFlight.begin();
    counted = true;
    route = null;
    routeIndex = UNMATCHED;
    request = null;
    access.begin(ctx.channel(), req);
    bodyBytes = 0;
    bodyLimit = 0;
    phase = Phase.BODY;
    keepAlive = HttpUtil.isKeepAlive(req) && !inFlight.draining();

    DecoderResult dr = req.decoderResult();
    if (dr.isFailure()) {
      keepAlive = false; // the codec discards everything after a bad message
      Throwable cause = dr.cause();
      if (cause instanceof TooLongFrameException) {
        sendError(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
            "request_header_fields_too_large",
            "request line and headers exceed " + config.maxHeaderBytes() + " bytes", null, null);
      } else {
        sendError(HttpResponseStatus.BAD_REQUEST, "invalid_request",
            "malformed HTTP request: " + cause.getMessage(), null, null);
      }
      return;
    }
    if (headBytes(req) > config.maxHeaderBytes()) {
      keepAlive = false;
      sendError(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
          "request_header_fields_too_large",
          "request line and headers exceed " + config.maxHeaderBytes() + " bytes", null, null);
      return;
    }
    String uri = req.uri();
    String path = ApiRequest.pathOf(uri);
    Route r = Route.match(req.method(), path);
    if (r == null) {
      String allowed = Route.allowedMethods(path);
      if (allowed != null) {
        sendError(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
            req.method().name() + " is not allowed here (allowed: " + allowed + ")", "Allow",
            allowed);
      } else {
        sendError(HttpResponseStatus.NOT_FOUND, "not_found", "no such resource", null, null);
      }
      return;
    }
    route = r;
    routeIndex = r.ordinal();
    ApiKey key = null;
    if (r.access() != null) {
      key = api.keys().authenticate(req.headers().get(HttpHeaderNames.AUTHORIZATION));
      if (key == null) {
        sendError(HttpResponseStatus.UNAUTHORIZED, "unauthorized",
            "missing or unknown API key (Authorization: Bearer <key>)", "WWW-Authenticate",
            "Bearer");
        return;
      }
      access.authenticated(key.id());
      if (!r.access().allows(key.role())) {
        sendError(HttpResponseStatus.FORBIDDEN, "forbidden",
            "the key '" + key.name() + "' (role " + key.role().apiName()
                + ") may not use this endpoint", null, null);
        return;
      }
      long wait = key.tryAcquire(startNanos);
      if (wait > 0) {
        long seconds = Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
        sendError(HttpResponseStatus.TOO_MANY_REQUESTS, "rate_limited",
            "rate limit of " + key.rate() + " requests per second exceeded", "Retry-After",
            Long.toString(seconds));
        return;
      }
    }
    request = new ApiRequest(req, key, ctx.alloc());
    long contentLength;
    try {
      bodyLimit = api.prepare(r, request);
      contentLength = HttpUtil.getContentLength(req, -1L);
      if (r.body() != Route.Body.NONE && contentLength > bodyLimit) {
        keepAlive = false;
        throw new ApiException(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "payload_too_large",
            "body of " + contentLength + " bytes exceeds the limit of " + bodyLimit + " bytes");
      }
      if (r.body() == Route.Body.STREAM) {
        importJob = api.startImport(request);
        ImportJob job = importJob;
        job.onResume(() -> ctx.executor().execute(() -> {
          if (importJob == job) {
            importPaused = false;
            updateAutoRead();
          }
        }));
      }
    } catch (RuntimeException e) {
      ApiException a = ApiService.toApiException(e);
      sendError(a.status(), a.code(), a.getMessage(), a.headerName(), a.headerValue());
      return;
    }
    if (r.body() != Route.Body.NONE && HttpUtil.is100ContinueExpected(req)) {
      ctx.write(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
          Unpooled.EMPTY_BUFFER));
      needsFlush = true;
    }
    if (r.body() == Route.Body.JSON || r.body() == Route.Body.BINARY) {
      int initial = (int) Math.min(bodyLimit, contentLength >= 0 ? contentLength : 8192);
      // heap: the bulk lookup and the JSON parser read the backing array without another copy
      body = ctx.alloc().heapBuffer(Math.max(initial, 16));
    }
  }

  /** Bytes of the request line and header lines, line ends excluded (the header limit). */
  static long headBytes(HttpRequest req) {
    long n = req.method().name().length() + 1 + req.uri().length() + 1
        + req.protocolVersion().text().length();
    Iterator<Map.Entry<CharSequence, CharSequence>> it = req.headers().iteratorCharSequence();
    while (it.hasNext()) {
      Map.Entry<CharSequence, CharSequence> h = it.next();
      n += h.getKey().length() + 2 + h.getValue().length();
    }
    return n;
  }

  // ---------------------------------------------------------------- body

  private void onContent(HttpContent c) {
    ByteBuf content = c.content();
    boolean last = c instanceof LastHttpContent;
    switch (phase) {
      case BODY -> {
        bodyBytes += content.readableBytes();
        if (bodyBytes > bodyLimit && route.body() != Route.Body.NONE) {
          keepAlive = false;
          releaseRequestState();
          sendError(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "payload_too_large",
              "body exceeds the limit of " + bodyLimit + " bytes", null, null);
          if (last) {
            endDiscard();
          }
          return;
        }
        if (importJob != null) {
          if (content.isReadable() && !importJob.offer(content.retain())) {
            importPaused = true;
            updateAutoRead();
          }
        } else if (body != null) {
          body.writeBytes(content);
        }
        if (last) {
          complete();
        }
      }
      case DISCARD -> {
        bodyBytes += content.readableBytes();
        if (last) {
          endDiscard();
        } else if (bodyBytes > DISCARD_BUDGET) {
          closeAfterWrites();
        }
      }
      default -> {
        // content outside a request (after a refused head): nothing to do
      }
    }
  }

  private void endDiscard() {
    if (keepAlive) {
      phase = Phase.IDLE;
      armIdleTimer();
    } else {
      closeAfterWrites();
    }
  }

  /** Closes the connection once what was written is flushed. */
  private void closeAfterWrites() {
    phase = Phase.CLOSING;
    flushIfNeeded();
    if (lastWrite != null && !lastWrite.isDone()) {
      lastWrite.addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.close();
    }
  }

  private void complete() {
    if (importJob != null) {
      ImportJob job = importJob;
      job.finish();
      waitFor(job.result());
      return;
    }
    ApiRequest req = request;
    req.body(body);
    Object result;
    try {
      result = api.handle(route, req);
    } catch (RuntimeException e) {
      releaseRequestState();
      ApiException a = ApiService.toApiException(e);
      sendError(a.status(), a.code(), a.getMessage(), a.headerName(), a.headerValue());
      endDiscard();
      return;
    }
    releaseRequestState();
    if (result instanceof CompletableFuture<?> f) {
      waitFor(f);
    } else {
      respond(result);
    }
  }

  private void waitFor(CompletableFuture<?> f) {
    phase = Phase.WAIT;
    updateAutoRead();
    f.whenComplete((v, t) -> ctx.executor().execute(() -> asyncDone(v, t)));
  }

  private void asyncDone(Object value, Throwable failure) {
    importJob = null;
    importPaused = false;
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
      sendError(a.status(), a.code(), a.getMessage(), a.headerName(), a.headerValue());
      endDiscard();
    } else {
      respond(value);
    }
    updateAutoRead();
    drainQueue();
    flushIfNeeded();
  }

  private void drainQueue() {
    while (!queued.isEmpty() && phase != Phase.WAIT && phase != Phase.CLOSING) {
      process(queued.poll());
    }
    if (phase == Phase.CLOSING) {
      releaseQueued();
    }
  }

  private void updateAutoRead() {
    boolean want = phase != Phase.WAIT && !importPaused;
    if (ctx.channel().config().isAutoRead() != want) {
      ctx.channel().config().setAutoRead(want);
      if (want) {
        ctx.read();
      }
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
      // the idle clock starts once the response is out (a snapshot download may take long);
      // one listener for both: a second would cost the promise a lock and a listener array
      done.addListener(f -> {
        if (entry != null) {
          entry.writeDone(f);
        }
        if (phase == Phase.IDLE && queued.isEmpty() && ctx.channel().isActive()) {
          armIdleTimer();
        }
      });
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
    if (phase == Phase.BODY || phase == Phase.WAIT) {
      phase = Phase.DISCARD; // the caller ends the discard when the request is complete
    }
  }

  private void setConnection(HttpResponse r) {
    HttpHeaders h = r.headers();
    if (!keepAlive) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (request != null && request.http().protocolVersion() == HttpVersion.HTTP_1_0) {
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
    api.metrics().recordRequest(routeIndex, status, System.nanoTime() - startNanos);
    return access.finish(ctx.channel(), startNanos, route, status, bodyBytes, responseBytes);
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

  // ---------------------------------------------------------------- timeouts and teardown

  private void armIdleTimer() {
    cancelIdleTimer();
    if (!ctx.channel().isActive() && !ctx.channel().isRegistered()) {
      return;
    }
    idleTimer = ctx.executor().schedule(() -> {
      if (phase == Phase.IDLE && queued.isEmpty()) {
        phase = Phase.CLOSING;
        ctx.close();
      }
    }, config.idleTimeoutMillis(), TimeUnit.MILLISECONDS);
  }

  private void cancelIdleTimer() {
    if (idleTimer != null) {
      idleTimer.cancel(false);
      idleTimer = null;
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      // silence while an import holds reading back is ours, not the client's
      if ((phase == Phase.BODY || phase == Phase.DISCARD) && !importPaused) {
        // a client that went silent in the middle of a request
        keepAlive = false;
        releaseRequestState();
        if (phase == Phase.BODY) {
          sendError(HttpResponseStatus.REQUEST_TIMEOUT, "request_timeout",
              "no data for " + config.readTimeoutMillis() + " ms in the middle of a request",
              null, null);
        }
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
    cancelIdleTimer();
    releaseRequestState();
    releaseQueued();
    if (counted) {
      counted = false;
      inFlight.end(); // the client left before its answer
    }
  }

  private void releaseQueued() {
    Object o;
    while ((o = queued.poll()) != null) {
      ReferenceCountUtil.release(o);
    }
  }

  private void releaseRequestState() {
    if (body != null) {
      body.release();
      body = null;
    }
    if (importJob != null && phase != Phase.WAIT) {
      importJob.abort();
      importJob = null;
      importPaused = false;
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.log(System.Logger.Level.DEBUG, "connection error: {0}", String.valueOf(cause));
    phase = Phase.CLOSING;
    ctx.close();
  }
}
