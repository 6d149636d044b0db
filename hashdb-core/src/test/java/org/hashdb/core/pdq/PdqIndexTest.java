package org.hashdb.core.pdq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.hashdb.testing.TestRandom;

class PdqIndexTest {
  private static final IntPredicate ALL = o -> true;

  /**
   * Random hashes plus clusters: each centre has stored variants at every distance 0..64 (exactly
   * k random bits flipped) and an exact duplicate, so every distance has hits.
   */
  private static List<byte[]> clusteredHashes(Random random, int noise, int centres,
      List<byte[]> queries) {
    List<byte[]> hashes = new ArrayList<>();
    for (int i = 0; i < noise; i++) {
      hashes.add(PdqIndexOracle.randomHash(random));
    }
    for (int c = 0; c < centres; c++) {
      byte[] centre = PdqIndexOracle.randomHash(random);
      hashes.add(centre);
      hashes.add(centre.clone());
      for (int k = 0; k <= 64; k++) {
        hashes.add(PdqIndexOracle.flip(centre, k, random));
      }
      queries.add(centre);
      queries.add(PdqIndexOracle.flip(centre, random.nextInt(40), random));
    }
    // Shuffle so that clusters spread over ordinals, postings and the tail.
    for (int i = hashes.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      byte[] t = hashes.get(i);
      hashes.set(i, hashes.get(j));
      hashes.set(j, t);
    }
    for (int i = 0; i < 20; i++) {
      queries.add(PdqIndexOracle.randomHash(random)); // misses
    }
    return hashes;
  }

  private static byte[] concat(List<byte[]> hashes, int from, int to) {
    byte[] all = new byte[32 * (to - from)];
    for (int i = from; i < to; i++) {
      System.arraycopy(hashes.get(i), 0, all, 32 * (i - from), 32);
    }
    return all;
  }

  /** Checks search, searchMih and searchLinear against the oracle for every query and distance. */
  private static void assertAllPlansMatchOracle(PdqIndex index, PdqIndexOracle oracle,
      List<byte[]> queries, int[] distances, IntPredicate accept) {
    PdqHits hits = new PdqHits();
    for (byte[] q : queries) {
      for (int d : distances) {
        List<String> expected = oracle.search(q, d, accept);
        index.search(q, 0, d, accept, hits);
        assertThat(PdqIndexOracle.asList(hits)).as("search d=%d", d).isEqualTo(expected);
        index.searchMih(q, 0, d, accept, hits);
        assertThat(PdqIndexOracle.asList(hits)).as("searchMih d=%d", d).isEqualTo(expected);
        index.searchLinear(q, 0, d, accept, hits);
        assertThat(PdqIndexOracle.asList(hits)).as("searchLinear d=%d", d).isEqualTo(expected);
      }
    }
  }

  private static int[] range(int from, int to) {
    int[] r = new int[to - from + 1];
    for (int i = 0; i < r.length; i++) {
      r[i] = from + i;
    }
    return r;
  }

  @Test
  void search_plantedNeighboursAtEveryDistance_equalsBruteForce() {
    Random random = TestRandom.random(1);
    List<byte[]> queries = new ArrayList<>();
    List<byte[]> hashes = clusteredHashes(random, 6000, 40, queries);
    PdqIndex index = new PdqIndex();
    PdqIndexOracle oracle = new PdqIndexOracle();
    hashes.forEach(oracle::add);
    index.appendAll(concat(hashes, 0, hashes.size()), 0, hashes.size());
    assertThat(index.indexedSize()).isEqualTo(hashes.size());

    assertAllPlansMatchOracle(index, oracle, queries, range(0, 64), ALL);
  }

  @Test
  void search_plantedQueriesAtEveryDistance_findTheirSource() {
    Random random = TestRandom.random(2);
    PdqIndex index = new PdqIndex(16);
    PdqIndexOracle oracle = new PdqIndexOracle();
    for (int i = 0; i < 3000; i++) {
      byte[] h = PdqIndexOracle.randomHash(random);
      oracle.add(h);
      index.append(h, 0);
    }
    PdqHits hits = new PdqHits();
    for (int k = 0; k <= 64; k++) {
      int source = random.nextInt(oracle.size());
      byte[] q = PdqIndexOracle.flip(oracle.get(source), k, random);
      index.searchMih(q, 0, k, ALL, hits);
      assertThat(PdqIndexOracle.asList(hits)).contains(source + ":" + k)
          .isEqualTo(oracle.search(q, k, ALL));
      if (k > 0) {
        index.searchMih(q, 0, k - 1, ALL, hits);
        assertThat(PdqIndexOracle.asList(hits)).doesNotContain(source + ":" + k)
            .isEqualTo(oracle.search(q, k - 1, ALL));
      }
    }
  }

