package org.hashdb.core.pdq;

import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.hashdb.core.Accountable;

/**
 * Immutable multi-index-hashing postings over ordinals {@code 0..size-1} of a {@link PdqHashPages}.
 *
 * <p><b>Words.</b> The 256 bits are cut into 16 positions of 16 bits: position {@code p} is bits
 * {@code 16*(p&3)..16*(p&3)+15} of the big-endian long {@code p>>>2} of the hash. Positions
 * {@code 2k} and {@code 2k+1} form pair {@code k}; each is the other's partner.
 *
 * <p><b>Pigeonhole.</b> Write {@code d = 8t + a} ({@code 0 <= a < 8}). A hash within {@code d}
 * has a pair {@code k} whose two words are together within {@code T(k) = t} if {@code k <= a},
 * else {@code t - 1} (otherwise the distance would be at least {@code 8t + a + 1}). One of the two
 * words of that pair is then within {@code floor(T/2)} and, if it is {@code w} bits off, its
 * partner is within {@code T - w}. So per position we probe the buckets within
 * {@code floor(T/2)} of the query's word (at d = 31: radius 1, 17 buckets, as plain 16-word MIH)
 * and keep only entries whose partner passes {@code T - w}; that check runs on bits stored in the
 * posting itself, before the hash is fetched. At d = 31 it discards about 98% of the candidates of
 * plain MIH, and the random hash fetches were the dominant cost.
 *
 * <p><b>Layout</b> (per position, CSR over the 65,536 word values): bucket {@code v} holds the
 * entries {@code offsets[v]..offsets[v+1]-1}, ordinals ascending. Each entry is an Elias-Fano
 * split ordinal (its low 16 bits, packed with {@link #PARTNER_BITS} low bits of the partner word
 * into {@link #ENTRY_BITS} bits; its high bits {@code o >>> 16} in unary in {@code high}, bucket
 * {@code v} starting at bit {@code offsets[v] + v * (maxHigh + 1)}), about 30 bits per entry.
 *
 * <p><b>Dedupe.</b> A hash can pass at several positions; it is reported only from the first
 * position whose test it passes (its owner), checked on the fetched hash for matches only.
 */
final class MihPostings implements Accountable {
  static final int POSITIONS = 16;
  /** Low bits of the partner word kept in each entry for the pre-fetch filter. */
  static final int PARTNER_BITS = 12;
  private static final int PARTNER_MASK = (1 << PARTNER_BITS) - 1;
  /** Low 16 ordinal bits + partner bits. */
  static final int ENTRY_BITS = 16 + PARTNER_BITS;
  private static final long ENTRY_MASK = (1L << ENTRY_BITS) - 1;
  private static final int VALUES = 1 << 16;

  /** All 16-bit masks ordered by popcount; masks of weight {@code <= r} are the first NEIGHBOURS[r]. */
  static final char[] MASKS_BY_WEIGHT = new char[VALUES];
  /** NEIGHBOURS[r] = number of 16-bit values within distance r of a word (r = 0..16). */
  private static final int[] NEIGHBOURS = new int[17];
  /** BINOMIAL[n][k] = C(n, k), n, k <= 16: for the planner's estimates. */
  private static final long[][] BINOMIAL = new long[17][17];

  static {
    for (int n = 0; n <= 16; n++) {
      BINOMIAL[n][0] = 1;
      for (int k = 1; k <= n; k++) {
        BINOMIAL[n][k] = BINOMIAL[n - 1][k - 1] + (k <= n - 1 ? BINOMIAL[n - 1][k] : 0);
      }
    }
    int[] next = new int[17];
    for (int w = 1; w <= 16; w++) {
      next[w] = next[w - 1] + (int) BINOMIAL[16][w - 1];
    }
    for (int m = 0; m < VALUES; m++) {
      MASKS_BY_WEIGHT[next[Integer.bitCount(m)]++] = (char) m;
    }
    for (int r = 0; r <= 16; r++) {
      NEIGHBOURS[r] = (r == 0 ? 0 : NEIGHBOURS[r - 1]) + (int) BINOMIAL[16][r];
    }
  }

  /** Number of ordinals indexed: 0..size-1. */
  final int size;
  /** Largest {@code o >>> 16} of an indexed ordinal. */
  private final int maxHigh;
  /** offsets[p] has VALUES + 1 entries; bucket v of position p is [offsets[p][v], offsets[p][v+1]). */
  final int[][] offsets;
  /** entries[p]: packed ENTRY_BITS-bit entries, one spare trailing long for decoding. */
  final long[][] entries;
  /** high[p]: Elias-Fano upper bits, one spare trailing long. */
  final long[][] high;

