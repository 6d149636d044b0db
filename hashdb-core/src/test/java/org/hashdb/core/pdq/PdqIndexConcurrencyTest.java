package org.hashdb.core.pdq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.hashdb.testing.TestRandom;

class PdqIndexConcurrencyTest {
  /**
   * One writer appends (through tails and rebuilds) while readers search. A search must return
   * every match appended before it started, only hashes appended by the time it ended, with
   * correct distances, sorted and without duplicates.
   */
  @Test
  void search_whileWriterAppends_seesEveryEarlierAppendAndNothingWrong() throws Exception {
    Random random = TestRandom.random(42);
    int n = 40_000;
    List<byte[]> centres = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      centres.add(PdqIndexOracle.randomHash(random));
    }
    byte[][] hashes = new byte[n][];
    for (int i = 0; i < n; i++) {
      hashes[i] = i % 4 == 0
          ? PdqIndexOracle.flip(centres.get(random.nextInt(centres.size())), random.nextInt(40),
              random)
          : PdqIndexOracle.randomHash(random);
    }
    PdqIndex index = new PdqIndex(512);
    AtomicBoolean done = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Integer>> readers = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        int seed = t;
        readers.add(pool.submit(() -> {
          Random r = new Random(seed);
          PdqHits hits = new PdqHits();
          int searches = 0;
          while (!done.get() || searches < 50) {
            byte[] q = centres.get(r.nextInt(centres.size()));
            int before = index.size();
            index.search(q, 0, 31, o -> true, hits);
            int after = index.size();
            int seen = 0;
            int prevDistance = -1;
            int prevOrdinal = -1;
            for (int i = 0; i < hits.size(); i++) {
              int o = hits.ordinal(i);
              int d = hits.distance(i);
              assertThat(o).isLessThan(after);
              assertThat(d).isEqualTo(PdqBits.distance(q, 0, hashes[o], 0)).isLessThanOrEqualTo(31);
              assertThat(d > prevDistance || (d == prevDistance && o > prevOrdinal)).isTrue();
              prevDistance = d;
              prevOrdinal = o;
              seen += o < before ? 1 : 0;
            }
            int expected = 0;
            for (int o = 0; o < before; o++) {
              expected += PdqBits.distance(q, 0, hashes[o], 0) <= 31 ? 1 : 0;
            }
            assertThat(seen).isEqualTo(expected);
            searches++;
          }
          return searches;
        }));
      }
      for (int i = 0; i < n; i++) {
        index.append(hashes[i], 0);
      }
      done.set(true);
      for (Future<Integer> f : readers) {
        assertThat(f.get(60, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(50);
      }
      assertThat(index.indexedSize()).isGreaterThan(n / 2);
    } finally {
      done.set(true);
      pool.shutdownNow();
    }
  }
}
