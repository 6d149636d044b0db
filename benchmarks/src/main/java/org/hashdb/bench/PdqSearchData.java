package org.hashdb.bench;

import java.util.SplittableRandom;
import org.hashdb.core.pdq.PdqBits;

/**
 * Deterministic data of {@link PdqSearchBenchmark}: uniformly random stored hashes (as Meta's own
 * MIH benchmarks use) and queries of which even ones are planted near-duplicates (a random stored
 * hash with exactly 1..31 distinct bits flipped) and odd ones random misses.
 */
final class PdqSearchData {
  final byte[] hashes;
  final int size;
  final byte[][] queries;
  /** For planted query i, the ordinal it was derived from; -1 for random queries. */
  final int[] sources;
  /** For planted query i, the number of bits flipped; -1 for random queries. */
  final int[] flips;

  PdqSearchData(int size, int queryCount, int maxFlips, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    this.size = size;
    this.hashes = new byte[Math.multiplyExact(32, size)];
    for (int i = 0; i < hashes.length; i += 8) {
      PdqBits.writeLong(random.nextLong(), hashes, i);
    }
    this.queries = new byte[queryCount][32];
    this.sources = new int[queryCount];
    this.flips = new int[queryCount];
    for (int q = 0; q < queryCount; q++) {
      if (q % 2 == 0) {
        int source = random.nextInt(size);
        int k = 1 + random.nextInt(maxFlips);
        System.arraycopy(hashes, 32 * source, queries[q], 0, 32);
        PdqBits.flipDistinctBits(queries[q], k, random);
        sources[q] = source;
        flips[q] = k;
      } else {
        for (int i = 0; i < 32; i += 8) {
          PdqBits.writeLong(random.nextLong(), queries[q], i);
        }
        sources[q] = -1;
        flips[q] = -1;
      }
    }
  }
}
