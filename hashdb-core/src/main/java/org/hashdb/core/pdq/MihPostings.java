package org.hashdb.core.pdq;

import java.util.function.IntPredicate;

/**
 * Immutable multi-index-hashing postings over ordinals {@code 0..size-1} of a {@link PdqHashPages}.
 *
 * <p>The 256 bits are cut into 16 positions of 16 bits: position {@code p} is bits
 * {@code 16*(p&3)..16*(p&3)+15} of the big-endian long {@code p>>>2} of the hash. For each
 * position, a CSR layout: {@code offsets[p][v]..offsets[p][v+1]} are the indexes, in
 * {@code packed[p]}, of the ordinals whose word {@code p} equals {@code v}, ascending. Ordinals are
 * bit-packed at {@link #bits} bits each (24 at 10M hashes), so the postings cost
 * {@code 16 * bits / 8} bytes per hash plus 4 MB of offsets.
 *
 * <p>Search uses the refined pigeonhole of Norouzi et al. (MIH, 2012): write {@code d = 16r + a}
 * ({@code 0 <= a < 16}); a hash within {@code d} has a word at position {@code p <= a} within
 * {@code r} of the query's, or a word at {@code p > a} within {@code r - 1}. (Otherwise the
 * distance is at least {@code (a+1)(r+1) + (15-a)r = d+1}.) A candidate can be reached from several
 * positions; it is reported only from the first position whose radius admits it (its "owner"),
 * which costs nothing for non-matches and needs no visited-set.
 */
final class MihPostings {
  static final int POSITIONS = 16;
  private static final int VALUES = 1 << 16;

  /** All 16-bit masks ordered by popcount; masks of weight {@code <= r} are the first NEIGHBOURS[r]. */
  private static final char[] MASKS_BY_WEIGHT = new char[VALUES];
  /** NEIGHBOURS[r] = number of 16-bit values within distance r of a word (r = 0..16). */
  private static final int[] NEIGHBOURS = new int[17];

  static {
    int[] countByWeight = new int[17];
    for (int m = 0; m < VALUES; m++) {
      countByWeight[Integer.bitCount(m)]++;
    }
    int[] next = new int[17];
    for (int w = 1; w <= 16; w++) {
      next[w] = next[w - 1] + countByWeight[w - 1];
    }
    for (int m = 0; m < VALUES; m++) {
      MASKS_BY_WEIGHT[next[Integer.bitCount(m)]++] = (char) m;
    }
    for (int r = 0; r <= 16; r++) {
      NEIGHBOURS[r] = (r == 0 ? 0 : NEIGHBOURS[r - 1]) + countByWeight[r];
    }
  }

  /** Number of ordinals indexed: 0..size-1. */
  final int size;
  /** Bits per packed ordinal. */
  final int bits;
  /** offsets[p] has VALUES + 1 entries; bucket v of position p is [offsets[p][v], offsets[p][v+1]). */
  private final int[][] offsets;
  /** packed[p]: bit-packed ordinals, one trailing spare long so decoding may read word + 1. */
  private final long[][] packed;

  private MihPostings(int size, int bits, int[][] offsets, long[][] packed) {
    this.size = size;
    this.bits = bits;
    this.offsets = offsets;
    this.packed = packed;
  }

  /** Builds the postings of ordinals 0..size-1 from scratch: O(size) per position, sequential reads. */
  static MihPostings build(PdqHashPages hashes, int size) {
    assert size >= 1 && size <= hashes.size();
    int bits = Math.max(1, 32 - Integer.numberOfLeadingZeros(size - 1));
    int[][] offsets = new int[POSITIONS][];
    long[][] packed = new long[POSITIONS][];
    long packedLongs = ((long) size * bits + 63) / 64 + 1;
    if (packedLongs > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException("too many hashes for one index: " + size);
    }
    int[][] cursor = new int[4][VALUES];
    for (int lane = 0; lane < 4; lane++) {
      // One pass per long: histograms of its four 16-bit words, then prefix sums, then fill.
      int[][] off = new int[4][VALUES + 1];
      for (int o = 0; o < size; o++) {
        long x = hashes.lane(o, lane);
        off[0][((int) x & 0xffff) + 1]++;
        off[1][((int) (x >>> 16) & 0xffff) + 1]++;
        off[2][((int) (x >>> 32) & 0xffff) + 1]++;
        off[3][((int) (x >>> 48) & 0xffff) + 1]++;
      }
      for (int k = 0; k < 4; k++) {
        int[] f = off[k];
        for (int v = 0; v < VALUES; v++) {
          f[v + 1] += f[v];
        }
        System.arraycopy(f, 0, cursor[k], 0, VALUES);
        packed[4 * lane + k] = new long[(int) packedLongs];
        offsets[4 * lane + k] = f;
      }
      long[] p0 = packed[4 * lane];
      long[] p1 = packed[4 * lane + 1];
      long[] p2 = packed[4 * lane + 2];
      long[] p3 = packed[4 * lane + 3];
      for (int o = 0; o < size; o++) {
        long x = hashes.lane(o, lane);
        put(p0, cursor[0][(int) x & 0xffff]++, bits, o);
        put(p1, cursor[1][(int) (x >>> 16) & 0xffff]++, bits, o);
        put(p2, cursor[2][(int) (x >>> 32) & 0xffff]++, bits, o);
        put(p3, cursor[3][(int) (x >>> 48) & 0xffff]++, bits, o);
      }
    }
    return new MihPostings(size, bits, offsets, packed);
  }