  @Test
  void search_largeDistancesUpTo256_equalsBruteForce() {
    Random random = TestRandom.random(3);
    List<byte[]> queries = new ArrayList<>();
    List<byte[]> hashes = clusteredHashes(random, 300, 4, queries);
    PdqIndex index = new PdqIndex(1);
    PdqIndexOracle oracle = new PdqIndexOracle();
    hashes.forEach(oracle::add);
    index.appendAll(concat(hashes, 0, hashes.size()), 0, hashes.size());
    assertAllPlansMatchOracle(index, oracle, queries.subList(0, 6),
        new int[] {65, 80, 96, 111, 127, 128, 129, 160, 200, 255, 256}, ALL);
  }

  @Test
  void search_acceptFilter_returnsOnlyAdmittedOrdinalsAndCallsItOnlyForMatches() {
    Random random = TestRandom.random(4);
    List<byte[]> queries = new ArrayList<>();
    List<byte[]> hashes = clusteredHashes(random, 2000, 30, queries);
    PdqIndex index = new PdqIndex(64);
    PdqIndexOracle oracle = new PdqIndexOracle();
    hashes.forEach(oracle::add);
    index.appendAll(concat(hashes, 0, hashes.size()), 0, hashes.size());
    IntPredicate everyThird = o -> o % 3 != 0;
    assertAllPlansMatchOracle(index, oracle, queries, new int[] {0, 15, 16, 31, 32, 47, 64},
        everyThird);

    int[] calls = new int[1];
    PdqHits hits = new PdqHits();
    byte[] q = queries.get(0);
    index.searchMih(q, 0, 31, o -> {
      calls[0]++;
      assertThat(PdqBits.distance(q, 0, oracle.get(o), 0)).isLessThanOrEqualTo(31);
      return false;
    }, hits);
    assertThat(hits.size()).isZero();
    assertThat(calls[0]).isEqualTo(oracle.search(q, 31, ALL).size());
  }

  @Test
  void search_duplicateHashes_reportsEveryOrdinalOnce() {
    Random random = TestRandom.random(5);
    PdqIndex index = new PdqIndex(8);
    byte[] h = PdqIndexOracle.randomHash(random);
    byte[] near = PdqIndexOracle.flip(h, 17, random);
    for (int i = 0; i < 300; i++) {
      index.append(i % 3 == 2 ? near : h, 0);
      index.append(PdqIndexOracle.randomHash(random), 0);
    }
    PdqHits hits = new PdqHits();
    index.searchMih(h, 0, 31, ALL, hits);
    assertThat(hits.size()).isEqualTo(300);
    for (int i = 0; i < hits.size(); i++) {
      int expectedOrdinal = 2 * (i < 200 ? (i / 2) * 3 + i % 2 : (i - 200) * 3 + 2);
      assertThat(hits.ordinal(i)).isEqualTo(expectedOrdinal);
      assertThat(hits.distance(i)).isEqualTo(i < 200 ? 0 : 17);
    }
  }

