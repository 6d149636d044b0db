package org.hashdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.FullHttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RequestDeadlines}: head, body rate, whole request and send deadlines. */
class RequestDeadlinesTest {
  @TempDir Path dir;

  private static String lookupHead(String key, int length) {
    return "POST /v1/lookup HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + key
        + "\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n";
  }

  @Test
  void slowHead_closedAfterHeaderTimeout() throws Exception {
    try (EmbeddedHttp h = new EmbeddedHttp(dir, b -> b.headerTimeoutMillis(300))) {
      h.send("GET /healthz HTTP/1.1\r\nX-Slow: ");
      long t0 = System.nanoTime();
      while (h.ch.isOpen() && System.nanoTime() - t0 < 3_000_000_000L) {
        h.send("a"); // bytes keep coming, the head never completes
        h.runFor(20);
      }
      // closed although bytes kept coming (a per-read timeout would never fire), and with no
      // response: the head never completed (no wall-clock window: timing is headerTimeout's tests')
      assertThat(h.ch.isOpen()).isFalse();
      assertThat(h.responses(1, 200)).isEmpty();
    }
  }

  @Test
  void headerTimeout_appliesAgainAfterAResponse() throws Exception {
    try (EmbeddedHttp h = new EmbeddedHttp(dir, b -> b.headerTimeoutMillis(300))) {
      h.send(EmbeddedHttp.get("/healthz", null));
      EmbeddedHttp.text(h.responses(1).get(0));
      h.runFor(150);
      assertThat(h.ch.isOpen()).isTrue();
      h.runFor(600);
      assertThat(h.ch.isOpen()).isFalse();
    }
  }

  @Test
  void trickledBody_belowMinRate_408AndClosed() throws Exception {
    try (EmbeddedHttp h = new EmbeddedHttp(dir,
        b -> b.readTimeoutMillis(400).minBodyBytesPerSecond(100))) {
      h.send(lookupHead(h.query, 1000));
      List<FullHttpResponse> rs = List.of();
      for (int i = 0; i < 100 && rs.isEmpty(); i++) {
        h.send("x"); // a byte every 50 ms: never silent for 400 ms, far below 100 B/s
        rs = h.responses(1, 50);
      }
      assertThat(rs).hasSize(1);
      assertThat(rs.get(0).status().code()).isEqualTo(408);
      assertThat(EmbeddedHttp.text(rs.get(0))).contains("request_timeout");
      h.runFor(100);
      assertThat(h.ch.isOpen()).isFalse();
      assertThat(h.budget.used()).isZero();
    }
  }

  @Test
  void bodyAboveMinRate_butPastRequestTimeout_408() throws Exception {
    try (EmbeddedHttp h = new EmbeddedHttp(dir, b -> b.readTimeoutMillis(5000)
        .minBodyBytesPerSecond(1).requestTimeoutMillis(500))) {
      h.send(lookupHead(h.query, 100_000));
      List<FullHttpResponse> rs = List.of();
      for (int i = 0; i < 100 && rs.isEmpty(); i++) {
        h.send("x".repeat(100));
        rs = h.responses(1, 50);
      }
      assertThat(rs).hasSize(1);
      assertThat(rs.get(0).status().code()).isEqualTo(408);
      EmbeddedHttp.text(rs.get(0));
    }
  }

  @Test
  void silentMidBody_408() throws Exception {
    try (EmbeddedHttp h = new EmbeddedHttp(dir, b -> b.readTimeoutMillis(300))) {
      h.send(lookupHead(h.query, 50) + "{\"quer");
      List<FullHttpResponse> rs = h.responses(1, 3000);
      assertThat(rs.get(0).status().code()).isEqualTo(408);
      EmbeddedHttp.text(rs.get(0));
    }
  }

  @Test
  void unreadResponse_closedAfterSendTimeout() throws Exception {
    try (EmbeddedHttp h = new EmbeddedHttp(dir, b -> b.sendTimeoutMillis(300))) {
      h.ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
      h.send(EmbeddedHttp.get("/healthz", null));
      h.runFor(150);
      assertThat(h.ch.isOpen()).isTrue();
      h.runFor(1000);
      assertThat(h.ch.isOpen()).isFalse();
    }
  }
}