  private MihPostings(int size, int[][] offsets, long[][] entries, long[][] high) {
    this.size = size;
    this.maxHigh = (size - 1) >>> 16;
    this.offsets = offsets;
    this.entries = entries;
    this.high = high;
  }

  /** Pair threshold T of pair {@code k} for distance {@code d}; negative means "skip the pair". */
  static int pairThreshold(int k, int d) {
    int t = d >>> 3;
    return k <= (d & 7) ? t : t - 1;
  }

  /**
   * Builds the postings of ordinals 0..size-1 from scratch. Per position, a stable two-pass LSD
   * radix sort of (word, partner, ordinal) by the word's low then high byte: every pass reads and
   * writes sequentially (256 output streams), so the build runs at memory bandwidth rather than at
   * one cache miss per posting. From 1M hashes on, up to 4 positions are built in parallel (on the
   * common fork-join pool; each worker holds an 8-byte-per-hash sort buffer).
   */
  static MihPostings build(PdqHashPages hashes, int size) {
    assert size >= 1 && size <= hashes.size();
    int maxHigh = (size - 1) >>> 16;
    long entryLongs = ((long) size * ENTRY_BITS + 63) / 64 + 1;
    long highLongs = ((long) size + (long) VALUES * (maxHigh + 1) + 63) / 64 + 1;
    if (entryLongs > Integer.MAX_VALUE - 16 || highLongs > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException("too many hashes for one index: " + size);
    }
    int[][] offsets = new int[POSITIONS][];
    long[][] entries = new long[POSITIONS][];
    long[][] high = new long[POSITIONS][];
    // Positions are independent: large builds use a few workers, each with its own sort buffer.
    int workers = size < (1 << 20) ? 1
        : Math.min(4, Math.max(1, Runtime.getRuntime().availableProcessors()));
    IntStream.range(0, workers).parallel().forEach(worker -> {
      long[] byLow = new long[size];
      int[] cursor = new int[256];
      for (int p = worker; p < POSITIONS; p += workers) {
        buildPosition(hashes, size, p, byLow, cursor, offsets, entries, high,
            (int) entryLongs, (int) highLongs);
      }
    });
    return new MihPostings(size, offsets, entries, high);
  }

  private static void buildPosition(PdqHashPages hashes, int size, int p, long[] byLow,
      int[] cursor, int[][] offsets, long[][] entries, long[][] high, int entryLongs,
      int highLongs) {
    int maxHigh = (size - 1) >>> 16;
    int lane = p >>> 2;
    int shift = (p & 3) << 4;
    int partnerShift = ((p ^ 1) & 3) << 4;
    long[][] pages = hashes.pages();
    int[] off = new int[VALUES + 1];
    for (int o = 0; o < size; o++) {
      off[((int) (pages[o >>> PdqHashPages.PAGE_SHIFT][PdqHashPages.slot(o) + lane] >>> shift)
          & 0xffff) + 1]++;
    }
    for (int v = 0; v < VALUES; v++) {
      off[v + 1] += off[v];
    }
    // Pass 1: by the word's low byte. Start of low byte b = count of words with low byte < b.
    java.util.Arrays.fill(cursor, 0);
    for (int v = 0; v < VALUES; v++) {
      if ((v & 0xff) < 255) {
        cursor[(v & 0xff) + 1] += off[v + 1] - off[v];
      }
    }
    for (int b = 1; b < 256; b++) {
      cursor[b] += cursor[b - 1];
    }
    for (int o = 0; o < size; o++) {
      long x = pages[o >>> PdqHashPages.PAGE_SHIFT][PdqHashPages.slot(o) + lane];
      long v = (x >>> shift) & 0xffff;
      long partner = (x >>> partnerShift) & PARTNER_MASK;
      // (word << 48) | (partner bits << 32) | ordinal
      byLow[cursor[(int) v & 0xff]++] = (v << 48) | (partner << 32) | o;
    }
    // Pass 2: by high byte, stable, so buckets end up sorted by word, then ordinal.
    for (int b = 0; b < 256; b++) {
      cursor[b] = off[b << 8];
    }
    long[] data = new long[entryLongs];
    long[] hi = new long[highLongs];
    for (int i = 0; i < size; i++) {
      long e = byLow[i];
      int v = (int) (e >>> 48);
      int o = (int) e;
      int g = cursor[v >>> 8]++;
      put(data, g, (((e >>> 32) & PARTNER_MASK) << 16) | (o & 0xffff));
      long bit = g + (long) v * (maxHigh + 1) + (o >>> 16);
      hi[(int) (bit >>> 6)] |= 1L << bit;
    }
    offsets[p] = off;
    entries[p] = data;
    high[p] = hi;
  }

