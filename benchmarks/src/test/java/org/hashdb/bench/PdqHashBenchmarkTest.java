package org.hashdb.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PdqHashBenchmarkTest {
  /** Published reference hash of bridge-1-original.jpg (expected.tsv in core's test data). */
  private static final String BRIDGE_PDQ =
      "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";

  @Test
  void benchmarks_bridgePhoto_computeReferenceHash() throws Exception {
    PdqHashBenchmark b = new PdqHashBenchmark();
    b.setUp();
    assertThat(b.decoded.getWidth()).isEqualTo(1600);
    assertThat(b.decodeAndHash().hex()).isEqualTo(BRIDGE_PDQ);
    assertThat(b.hashDecoded().hex()).isEqualTo(BRIDGE_PDQ);
    assertThat(b.hashDecoded().quality()).isEqualTo(100);
  }
}
