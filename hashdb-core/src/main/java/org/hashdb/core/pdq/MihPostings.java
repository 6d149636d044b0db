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
  static final char[] MASKS_BY_WEIGHT = new char[VALUES];
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
  final int[][] offsets;
  /** packed[p]: bit-packed ordinals, one trailing spare long so decoding may read word + 1. */
  final long[][] packed;

  private MihPostings(int size, int bits, int[][] offsets, long[][] packed) {
    this.size = size;
    this.bits = bits;
    this.offsets = offsets;
    this.packed = packed;
  }

  /**
   * Builds the postings of ordinals 0..size-1 from scratch. Per position, a stable two-pass LSD
   * radix sort of (word, ordinal) by the word's low then high byte: every pass reads and writes
   * sequentially (256 output streams), so the build runs at memory bandwidth rather than at one
   * cache miss per posting.
   */
  static MihPostings build(PdqHashPages hashes, int size) {
    assert size >= 1 && size <= hashes.size();
    int bits = Math.max(1, 32 - Integer.numberOfLeadingZeros(size - 1));
    long packedLongs = ((long) size * bits + 63) / 64 + 1;
    if (packedLongs > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException("too many hashes for one index: " + size);
    }
    int[][] offsets = new int[POSITIONS][];
    long[][] packed = new long[POSITIONS][];
    long[] byLow = new long[size]; // (word << 32) | ordinal, ordered by the word's low byte
    int[] cursor = new int[256];
    for (int p = 0; p < POSITIONS; p++) {
      int lane = p >>> 2;
      int shift = (p & 3) << 4;
      int[] off = new int[VALUES + 1];
      for (int o = 0; o < size; o++) {
        off[((int) (hashes.lane(o, lane) >>> shift) & 0xffff) + 1]++;
      }
      for (int v = 0; v < VALUES; v++) {
        off[v + 1] += off[v];
      }
      // Pass 1: by low byte. Start of low byte b = number of words whose low byte is < b.
      java.util.Arrays.fill(cursor, 0);
      for (int v = 0; v < VALUES; v++) {
        int n = off[v + 1] - off[v];
        if ((v & 0xff) < 255) {
          cursor[(v & 0xff) + 1] += n;
        }
      }
      for (int b = 1; b < 256; b++) {
        cursor[b] += cursor[b - 1];
      }
      for (int o = 0; o < size; o++) {
        int v = (int) (hashes.lane(o, lane) >>> shift) & 0xffff;
        byLow[cursor[v & 0xff]++] = ((long) v << 32) | o;
      }
      // Pass 2: by high byte, stable, so buckets end up sorted by word, then ordinal.
      for (int b = 0; b < 256; b++) {
        cursor[b] = off[b << 8];
      }
      long[] data = new long[(int) packedLongs];
      for (int i = 0; i < size; i++) {
        long e = byLow[i];
        put(data, cursor[(int) (e >>> 40) & 0xff]++, bits, (int) e);
      }
      offsets[p] = off;
      packed[p] = data;
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
   *
   * <p>Two phases per batch: decode candidate ordinals from the buckets into a scratch array, then
   * verify them in a loop whose iterations are independent and short, so that the CPU keeps many
   * of the random hash fetches (the dominant cost at scale) in flight at once.
   */
  void search(PdqHashPages hashes, long q0, long q1, long q2, long q3, int maxDistance,
      IntPredicate accept, PdqHits out) {
    long[][] pages = hashes.pages();
    int[] cand = out.candidateScratch();
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
      int n = 0;
      for (int m = 0; m < probes; m++) {
        int v = qv ^ MASKS_BY_WEIGHT[m];
        int i = off[v];
        int end = off[v + 1];
        long bit = (long) i * bits;
        while (i < end) {
          int stop = Math.min(end, i + cand.length - n);
          for (; i < stop; i++, bit += bits) {
            cand[n++] = decode(data, bit, mask);
          }
          if (n == cand.length) {
            verify(pages, cand, n, p, q0, q1, q2, q3, maxDistance, accept, out);
            n = 0;
          }
        }
      }
      verify(pages, cand, n, p, q0, q1, q2, q3, maxDistance, accept, out);
    }
  }

  private static void verify(long[][] pages, int[] cand, int n, int p, long q0, long q1, long q2,
      long q3, int maxDistance, IntPredicate accept, PdqHits out) {
    for (int i = 0; i < n; i++) {
      int o = cand[i];
      long[] page = pages[o >>> PdqHashPages.PAGE_SHIFT];
      int j = PdqHashPages.slot(o);
      long x0 = page[j] ^ q0;
      long x1 = page[j + 1] ^ q1;
      long x2 = page[j + 2] ^ q2;
      long x3 = page[j + 3] ^ q3;
      int d = Long.bitCount(x0) + Long.bitCount(x1) + Long.bitCount(x2) + Long.bitCount(x3);
      if (d <= maxDistance && ownedBy(p, x0, x1, x2, x3, maxDistance >>> 4, maxDistance & 15)
          && accept.test(o)) {
        out.add(o, d);
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
