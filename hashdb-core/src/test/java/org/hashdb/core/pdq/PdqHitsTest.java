package org.hashdb.core.pdq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.hashdb.testing.TestRandom;

class PdqHitsTest {
  @Test
  void sort_smallAndLargeRandomHits_ordersByDistanceThenOrdinal() {
    Random random = TestRandom.random(1);
    PdqHits hits = new PdqHits();
    for (int n : new int[] {0, 1, 2, 100, 1023, 1024, 5000, 70_000}) {
      for (int round = 0; round < 2; round++) { // the second round reuses the radix scratch
        hits.clear();
        long[] expected = new long[n];
        for (int i = 0; i < n; i++) {
          int ordinal = random.nextInt(round == 0 ? Integer.MAX_VALUE : 1000);
          int distance = random.nextInt(257);
          hits.add(ordinal, distance);
          expected[i] = ((long) distance << 32) | ordinal;
        }
        hits.sort();
        Arrays.sort(expected);
        assertThat(hits.size()).isEqualTo(n);
        for (int i = 0; i < n; i++) {
          assertThat(hits.distance(i)).isEqualTo((int) (expected[i] >>> 32));
          assertThat(hits.ordinal(i)).isEqualTo((int) expected[i]);
        }
      }
    }
  }

  @Test
  void sort_equalDistances_sortsByOrdinalOnly() {
    PdqHits hits = new PdqHits();
    for (int i = 2000; i > 0; i--) {
      hits.add(i * 7, 5);
    }
    hits.sort();
    for (int i = 0; i < 2000; i++) {
      assertThat(hits.ordinal(i)).isEqualTo((i + 1) * 7);
      assertThat(hits.distance(i)).isEqualTo(5);
    }
  }
}