  private static void put(long[] data, int index, long value) {
    long bit = (long) index * ENTRY_BITS;
    int w = (int) (bit >>> 6);
    int sh = (int) bit & 63;
    data[w] |= value << sh;
    if (sh + ENTRY_BITS > 64) {
      data[w + 1] |= value >>> (64 - sh);
    }
  }

  private static long entry(long[] data, int index) {
    long bit = (long) index * ENTRY_BITS;
    int w = (int) (bit >>> 6);
    int sh = (int) bit & 63;
    // (x << 1) << (63 - sh) is x << (64 - sh) but yields 0 when sh == 0.
    return ((data[w] >>> sh) | ((data[w + 1] << 1) << (63 - sh))) & ENTRY_MASK;
  }

  /** The ordinals of bucket {@code v} at position {@code p}, in order (tests and diagnostics). */
  int[] bucket(int p, int v) {
    int s = offsets[p][v];
    int n = offsets[p][v + 1] - s;
    int[] out = new int[n];
    long[] hi = high[p];
    long start = s + (long) v * (maxHigh + 1);
    int wi = (int) (start >>> 6);
    long word = hi[wi] & (-1L << start);
    for (int i = 0; i < n; i++) {
      while (word == 0) {
        word = hi[++wi];
      }
      long pos = ((long) wi << 6) + Long.numberOfTrailingZeros(word);
      word &= word - 1;
      out[i] = (int) ((pos - start - i) << 16) | (int) (entry(entries[p], s + i) & 0xffff);
    }
    return out;
  }

  /** PROBES[d], PASSING[d]: {@link #probes} and {@link #passingProbes} for d = 0..256. */
  private static final long[] PROBES = new long[257];
  private static final double[] PASSING = new double[257];

  static {
    for (int d = 0; d <= 256; d++) {
      PROBES[d] = computeProbes(d);
      PASSING[d] = computePassingProbes(d);
    }
  }

  /** Number of bucket probes of a search at {@code maxDistance} (0..256). */
  static long probes(int maxDistance) {
    return PROBES[maxDistance];
  }

  /**
   * Expected number of entries that pass the partner filter, summed over the probed buckets, per
   * {@code 65536} uniformly random indexed hashes: the expected number of hash fetches is this
   * times {@code size / 65536}.
   */
  static double passingProbes(int maxDistance) {
    return PASSING[maxDistance];
  }

  private static long computeProbes(int maxDistance) {
    long probes = 0;
    for (int p = 0; p < POSITIONS; p++) {
      int t = pairThreshold(p >>> 1, maxDistance);
      probes += t < 0 ? 0 : NEIGHBOURS[Math.min(16, t >>> 1)];
    }
    return probes;
  }

  private static double computePassingProbes(int maxDistance) {
    double sum = 0;
    for (int p = 0; p < POSITIONS; p++) {
      int t = pairThreshold(p >>> 1, maxDistance);
      for (int w = 0; w <= Math.min(16, t >>> 1); w++) {
        sum += BINOMIAL[16][w] * binomialTail(PARTNER_BITS, t - w);
      }
    }
    return sum;
  }

  /** P(Binomial(n, 1/2) <= x). */
  private static double binomialTail(int n, int x) {
    if (x >= n) {
      return 1;
    }
    long c = 0;
    for (int i = 0; i <= x; i++) {
      c += BINOMIAL[n][i];
    }
    return c / (double) (1L << n);
  }

