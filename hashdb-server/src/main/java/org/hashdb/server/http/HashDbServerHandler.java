package org.hashdb.server.http;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hashdb.server.ServerConfig;
import org.hashdb.server.ApiException;
import org.hashdb.server.api.ApiRequest;
import org.hashdb.server.ApiException;
import org.hashdb.server.api.ApiService;
import org.hashdb.server.api.FileBody;
import org.hashdb.server.api.Route;
import org.hashdb.server.logs.AccessLog;
import org.hashdb.server.auth.ApiKey;

/**
 * The last stage, which only dispatches: each {@link ServerRequest} goes to the API (or, for an
 * import, its body to an {@link ImportStream}), one request at a time and in order, and its
 * answer goes out as an {@link Answer} through {@link ResponseWriter}. The stages before it did
 * everything else (deadlines, protocol checks, routing and key, budgets, body); a refused
 * request arrives with its error, which is answered like any other. A request that arrives
 * while a worker answers the previous one, or while the channel is not writable
 * (back-pressure), waits in {@link #queued}; reading pauses meanwhile ({@link ReadGate}), so
 * pipelined responses keep request order and memory stays bounded. Not sharable: one instance
 * per channel.
 */
public final class HashDbServerHandler extends ChannelInboundHandlerAdapter {
  private static final System.Logger LOG = System.getLogger(HashDbServerHandler.class.getName());
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

  private ChannelHandlerContext ctx;
  private ReadGate gate;
  private ImportStream imports;
  private Phase phase = Phase.IDLE;
  private final ArrayDeque<Object> queued = new ArrayDeque<>(); // held back, in order
  private ChannelFuture lastWrite; // the last answer written, to close after it

  // the current request
  private ServerRequest current;
  private boolean keepAlive;
  private long discarded;

  HashDbServerHandler(ApiService api, InFlight inFlight) {
    this.api = api;
    this.inFlight = inFlight;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.gate = ReadGate.of(ctx.channel());
    this.imports = new ImportStream(ctx);
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
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().isWritable() && phase != Phase.WAIT) {
      drainQueue();
      ctx.flush();
    }
    super.channelWritabilityChanged(ctx);
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

  private void onRequest(ServerRequest r) {
    if (phase != Phase.IDLE) {
      r.releaseBody(); // a request while one is open cannot come from the stages; close
      closeAfterWrites();
      return;
    }
    current = r;
    inFlight.begin();
    r.counted = true;
    discarded = 0;
    keepAlive = !r.close && HttpUtil.isKeepAlive(r.http) && !inFlight.draining();
    if (r.rejected()) {
      answerError(r.rejection);
      if (r.abandoned) {
        closeAfterWrites();
      } else if (r.complete) {
        endDiscard();
      }
      return;
    }
    if (r.route.body() == Route.Body.STREAM) {
      try {
        imports.start(api.startImport(r.api));
      } catch (RuntimeException e) {
        answerError(ApiService.toApiException(e));
        return;
      }
      phase = Phase.STREAM;
      return;
    }
    Object result;
    try {
      result = api.handle(r.route, r.api);
    } catch (RuntimeException e) {
      r.releaseBody();
      answerError(ApiService.toApiException(e));
      endDiscard();
      return;
    }
    if (result instanceof CompletableFuture<?> f) {
      waitFor(f); // the body is released when the answer is in: a worker may still read it
    } else {
      r.releaseBody();
      answer(result);
    }
  }

  private void onContent(HttpContent c) {
    switch (phase) {
      case STREAM -> {
        current.bodyBytes += c.content().readableBytes();
        CompletableFuture<?> result = imports.offer(c);
        if (result != null) {
          waitFor(result);
        }
      }
      case DISCARD -> {
        discarded += c.content().readableBytes();
        if (c instanceof LastHttpContent) {
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
    ctx.flush();
    if (lastWrite != null && !lastWrite.isDone()) {
      lastWrite.addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.close();
    }
  }

  private void waitFor(CompletableFuture<?> f) {
    phase = Phase.WAIT;
    gate.set(ReadGate.WORK, true);
    f.whenComplete((v, t) -> ctx.executor().execute(() -> asyncDone(v, t)));
  }

  private void asyncDone(Object value, Throwable failure) {
    imports.done();
    if (current != null) {
      current.releaseBody();
    }
    if (phase != Phase.WAIT || !ctx.channel().isActive()) {
      ReferenceCountUtil.release(value);
      if (value instanceof FileBody fb) {
        ResponseWriter.deleteQuietly(fb);
      }
      return;
    }
    if (failure != null) {
      if (failure instanceof CancellationException) {
        phase = Phase.CLOSING;
        ctx.close();
        return;
      }
      phase = Phase.DISCARD;
      answerError(ApiService.toApiException(failure));
      endDiscard();
    } else {
      answer(value);
    }
    gate.set(ReadGate.WORK, false);
    if (ctx.channel().isWritable()) {
      drainQueue();
    }
    ctx.flush();
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

  /** Writes the answer to the current request and moves on to the next. */
  private void answer(Object result) {
    ChannelFuture done = ctx.write(new Answer(current, result, keepAlive));
    lastWrite = done;
    if (!keepAlive || (done.isDone() && !done.isSuccess())) {
      phase = Phase.CLOSING; // the writer closes after the answer (or already did)
    } else {
      phase = Phase.IDLE;
    }
  }

  /**
   * Answers the current request with the error {@code e}; the rest of its body, if any, is
   * discarded (the caller ends the discard when the request is complete).
   */
  private void answerError(ApiException e) {
    lastWrite = ctx.write(new Answer(current, e, keepAlive));
    if (phase != Phase.CLOSING) {
      phase = Phase.DISCARD;
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
        imports.abort();
        answerError(new ApiException(HttpResponseStatus.REQUEST_TIMEOUT, "request_timeout",
            "the request body did not arrive in time"));
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
      imports.abort();
      if (current != null) {
        current.releaseBody();
      }
    }
    releaseQueued();
    if (current != null && current.counted) {
      current.counted = false;
      inFlight.end(); // the client left before its answer
    }
  }

  private void releaseQueued() {
    Object o;
    while ((o = queued.poll()) != null) {
      BodyAggregator.releaseQuietly(o);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.log(System.Logger.Level.DEBUG, "connection error: {0}", String.valueOf(cause));
    phase = Phase.CLOSING;
    ctx.close();
  }
}
