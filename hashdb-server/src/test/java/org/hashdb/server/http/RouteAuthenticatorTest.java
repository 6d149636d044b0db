package org.hashdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.FullHttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RouteAuthenticator} and {@link KeyBudgetCheck}: refusals at the head, in order. */
class RouteAuthenticatorTest {
  @TempDir Path dir;

  @Test
  void routingAndKeyRefusals_pipelinedInOrder() throws Exception {
    try (EmbeddedHttp h = new EmbeddedHttp(dir, b -> {})) {
      h.send(EmbeddedHttp.get("/nope", null)
          + "PUT /healthz HTTP/1.1\r\nContent-Length: 0\r\n\r\n"
          + EmbeddedHttp.get("/v1/hashes/md5/" + EmbeddedHttp.MD5, null)
          + EmbeddedHttp.get("/v1/hashes/md5/" + EmbeddedHttp.MD5, "hdb_nope")
          + EmbeddedHttp.get("/v1/admin/stats", h.query)
          + EmbeddedHttp.get("/v1/hashes/md5/" + EmbeddedHttp.MD5, h.query));
      List<FullHttpResponse> rs = h.responses(6);
      assertThat(rs).extracting(r -> r.status().code())
          .containsExactly(404, 405, 401, 401, 403, 200);
      assertThat(rs.get(1).headers().get("Allow")).isEqualTo("GET");
      assertThat(rs.get(2).headers().get("WWW-Authenticate")).isEqualTo("Bearer");
      rs.forEach(EmbeddedHttp::text);
    }
  }

  @Test
  void rateLimitedKey_429AfterItsBurst_othersServed() throws Exception {
    try (EmbeddedHttp h = new EmbeddedHttp(dir, b -> {})) {
      h.send(EmbeddedHttp.get("/v1/hashes/md5/" + EmbeddedHttp.MD5, h.limited).repeat(30)
          + EmbeddedHttp.get("/v1/hashes/md5/" + EmbeddedHttp.MD5, h.query));
      List<FullHttpResponse> rs = h.responses(31);
      // a burst of 10 at once; refills of 10/s cannot cover 30 sent together
      assertThat(rs.subList(0, 10)).extracting(r -> r.status().code()).containsOnly(200);
      assertThat(rs).extracting(r -> r.status().code()).filteredOn(c -> c == 429).isNotEmpty();
      FullHttpResponse limited = rs.stream().filter(r -> r.status().code() == 429).findFirst()
          .orElseThrow();
      assertThat(limited.headers().get("Retry-After")).isEqualTo("1");
      assertThat(rs.get(30).status().code()).isEqualTo(200);
      rs.forEach(EmbeddedHttp::text);
    }
  }

  @Test
  void workInsideABatch_chargedToTheKey() throws Exception {
    try (EmbeddedHttp h = new EmbeddedHttp(dir, b -> {})) {
      StringBuilder q = new StringBuilder("{\"queries\":[");
      for (int i = 0; i < 50; i++) {
        q.append(i == 0 ? "" : ",").append("{\"type\":\"md5\",\"hash\":\"")
            .append(EmbeddedHttp.MD5).append("\"}");
      }
      String body = q.append("]}").toString();
      String post = "POST /v1/lookup HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + h.limited
          + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
          + "\r\n\r\n" + body;
      // 50 queries for a key of 10/s: each batch needs a full bucket (1 s of refill), so of
      // three sent together at least one is refused, though three requests fit the burst
      h.send(post.repeat(3));
      List<FullHttpResponse> rs = h.responses(3);
      assertThat(rs).extracting(r -> r.status().code()).contains(429);
      FullHttpResponse limited = rs.stream().filter(r -> r.status().code() == 429).findFirst()
          .orElseThrow();
      assertThat(limited.headers().get("Retry-After")).isNotNull();
      assertThat(limited.content().toString(java.nio.charset.StandardCharsets.UTF_8))
          .contains("tokens per second");
      rs.forEach(EmbeddedHttp::text);
      h.send(post.replace(h.limited, h.query).repeat(3)); // unlimited key: all served
      rs = h.responses(3);
      assertThat(rs).extracting(r -> r.status().code()).containsOnly(200);
      rs.forEach(EmbeddedHttp::text);
    }
  }
}
