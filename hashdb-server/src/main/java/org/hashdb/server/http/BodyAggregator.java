package org.hashdb.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.hashdb.server.ApiException;
import org.hashdb.server.api.ApiRequest;
import org.hashdb.server.api.ApiService;
import org.hashdb.server.api.Route;

/**
 * Body aggregation: asks the API what the route accepts ({@link ApiService#prepare}), refuses
 * an announced body over the limit (413) before reading it, and collects a JSON or binary body
 * into a heap buffer that grows with the bytes that actually arrive (at most twice them, never
 * from {@code Content-Length}). Every byte kept is reserved in the {@link BodyBudget}, in total
 * and for the key (503 or 429 with {@code Retry-After} when full). A complete request goes on
 * as one {@link ServerRequest}; a refused one goes on at once, followed by the rest of its body
 * for the dispatcher to discard; a streamed import goes on at once, followed by its body. One
 * instance per channel.
 */
final class BodyAggregator extends ChannelInboundHandlerAdapter {
  private static final int FIRST_CAPACITY = 8192;

  private enum State {
    /** Between requests. */
    IDLE,
    /** Collecting the current request's body (or skipping one a route ignores). */
    COLLECT,
    /** The request went on already: its body follows it. */
    FORWARD
  }

  private final ApiService api;
  private final BodyBudget budget;
  private State state = State.IDLE;
  private ServerRequest current;
  private long limit;

  BodyAggregator(ApiService api, BodyBudget budget) {
    this.api = api;
    this.budget = budget;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ServerRequest r) {
      onHead(ctx, r);
    } else if (msg instanceof HttpContent c) {
      onContent(ctx, c);
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  private void onHead(ChannelHandlerContext ctx, ServerRequest r) {
    if (state == State.COLLECT) {
      dropCurrent(); // cannot happen with a well-behaved codec
    }
    if (r.rejected()) {
      forward(ctx, r);
      return;
    }
    r.api = new ApiRequest(r.http, r.key, ctx.alloc());
    Route.Body kind = r.route.body();
    try {
      limit = api.prepare(r.route, r.api);
      long announced = HttpUtil.getContentLength(r.http, -1L);
      if (kind != Route.Body.NONE && announced > limit) {
        r.reject(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "payload_too_large",
            "body of " + announced + " bytes exceeds the limit of " + limit + " bytes", true);
        forward(ctx, r);
        return;
      }
    } catch (RuntimeException e) {
      r.reject(ApiService.toApiException(e), false);
      forward(ctx, r);
      return;
    }
    if (kind != Route.Body.NONE && HttpUtil.is100ContinueExpected(r.http)) {
      ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
    }
    if (kind == Route.Body.STREAM) {
      forward(ctx, r);
      return;
    }
    if (kind == Route.Body.NONE) {
      limit = HashDbServerHandler.DISCARD_BUDGET; // ignored, but not without end
    }
    current = r;
    state = State.COLLECT;
  }

  private void forward(ChannelHandlerContext ctx, ServerRequest r) {
    current = null;
    state = State.FORWARD;
    ctx.fireChannelRead(r);
  }

  private void onContent(ChannelHandlerContext ctx, HttpContent c) {
    boolean last = c instanceof LastHttpContent;
    switch (state) {
      case FORWARD -> {
        if (last) {
          state = State.IDLE;
        }
        ctx.fireChannelRead(c);
      }
      case COLLECT -> {
        try {
          collect(ctx, c.content(), last);
        } finally {
          c.release();
        }
      }
      default -> c.release(); // content outside a request
    }
  }

  private void collect(ChannelHandlerContext ctx, ByteBuf content, boolean last) {
    ServerRequest r = current;
    int n = content.readableBytes();
    r.bodyBytes += n;
    boolean keep = r.route.body() != Route.Body.NONE;
    if (r.bodyBytes > limit) {
      r.releaseBody();
      r.reject(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "payload_too_large",
          "body exceeds the limit of " + limit + " bytes", true);
      refuseMidBody(ctx, r, last);
      return;
    }
    if (keep && n > 0) {
      BodyBudget.Result b = budget.reserve(r.key, n);
      if (b != BodyBudget.Result.OK) {
        r.releaseBody();
        r.reject(b == BodyBudget.Result.SERVER_FULL
            ? new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable",
                "the server holds too many request bodies; retry later", "Retry-After", "1")
            : new ApiException(HttpResponseStatus.TOO_MANY_REQUESTS, "rate_limited",
                "this key's requests hold more than " + budget.perKey()
                    + " body bytes; retry later", "Retry-After", "1"), false);
        refuseMidBody(ctx, r, last);
        return;
      }
      r.reserved(budget, n);
      append(ctx, r, content, n);
    }
    if (last) {
      r.complete = true;
      // an empty body is an empty buffer, never null: every route parses what it is given
      r.api.body(r.body() != null ? r.body() : Unpooled.EMPTY_BUFFER);
      current = null;
      state = State.IDLE;
      ctx.fireChannelRead(r);
    }
  }

  /** Grows the body geometrically from the bytes received, up to the route's limit. */
  private void append(ChannelHandlerContext ctx, ServerRequest r, ByteBuf content, int n) {
    ByteBuf body = r.body();
    int max = (int) Math.min(limit, Integer.MAX_VALUE - 8);
    if (body == null) {
      // heap: the bulk lookup and the JSON parser read the backing array without a copy
      body = ctx.alloc().heapBuffer(Math.min(max, Math.max(n, FIRST_CAPACITY)), max);
      r.body(body);
    } else if (body.writableBytes() < n) {
      long want = Math.max((long) body.writerIndex() + n, 2L * body.capacity());
      body.capacity((int) Math.min(max, want));
    }
    body.writeBytes(content);
  }

  private void refuseMidBody(ChannelHandlerContext ctx, ServerRequest r, boolean last) {
    r.complete = last;
    forward(ctx, r);
    if (last) {
      state = State.IDLE;
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt == RequestDeadlines.TIMEOUT && state == State.COLLECT) {
      ServerRequest r = current;
      r.releaseBody();
      r.reject(HttpResponseStatus.REQUEST_TIMEOUT, "request_timeout",
          "the request body did not arrive in time", true);
      r.abandoned = true;
      forward(ctx, r);
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  private void dropCurrent() {
    if (current != null) {
      current.releaseBody();
      current = null;
    }
    state = State.IDLE;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    dropCurrent();
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    dropCurrent();
  }

  static void releaseQuietly(Object msg) {
    if (msg instanceof ServerRequest r) {
      r.releaseBody();
    } else {
      ReferenceCountUtil.release(msg);
    }
  }
}
