package org.hashdb.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.hashdb.server.ApiException;
import org.hashdb.server.auth.ApiKey;

/**
 * The key's rate budget at the head: every request takes one token of its key's token bucket
 * (429 with {@code Retry-After} when empty). The work inside a request (its queries beyond the
 * first, its PDQ searches) is charged to the same bucket once the body is parsed, by the
 * lookup routes; body bytes are budgeted by {@link BodyAggregator}. Stateless.
 */
final class KeyBudgetCheck extends ChannelInboundHandlerAdapter {
  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ServerRequest r && !r.rejected() && r.key != null) {
      check(r);
    }
    ctx.fireChannelRead(msg);
  }

  static void check(ServerRequest r) {
    ApiKey key = r.key;
    long wait = key.tryAcquire(r.startNanos);
    if (wait > 0) {
      long seconds = Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
      r.reject(new ApiException(HttpResponseStatus.TOO_MANY_REQUESTS, "rate_limited",
          "rate limit of " + key.rate() + " requests per second exceeded", "Retry-After",
          Long.toString(seconds)), false);
    }
  }
}