  private static void put(long[] data, int index, int bits, int value) {
    long bit = (long) index * bits;
    int w = (int) (bit >>> 6);
    int sh = (int) bit & 63;
    data[w] |= (long) value << sh;
    if (sh + bits > 64) {
      data[w + 1] |= (long) value >>> (64 - sh);
    }
  }

  /** The ordinal stored at index {@code i} of position {@code p} (tests and diagnostics). */
  int ordinalAt(int p, int i) {
    return decode(packed[p], (long) i * bits, (1L << bits) - 1);
  }

  private static int decode(long[] data, long bit, long mask) {
    int w = (int) (bit >>> 6);
    int sh = (int) bit & 63;
    // (x << 1) << (63 - sh) is x << (64 - sh) but yields 0 when sh == 0.
    return (int) (((data[w] >>> sh) | ((data[w + 1] << 1) << (63 - sh))) & mask);
  }

  /** Number of bucket probes for {@code maxDistance}: the planner's unit of MIH cost. */
  static long probes(int maxDistance) {
    int r = maxDistance >>> 4;
    int a = maxDistance & 15;
    return (long) (a + 1) * neighbours(r) + (long) (15 - a) * neighbours(r - 1);
  }

  private static int neighbours(int r) {
    return r < 0 ? 0 : NEIGHBOURS[Math.min(r, 16)];
  }

  /**
   * Adds to {@code out} every ordinal below {@link #size} within {@code maxDistance} of the query
   * (as four big-endian longs) that {@code accept} admits, each exactly once, unsorted.
   */
  void search(PdqHashPages hashes, long q0, long q1, long q2, long q3, int maxDistance,
      IntPredicate accept, PdqHits out) {
    long[][] pages = hashes.pages();
    int r = maxDistance >>> 4;
    int a = maxDistance & 15;
    int bits = this.bits;
    long mask = (1L << bits) - 1;
    for (int p = 0; p < POSITIONS; p++) {
      int radius = p <= a ? r : r - 1;
      if (radius < 0) {
        break; // radii only shrink with p
      }
      long ql = p < 4 ? q0 : p < 8 ? q1 : p < 12 ? q2 : q3;
      int qv = (int) (ql >>> ((p & 3) << 4)) & 0xffff;
      int[] off = offsets[p];
      long[] data = packed[p];
      int probes = neighbours(radius);
      for (int m = 0; m < probes; m++) {
        int v = qv ^ MASKS_BY_WEIGHT[m];
        int end = off[v + 1];
        long bit = (long) off[v] * bits;
        for (int i = off[v]; i < end; i++, bit += bits) {
          int o = decode(data, bit, mask);
          long[] page = pages[o >>> PdqHashPages.PAGE_SHIFT];
          int j = PdqHashPages.slot(o);
          long x0 = page[j] ^ q0;
          long x1 = page[j + 1] ^ q1;
          long x2 = page[j + 2] ^ q2;
          long x3 = page[j + 3] ^ q3;
          int d = Long.bitCount(x0) + Long.bitCount(x1) + Long.bitCount(x2) + Long.bitCount(x3);
          if (d <= maxDistance && ownedBy(p, x0, x1, x2, x3, r, a) && accept.test(o)) {
            out.add(o, d);
          }
        }
      }
    }
  }

  /** True if no position before {@code p} admits the candidate whose XOR with the query is x. */
  private static boolean ownedBy(int p, long x0, long x1, long x2, long x3, int r, int a) {
    for (int q = 0; q < p; q++) {
      long x = q < 4 ? x0 : q < 8 ? x1 : q < 12 ? x2 : x3;
      int wordDistance = Long.bitCount((x >>> ((q & 3) << 4)) & 0xffff);
      if (wordDistance <= (q <= a ? r : r - 1)) {
        return false;
      }
    }
    return true;
  }

  long ramBytesUsed() {
    long bytes = 32 + 2 * (16 + 8L * POSITIONS);
    for (int p = 0; p < POSITIONS; p++) {
      bytes += 16 + 4L * offsets[p].length + 16 + 8L * packed[p].length;
    }
    return bytes;
  }
}
