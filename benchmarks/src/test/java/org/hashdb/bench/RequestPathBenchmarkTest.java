package org.hashdb.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestPathBenchmarkTest {
  @Test
  void request_hashRoute_answers200WithHitsAndMisses() throws Exception {
    RequestPathBenchmark b = new RequestPathBenchmark();
    b.size = 10_000;
    b.route = "hash";
    b.setUp();
    try {
      int hits = 0;
      for (int i = 0; i < 64; i++) {
        b.channel.writeInbound(b.requests[i].retainedDuplicate());
        StringBuilder sb = new StringBuilder();
        ByteBuf out;
        while ((out = b.channel.readOutbound()) != null) {
          sb.append(out.toString(StandardCharsets.UTF_8));
          out.release();
        }
        String resp = sb.toString();
        assertThat(resp).startsWith("HTTP/1.1 200 OK");
        if (resp.contains("\"match\":true")) {
          hits++;
        } else {
          assertThat(resp).contains("\"match\":false");
        }
      }
      assertThat(hits).isEqualTo(4); // every 16th request is a hit
      assertThat(b.request()).isGreaterThan(100);
    } finally {
      b.tearDown();
    }
  }

  @Test
  void request_healthz_answers200() throws Exception {
    RequestPathBenchmark b = new RequestPathBenchmark();
    b.size = 10;
    b.route = "healthz";
    b.setUp();
    try {
      assertThat(b.request()).isGreaterThan(50);
    } finally {
      b.tearDown();
    }
  }
}