  /**
   * Adds to {@code out} every ordinal below {@link #size} within {@code maxDistance} of the query
   * (as four big-endian longs) that {@code accept} admits, each exactly once, unsorted.
   *
   * <p>Per position, three phases. (1) Look up the bounds of every probed bucket, and touch every
   * cache line of the buckets' entries and the first of their high bits: independent loads that
   * the CPU overlaps, where decoding bucket after bucket would wait for each bucket's misses in
   * turn (the JVM has no prefetch instruction; at 10M hashes this cut the search's CPU time by a
   * third). (2) Decode the entries and keep the ordinals whose partner
   * bits pass. (3) Verify those in a loop of short independent iterations, so that many random
   * hash fetches are in flight at once.
   */
  void search(PdqHashPages hashes, long q0, long q1, long q2, long q3, int maxDistance,
      IntPredicate accept, PdqHits out) {
    long[][] pages = hashes.pages();
    int[] cand = out.candidateScratch();
    long highStride = maxHigh + 1;
    long touched = 0;
    for (int p = 0; p < POSITIONS; p++) {
      int t = pairThreshold(p >>> 1, maxDistance);
      if (t < 0) {
        continue;
      }
      long ql = p < 4 ? q0 : p < 8 ? q1 : p < 12 ? q2 : q3;
      int qv = (int) (ql >>> ((p & 3) << 4)) & 0xffff;
      int qPartner = (int) (ql >>> (((p ^ 1) & 3) << 4)) & PARTNER_MASK;
      int[] off = offsets[p];
      long[] data = entries[p];
      long[] hi = high[p];
      int radius = Math.min(16, t >>> 1);
      int probes = NEIGHBOURS[radius];
      int[] bounds = out.probeScratch(probes);
      for (int m = 0; m < probes; m++) {
        int v = qv ^ MASKS_BY_WEIGHT[m];
        bounds[2 * m] = off[v];
        bounds[2 * m + 1] = off[v + 1];
      }
      for (int m = 0; m < probes; m++) {
        int g = bounds[2 * m];
        long start = g + (qv ^ MASKS_BY_WEIGHT[m]) * highStride;
        touched += hi[(int) (start >>> 6)];
        // Every cache line (8 longs) of the bucket's entries.
        int last = (int) (((long) bounds[2 * m + 1] * ENTRY_BITS) >>> 6);
        for (int i = (int) (((long) g * ENTRY_BITS) >>> 6); i <= last; i += 8) {
          touched += data[i];
        }
      }
      int n = 0;
      int m = 0;
      for (int w = 0; w <= radius; w++) {
        int partnerLimit = t - w;
        for (int mEnd = NEIGHBOURS[w]; m < mEnd; m++) {
          int g = bounds[2 * m];
          int end = bounds[2 * m + 1];
          if (g == end) {
            continue;
          }
          long bucketShift = (qv ^ MASKS_BY_WEIGHT[m]) * highStride; // g's high bit: g + this + (o >>> 16)
          int first = g;
          long start = g + bucketShift;
          int wi = (int) (start >>> 6);
          long word = hi[wi] & (-1L << start);
          int onesBefore = 0; // one bits of this bucket in words before wi
          long bit = (long) g * ENTRY_BITS;
          for (; g < end; g++, bit += ENTRY_BITS) {
            int dw = (int) (bit >>> 6);
            int sh = (int) bit & 63;
            // (x << 1) << (63 - sh) is x << (64 - sh) but yields 0 when sh == 0.
            long e = (data[dw] >>> sh) | ((data[dw + 1] << 1) << (63 - sh));
            if (Integer.bitCount(((int) (e >>> 16) & PARTNER_MASK) ^ qPartner) <= partnerLimit) {
              // Rare: select the (g - first)-th one bit of the bucket's high bits.
              int i = g - first;
              for (int c; onesBefore + (c = Long.bitCount(word)) <= i; word = hi[++wi]) {
                onesBefore += c;
              }
              long x = word;
              for (int k = i - onesBefore; k > 0; k--) {
                x &= x - 1;
              }
              long pos = ((long) wi << 6) + Long.numberOfTrailingZeros(x);
              cand[n++] = (int) ((pos - g - bucketShift) << 16) | (int) (e & 0xffff);
              if (n == cand.length) {
                verify(pages, cand, n, p, q0, q1, q2, q3, maxDistance, accept, out);
                n = 0;
              }
            }
          }
        }
      }
      verify(pages, cand, n, p, q0, q1, q2, q3, maxDistance, accept, out);
    }
    out.sink(touched);
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
      if (d <= maxDistance && ownedBy(p, x0, x1, x2, x3, maxDistance) && accept.test(o)) {
        out.add(o, d);
      }
    }
  }

  /**
   * True if no position before {@code p} passes the probe test for the candidate whose XOR with
   * the query is x: exactly the test the search applies at each position.
   */
  private static boolean ownedBy(int p, long x0, long x1, long x2, long x3, int maxDistance) {
    for (int q = 0; q < p; q++) {
      int t = pairThreshold(q >>> 1, maxDistance);
      if (t < 0) {
        continue;
      }
      long x = q < 4 ? x0 : q < 8 ? x1 : q < 12 ? x2 : x3;
      int w = Long.bitCount((x >>> ((q & 3) << 4)) & 0xffff);
      int partner = Long.bitCount((x >>> (((q ^ 1) & 3) << 4)) & PARTNER_MASK);
      if (w <= (t >>> 1) && partner <= t - w) {
        return false;
      }
    }
    return true;
  }

  @Override
  public long ramBytesUsed() {
    long bytes = 40 + 3 * (16 + 8L * POSITIONS);
    for (int p = 0; p < POSITIONS; p++) {
      bytes += 16 + 4L * offsets[p].length + 16 + 8L * entries[p].length
          + 16 + 8L * high[p].length;
    }
    return bytes;
  }
}
