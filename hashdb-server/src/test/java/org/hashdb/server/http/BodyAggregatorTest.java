package org.hashdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link BodyAggregator}: bodies grow with the bytes that arrive, never from Content-Length,
 * and every byte held is reserved in the {@link BodyBudget}, in total and per key.
 */
class BodyAggregatorTest {
  @TempDir Path dir;

  private static String bulkHead(String key, long length) {
    return "POST /v1/lookup/bulk?type=md5 HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + key
        + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + length + "\r\n\r\n";
  }

  @Test
  void announcedLargeBody_holdsOnlyTheBytesSent() throws Exception {
    try (EmbeddedHttp h = new EmbeddedHttp(dir, b -> {})) {
      h.send(bulkHead(h.query, 16_000_000) + "0123456789");
      h.runFor(20);
      assertThat(h.budget.used()).isEqualTo(10);
      h.ch.close();
      h.runFor(20);
      assertThat(h.budget.used()).isZero();
    }
  }

  @Test
  void bodyCapacity_atMostTwiceWhatArrived() throws Exception {
    try (EmbeddedHttp h = new EmbeddedHttp(dir, b -> {})) {
      int[] seen = new int[2];
      h.ch.pipeline().addBefore(h.ch.pipeline().context(HashDbServerHandler.class).name(),
          "spy", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
              if (msg instanceof ServerRequest r && r.body() != null) {
                seen[0] = r.body().readableBytes();
                seen[1] = r.body().capacity();
              }
              ctx.fireChannelRead(msg);
            }
          });
      int n = 100_000 * 16;
      h.send(bulkHead(h.query, n));
      String chunk = "\0".repeat(16 * 1000);
      for (int i = 0; i < 100; i++) {
        h.send(chunk);
      }
      FullHttpResponse r = h.responses(1).get(0);
      assertThat(r.status().code()).isEqualTo(200);
      r.release();
      assertThat(seen[0]).isEqualTo(n);
      assertThat(seen[1]).isBetween(n, 2 * n);
      assertThat(h.budget.used()).isZero();
    }
  }

  @Test
  void perKeyBudget_exceeded_429RetryAfter_otherKeyUnaffected() throws Exception {
    try (EmbeddedHttp h = new EmbeddedHttp(dir, b -> b.maxKeyBodyBytesInFlight(1000))) {
      h.send(bulkHead(h.query, 1600) + "\0".repeat(1600));
      FullHttpResponse r = h.responses(1).get(0);
      assertThat(r.status().code()).isEqualTo(429);
      assertThat(r.headers().get("Retry-After")).isEqualTo("1");
      assertThat(EmbeddedHttp.text(r)).contains("\"code\":\"rate_limited\"");
      assertThat(h.budget.used()).isZero();
      h.send(bulkHead(h.admin, 160) + "\0".repeat(160));
      r = h.responses(1).get(0);
      assertThat(r.status().code()).isEqualTo(200);
      r.release();
    }
  }

  @Test
  void serverBudget_exceeded_503RetryAfter() throws Exception {
    try (EmbeddedHttp h = new EmbeddedHttp(dir, b -> b.maxBodyBytesInFlight(1000))) {
      h.send(bulkHead(h.query, 1600) + "\0".repeat(1600));
      FullHttpResponse r = h.responses(1).get(0);
      assertThat(r.status().code()).isEqualTo(503);
      assertThat(r.headers().get("Retry-After")).isEqualTo("1");
      EmbeddedHttp.text(r);
      // the connection stays usable: the rest of the body was discarded
      h.send(EmbeddedHttp.get("/healthz", null));
      r = h.responses(1).get(0);
      assertThat(r.status().code()).isEqualTo(200);
      r.release();
    }
  }

  @Test
  void bodyOverLimitWithoutContentLength_413AndClose() throws Exception {
    try (EmbeddedHttp h = new EmbeddedHttp(dir, b -> b.maxBodyBytes(100))) {
      h.send("POST /v1/lookup HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + h.query
          + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "c8\r\n" + "x".repeat(200) + "\r\n");
      FullHttpResponse r = h.responses(1).get(0);
      assertThat(r.status().code()).isEqualTo(413);
      EmbeddedHttp.text(r);
      assertThat(h.budget.used()).isZero();
    }
  }
}
