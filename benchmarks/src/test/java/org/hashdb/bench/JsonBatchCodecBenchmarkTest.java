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
      // 495 misses of 32 bytes, 5 hits, the framing
      assertThat(bytes).isEqualTo(b.write());
      assertThat(bytes).isGreaterThan(500 * 32);
    } finally {
      b.tearDown();
    }
  }
}
