package org.hashdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.FullHttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ProtocolCheck} on an embedded channel: versions and header field counts. */
class ProtocolCheckTest {
  @TempDir Path dir;

  @Test
  void cleartextHttp2And3RequestLines_are505AndClose() throws Exception {
    for (String v : List.of("HTTP/2.0", "HTTP/3.0")) {
      try (EmbeddedHttp h = new EmbeddedHttp(dir.resolve(v.replace('/', '_')), b -> {})) {
        h.send("GET /healthz " + v + "\r\nHost: t\r\n\r\n");
        FullHttpResponse r = h.responses(1).get(0);
        assertThat(r.status().code()).isEqualTo(505);
        assertThat(r.headers().get("Connection")).isEqualTo("close");
        assertThat(EmbeddedHttp.text(r)).contains("\"code\":\"http_version_not_supported\"");
        h.runFor(50);
        assertThat(h.ch.isOpen()).isFalse();
      }
    }
  }

  @Test
  void http10And11_served() throws Exception {
    try (EmbeddedHttp h = new EmbeddedHttp(dir, b -> {})) {
      h.send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
          + "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
      List<FullHttpResponse> rs = h.responses(2);
      assertThat(rs).extracting(r -> r.status().code()).containsExactly(200, 200);
      rs.forEach(EmbeddedHttp::text);
    }
  }

  @Test
  void headerFields_exactlyLimitServed_oneMoreIs431() throws Exception {
    try (EmbeddedHttp h = new EmbeddedHttp(dir, b -> b.maxHeaderFields(20))) {
      StringBuilder ok = new StringBuilder("GET /healthz HTTP/1.1\r\n");
      for (int i = 0; i < 20; i++) {
        ok.append("X-F").append(i).append(": v\r\n");
      }
      h.send(ok + "\r\n");
      FullHttpResponse r = h.responses(1).get(0);
      assertThat(r.status().code()).isEqualTo(200);
      EmbeddedHttp.text(r);
      h.send(ok + "X-One-More: v\r\n\r\n");
      r = h.responses(1).get(0);
      assertThat(r.status().code()).isEqualTo(431);
      assertThat(EmbeddedHttp.text(r)).contains("more than 20 header fields");
    }
  }

  @Test
  void defaultFieldCap_is100() throws Exception {
    try (EmbeddedHttp h = new EmbeddedHttp(dir, b -> {})) {
      StringBuilder req = new StringBuilder("GET /healthz HTTP/1.1\r\n");
      for (int i = 0; i < 10_000; i++) {
        req.append("A").append(i).append(":\r\n");
      }
      h.send(req + "\r\n");
      FullHttpResponse r = h.responses(1).get(0);
      assertThat(r.status().code()).isEqualTo(431);
      EmbeddedHttp.text(r);
    }
  }
}
