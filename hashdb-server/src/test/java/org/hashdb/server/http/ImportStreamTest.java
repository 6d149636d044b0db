package org.hashdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.FullHttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ImportStream} in the request stages on an {@link io.netty.channel.embedded
 * .EmbeddedChannel}: an import's body goes to its worker chunk by chunk as it arrives, the
 * answer keeps request order with what is pipelined after it, and an import whose client goes
 * silent or leaves is aborted (408 and close, or nothing), never left holding the connection.
 */
class ImportStreamTest {
  @TempDir Path dir;

  private static String importHead(String key, String list) {
    return "POST /v1/admin/import?list=" + list + "&format=hex&type=md5 HTTP/1.1\r\nHost: t\r\n"
        + "Authorization: Bearer " + key + "\r\nContent-Type: text/plain\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n";
  }

  private static String chunk(String s) {
    return Integer.toHexString(s.length()) + "\r\n" + s + "\r\n";
  }

  private static String md5(int i) {
    return String.format("%032x", i + 1);
  }

  @Test
  void chunkedBody_streamedAcrossReads_answeredBeforeWhatIsPipelinedAfter() throws Exception {
    try (EmbeddedHttp h = new EmbeddedHttp(dir, b -> {})) {
      h.send(importHead(h.admin, "imported"));
      StringBuilder lines = new StringBuilder();
      for (int i = 0; i < 3000; i++) {
        lines.append(md5(i)).append('\n');
        if (lines.length() > 8000) { // many reads, each a chunk for the worker
          h.send(chunk(lines.toString()));
          lines.setLength(0);
        }
      }
      h.send(chunk(lines.toString()) + "0\r\n\r\n"
          + EmbeddedHttp.get("/v1/hashes/md5/" + md5(2999), h.query));
      List<FullHttpResponse> rs = h.responses(2);
      assertThat(rs).hasSize(2);
      assertThat(rs.get(0).status().code()).isEqualTo(200);
      assertThat(EmbeddedHttp.text(rs.get(0))).contains("\"added\":3000");
      // answered after the import: the last line is already there
      assertThat(EmbeddedHttp.text(rs.get(1))).contains("\"match\":true");
      assertThat(h.ch.isOpen()).isTrue();
      assertThat(h.inFlight.count()).isZero();
    }
  }

  @Test
  void refusedAtStart_errorAnswered_bodyDiscarded_connectionReused() throws Exception {
    try (EmbeddedHttp h = new EmbeddedHttp(dir, b -> {})) {
      h.send("POST /v1/admin/import?list=x&format=nope HTTP/1.1\r\nHost: t\r\n"
          + "Authorization: Bearer " + h.admin + "\r\nContent-Type: text/plain\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n"
          + chunk(md5(1) + "\n") + "0\r\n\r\n" + EmbeddedHttp.get("/healthz", null));
      List<FullHttpResponse> rs = h.responses(2);
      assertThat(rs).extracting(r -> r.status().code()).containsExactly(400, 200);
      rs.forEach(FullHttpResponse::release);
      assertThat(h.ch.isOpen()).isTrue();
    }
  }

  @Test
  void silentClientMidBody_408AndClose_importAborted() throws Exception {
    try (EmbeddedHttp h = new EmbeddedHttp(dir, b -> b.readTimeoutMillis(300))) {
      h.send(importHead(h.admin, "silent") + chunk(md5(7) + "\n"));
      List<FullHttpResponse> rs = h.responses(1, 5000);
      assertThat(rs).hasSize(1);
      assertThat(rs.get(0).status().code()).isEqualTo(408);
      assertThat(rs.get(0).headers().get("Connection")).isEqualTo("close");
      rs.get(0).release();
      h.runFor(200);
      assertThat(h.ch.isOpen()).isFalse();
      assertThat(h.inFlight.count()).isZero();
    }
  }

  @Test
  void clientLeavesMidBody_nothingLeftInFlight() throws Exception {
    try (EmbeddedHttp h = new EmbeddedHttp(dir, b -> {})) {
      h.send(importHead(h.admin, "gone") + chunk(md5(3) + "\n"));
      h.runFor(50);
      assertThat(h.inFlight.count()).isEqualTo(1);
      h.ch.close();
      h.ch.runPendingTasks();
      assertThat(h.inFlight.count()).isZero();
      assertThat(ReadGate.of(h.ch).held(ReadGate.IMPORT)).isFalse();
    }
  }
}