  @Test
  void append_afterBulkBuild_tailAndRebuildsStayExact() {
    Random random = TestRandom.random(6);
    List<byte[]> queries = new ArrayList<>();
    List<byte[]> hashes = clusteredHashes(random, 3000, 40, queries);
    PdqIndex index = new PdqIndex(256);
    PdqIndexOracle oracle = new PdqIndexOracle();
    int bulk = 1500;
    index.appendAll(concat(hashes, 0, bulk), 0, bulk);
    for (int i = 0; i < bulk; i++) {
      oracle.add(hashes.get(i));
    }
    assertThat(index.indexedSize()).isEqualTo(bulk);
    int rebuilds = 0;
    int lastBase = index.indexedSize();
    for (int i = bulk; i < hashes.size(); i++) {
      assertThat(index.append(hashes.get(i), 0)).isEqualTo(i);
      oracle.add(hashes.get(i));
      index.awaitRebuild(); // as if each rebuild were instant: it then covers exactly 0..i
      if (index.indexedSize() != lastBase) {
        rebuilds++;
        lastBase = index.indexedSize();
        assertThat(lastBase).isEqualTo(i + 1);
      }
      if (i % 500 == 0 || i == hashes.size() - 1) {
        // Both a non-empty tail and a freshly rebuilt index are checked along the way.
        assertAllPlansMatchOracle(index, oracle, queries.subList(0, 12), new int[] {0, 9, 31, 40},
            ALL);
      }
    }
    assertThat(rebuilds).isGreaterThanOrEqualTo(3);
    assertThat(index.size()).isEqualTo(hashes.size());
    // A small bulk append after the build lands in the tail.
    List<byte[]> more = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      more.add(PdqIndexOracle.flip(queries.get(i % queries.size()), i % 33, random));
    }
    index.appendAll(concat(more, 0, more.size()), 0, more.size());
    more.forEach(oracle::add);
    assertThat(index.indexedSize()).isLessThan(index.size());
    assertAllPlansMatchOracle(index, oracle, queries, new int[] {0, 10, 31, 32, 63}, ALL);
  }

  @Test
  void append_singleAppendsWithoutWaiting_rebuildInBackgroundBoundTheTailAndStayExact() {
    Random random = TestRandom.random(11);
    List<byte[]> queries = new ArrayList<>();
    List<byte[]> hashes = clusteredHashes(random, 6000, 40, queries);
    PdqIndex index = new PdqIndex(256);
    PdqIndexOracle oracle = new PdqIndexOracle();
    int maxTail = 0;
    for (int i = 0; i < hashes.size(); i++) {
      index.append(hashes.get(i), 0);
      oracle.add(hashes.get(i));
      int base = index.indexedSize();
      int tail = index.size() - base;
      maxTail = Math.max(maxTail, tail);
      // Back-pressure: a rebuild may lag, but never lets the scanned tail grow past the bound.
      assertThat((long) tail).as("tail after append %d", i)
          .isLessThanOrEqualTo((long) PdqIndex.TAIL_WAIT_FACTOR * index.tailLimit(base, index.size()));
      if (i % 700 == 0) {
        assertAllPlansMatchOracle(index, oracle, queries.subList(0, 8), new int[] {0, 31, 40},
            ALL);
      }
    }
    index.awaitRebuild();
    assertThat(index.indexedSize()).isPositive();
    assertThat(maxTail).isGreaterThanOrEqualTo(256); // the tail did reach the rebuild limit
    assertAllPlansMatchOracle(index, oracle, queries, new int[] {0, 10, 31, 63}, ALL);
  }

  @Test
  void append_whileARebuildIsPending_doesNotWaitAndStartsNoSecondBuild() {
    Random random = TestRandom.random(12);
    List<byte[]> queries = new ArrayList<>();
    List<byte[]> hashes = clusteredHashes(random, 2000, 20, queries);
    List<Runnable> held = new ArrayList<>(); // the rebuild "thread": runs only when the test says
    PdqIndex index = new PdqIndex(256, held::add);
    PdqIndexOracle oracle = new PdqIndexOracle();
    int limit = index.tailLimit(0, 256);
    int waitAt = PdqIndex.TAIL_WAIT_FACTOR * limit;
    for (int i = 0; i < waitAt - 1; i++) { // one short of the back-pressure bound
      index.append(hashes.get(i), 0);
      oracle.add(hashes.get(i));
    }
    assertThat(held).hasSize(1); // started once, when the tail reached the limit
    assertThat(index.indexedSize()).isZero(); // appends went on without the postings
    assertAllPlansMatchOracle(index, oracle, queries.subList(0, 6), new int[] {0, 31}, ALL);

    held.remove(0).run(); // the rebuild finishes and publishes what it covered
    assertThat(index.indexedSize()).isEqualTo(limit);
    assertAllPlansMatchOracle(index, oracle, queries.subList(0, 6), new int[] {0, 31}, ALL);

    index.append(hashes.get(waitAt - 1), 0); // adopts it; the tail is still long: a new build
    oracle.add(hashes.get(waitAt - 1));
    assertThat(held).hasSize(1);
    held.remove(0).run();
    assertThat(index.indexedSize()).isEqualTo(waitAt);
    assertAllPlansMatchOracle(index, oracle, queries, new int[] {0, 10, 31, 63}, ALL);
  }

  @Test
  void appendUnindexed_chunksThenBuildIndex_buildsOnceAndStaysExact() {
    Random random = TestRandom.random(13);
    List<byte[]> queries = new ArrayList<>();
    List<byte[]> hashes = clusteredHashes(random, 3000, 30, queries);
    PdqIndex index = new PdqIndex(256);
    PdqIndexOracle oracle = new PdqIndexOracle();
    byte[] all = concat(hashes, 0, hashes.size());
    for (int start = 0; start < hashes.size(); start += 500) {
      int m = Math.min(500, hashes.size() - start);
      index.appendUnindexed(all, 32 * start, m);
      hashes.subList(start, start + m).forEach(oracle::add);
      assertThat(index.indexedSize()).isZero(); // chunks only join the tail
      assertThat(index.size()).isEqualTo(start + m);
    }
    assertAllPlansMatchOracle(index, oracle, queries.subList(0, 6), new int[] {0, 31}, ALL);
    index.buildIndex();
    assertThat(index.indexedSize()).isEqualTo(hashes.size());
    assertAllPlansMatchOracle(index, oracle, queries, new int[] {0, 10, 31, 63}, ALL);
  }

  @Test
  void search_smallIndexWithoutPostings_equalsBruteForce() {
    Random random = TestRandom.random(7);
    List<byte[]> queries = new ArrayList<>();
    List<byte[]> hashes = clusteredHashes(random, 200, 5, queries);
    PdqIndex index = new PdqIndex();
    PdqIndexOracle oracle = new PdqIndexOracle();
    PdqHits hits = new PdqHits();
    index.search(queries.get(0), 0, 31, ALL, hits);
    assertThat(hits.size()).isZero();
    for (byte[] h : hashes) {
      index.append(h, 0);
      oracle.add(h);
    }
    assertThat(index.indexedSize()).isZero();
    assertAllPlansMatchOracle(index, oracle, queries, new int[] {0, 31, 64}, ALL);
  }

  @Test
  void search_queryAtOffset_usesTheBytesAtOffset() {
    Random random = TestRandom.random(8);
    PdqIndex index = new PdqIndex(1);
    byte[] h = PdqIndexOracle.randomHash(random);
    for (int i = 0; i < 50; i++) {
      index.append(PdqIndexOracle.randomHash(random), 0);
    }
    byte[] buf = new byte[100];
    System.arraycopy(h, 0, buf, 40, 32);
    index.append(buf, 40);
    PdqHits hits = new PdqHits();
    index.search(buf, 40, 0, ALL, hits);
    assertThat(PdqIndexOracle.asList(hits)).containsExactly("50:0");
  }

  @Test
  void search_plannerAtScale_choosesMihForSmallDistancesAndScanForLarge() {
    Random random = TestRandom.random(9);
    int n = 200_000;
    byte[] all = new byte[32 * n];
    random.nextBytes(all);
    PdqIndex index = new PdqIndex();
    index.appendAll(all, 0, n);
    assertThat(index.plansMih(31)).isTrue();
    assertThat(index.plansMih(64)).isFalse();
    assertThat(index.plansMih(256)).isFalse();
    PdqIndex small = new PdqIndex(1);
    small.appendAll(all, 0, 100);
    assertThat(small.plansMih(63)).isFalse();
  }

  @Test
  void copyHash_returnsStoredBytes() {
    Random random = TestRandom.random(10);
    PdqIndex index = new PdqIndex();
    List<byte[]> hashes = new ArrayList<>();
    for (int i = 0; i < 70_000; i++) { // crosses a page boundary and the first page's growth
      hashes.add(PdqIndexOracle.randomHash(random));
    }
    index.appendAll(concat(hashes, 0, 1000), 0, 1000);
    for (int i = 1000; i < hashes.size(); i++) {
      index.append(hashes.get(i), 0);
    }
    byte[] out = new byte[40];
    for (int o : new int[] {0, 63, 64, 65535, 65536, 69_999}) {
      index.copyHash(o, out, 8);
      assertThat(java.util.Arrays.copyOfRange(out, 8, 40)).isEqualTo(hashes.get(o));
    }
  }

  @Test
  void boundaries_badArguments_throwPreciseExceptions() {
    PdqIndex index = new PdqIndex();
    byte[] h = new byte[32];
    PdqHits hits = new PdqHits();
    index.append(h, 0);
    assertThatThrownBy(() -> index.search(h, 0, 257, ALL, hits))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDistance");
    assertThatThrownBy(() -> index.search(h, 0, -1, ALL, hits))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDistance");
    assertThatThrownBy(() -> index.search(h, 1, 31, ALL, hits))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> index.append(h, 4)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> index.appendAll(h, 0, 2))
        .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("count");
    assertThatThrownBy(() -> index.appendAll(h, 0, -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("count");
    assertThatThrownBy(() -> index.copyHash(1, new byte[32], 0))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> hits.ordinal(0)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(index.size()).isEqualTo(1);
  }

  @Test
  void ramBytesUsed_coversHashesAndPackedPostings() {
    Random random = TestRandom.random(11);
    int n = 100_000;
    byte[] all = new byte[32 * n];
    random.nextBytes(all);
    PdqIndex index = new PdqIndex();
    long empty = index.ramBytesUsed();
    index.appendAll(all, 0, n);
    long used = index.ramBytesUsed();
    long hashes = 32L * n;
    // Per position: packed entries, Elias-Fano high bits (n ones, 65536 * 2 zeros), offsets.
    long postings = 16L * (n * (long) MihPostings.ENTRY_BITS + n + 65536L * 2) / 8;
    long offsets = 16L * 4 * 65537;
    long pageSlack = 2L * 32 * PdqHashPages.PAGE_HASHES;
    assertThat(used - empty).isBetween(hashes + postings + offsets,
        hashes + postings + offsets + pageSlack);
  }

  @Test
  void build_buckets_holdExactlyTheOrdinalsWithThatWordAscending() {
    Random random = TestRandom.random(12);
    for (int n : new int[] {1, 1000, 140_000}) {
      byte[] all = new byte[32 * n];
      random.nextBytes(all);
      for (int i = 0; i < n; i += 7) { // crowd some buckets
        all[32 * i + 6] = 0x12;
        all[32 * i + 7] = 0x34;
      }
      PdqIndex index = new PdqIndex(1);
      index.appendAll(all, 0, n);
      MihPostings postings = index.postingsForTest();
      for (int p = 0; p < MihPostings.POSITIONS; p++) {
        List<List<Integer>> expected = new ArrayList<>();
        for (int v = 0; v < 65536; v++) {
          expected.add(new ArrayList<>());
        }
        for (int o = 0; o < n; o++) {
          long lane = PdqBits.readLong(all, 32 * o + 8 * (p >>> 2));
          expected.get((int) (lane >>> (16 * (p & 3))) & 0xffff).add(o);
        }
        for (int v = 0; v < 65536; v++) {
          int[] bucket = postings.bucket(p, v);
          assertThat(bucket.length).isEqualTo(expected.get(v).size());
          for (int i = 0; i < bucket.length; i++) {
            assertThat(bucket[i]).isEqualTo(expected.get(v).get(i));
          }
        }
      }
    }
  }

  @Test
  void search_beyondOnePageWithCrowdedBuckets_equalsBruteForce() {
    // 150K hashes: ordinals need Elias-Fano high bits; one word value is shared by every 5th hash,
    // so its bucket spans many words of high bits and hits sit deep inside it.
    Random random = TestRandom.random(13);
    int n = 150_000;
    PdqIndexOracle oracle = new PdqIndexOracle();
    byte[] all = new byte[32 * n];
    byte[] centre = PdqIndexOracle.randomHash(random);
    for (int i = 0; i < n; i++) {
      byte[] h = i % 5 == 0 ? PdqIndexOracle.flip(centre, random.nextInt(48), random)
          : PdqIndexOracle.randomHash(random);
      if (i % 5 == 0) {
        h[30] = centre[30];
        h[31] = centre[31];
      }
      System.arraycopy(h, 0, all, 32 * i, 32);
      oracle.add(h);
    }
    PdqIndex index = new PdqIndex();
    index.appendAll(all, 0, n);
    List<byte[]> queries = new ArrayList<>();
    queries.add(centre);
    for (int k = 0; k < 12; k++) {
      queries.add(PdqIndexOracle.flip(oracle.get(random.nextInt(n)), 3 * k, random));
    }
    assertAllPlansMatchOracle(index, oracle, queries, new int[] {0, 16, 31, 40}, ALL);
  }
}
