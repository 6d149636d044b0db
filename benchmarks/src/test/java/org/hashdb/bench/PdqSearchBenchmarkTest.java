package org.hashdb.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.hashdb.core.pdq.PdqBits;
import org.hashdb.core.pdq.PdqHits;
import org.junit.jupiter.api.Test;

class PdqSearchBenchmarkTest {
  private static List<String> run(PdqSearchBenchmark.PdqSearchImpl impl, byte[] q, int d) {
    PdqHits hits = new PdqHits();
    impl.search(q, d, hits);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < hits.size(); i++) {
      out.add(hits.ordinal(i) + ":" + hits.distance(i));
    }
    return out;
  }

  @Test
  void search_mihAndLinear_returnSameResultsAsBruteForce() {
    PdqSearchBenchmark b = new PdqSearchBenchmark();
    b.impl = "mih";
    b.size = 50_000;
    b.maxDistance = 31;
    b.setUp();
    PdqSearchBenchmark.PdqSearchImpl linear = PdqSearchBenchmark.impl("linear", b.index);
    PdqSearchData data = b.data;
    int planted = 0;
    for (int i = 0; i < 300; i++) {
      byte[] q = data.queries[i];
      List<long[]> found = new ArrayList<>();
      for (int o = 0; o < data.size; o++) {
        int d = PdqBits.distance(q, 0, data.hashes, 32 * o);
        if (d <= 31) {
          found.add(new long[] {d, o});
        }
      }
      found.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
      List<String> expected = new ArrayList<>();
      found.forEach(f -> expected.add(f[1] + ":" + f[0]));
      assertThat(run(b.search, q, 31)).isEqualTo(expected);
      assertThat(run(linear, q, 31)).isEqualTo(expected);
      if (data.sources[i] >= 0) {
        planted++;
        assertThat(expected).contains(data.sources[i] + ":" + data.flips[i]);
      } else {
        assertThat(expected).isEmpty(); // random 256-bit hashes are ~128 bits apart
      }
    }
    assertThat(planted).isEqualTo(150);
    assertThat(b.search()).isEqualTo(1); // query 0 is planted
    assertThat(b.search()).isZero(); // query 1 is random
  }

  @Test
  void impl_unknownName_throws() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PdqSearchBenchmark.impl("x", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("impl");
  }
}
