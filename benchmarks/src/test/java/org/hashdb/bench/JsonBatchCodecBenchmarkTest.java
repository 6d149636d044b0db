package org.hashdb.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.hashdb.core.hash.HashType;
import org.junit.jupiter.api.Test;

class JsonBatchCodecBenchmarkTest {
  @Test
  void roundTrip_parsesEveryQueryAndWritesEveryResult() throws IOException {
    JsonBatchCodecBenchmark b = new JsonBatchCodecBenchmark();
    b.queries = 500;
    b.setUp();
    try {
      assertThat(b.parse()).isEqualTo(500);
      int pdq = 0;
      for (int i = 0; i < 500; i++) {
        if (b.batch.type(i) == HashType.PDQ) {
          pdq++;
          assertThat(b.batch.maxDistance(i)).isEqualTo(20);
        }
      }
      assertThat(pdq).isBetween(60, 190);
      int bytes = b.roundTrip();
      // oracle: the same response built as a string
      String hit = "{\"match\":true,\"matches\":[{\"entry\":\"" + b.hit.get(0).entry()
          + "\",\"list\":\"eokm-nl\",\"category\":\"A1\",\"distance\":0}]}";
      StringBuilder expect = new StringBuilder("{\"results\":[");
      for (int i = 0; i < 500; i++) {
        expect.append(i == 0 ? "" : ",").append(i % 100 == 0 ? hit
            : "{\"match\":false,\"matches\":[]}");
      }
      expect.append("]}");
      assertThat(bytes).isEqualTo(expect.length());
      assertThat(b.write()).isEqualTo(bytes);
    } finally {
      b.tearDown();
    }
  }
}
