package org.hashdb.core.pdq;

import java.util.Arrays;

/**
 * Reusable result buffer of a PDQ search: (ordinal, distance) pairs, sorted by distance then
 * ordinal once {@link PdqIndex#search} returns. Not thread-safe: one per searching thread. It is
 * also the search's scratch space: a search allocates nothing unless this buffer has to grow.
 */
public final class PdqHits {
  private static final int RADIX_BITS = 11;
  private static final int RADIX = 1 << RADIX_BITS;
  /** Below this size Arrays.sort is used (it allocates nothing for small ranges). */
  private static final int RADIX_SORT_MIN = 1024;

  /** Hit i as (distance << 31) | ordinal: the natural long order is (distance, ordinal). */
  private long[] hits = new long[16];
  private int size;
  /** Radix sort scratch, grown with {@link #hits}; null until a large result is sorted. */
  private long[] scratch;
  private int[] counts;
  /** Candidate ordinals of an MIH search, verified in batches of this length. */
  private int[] candidates;

  public int size() {
    return size;
  }

  public int ordinal(int i) {
    checkIndex(i);
    return (int) (hits[i] & Integer.MAX_VALUE);
  }

  public int distance(int i) {
    checkIndex(i);
    return (int) (hits[i] >>> 31);
  }

  public void clear() {
    size = 0;
  }

  /** Appends a hit; {@code ordinal >= 0}, {@code 0 <= distance <= 256}. */
  public void add(int ordinal, int distance) {
    assert ordinal >= 0 && distance >= 0 && distance <= 256 : ordinal + " " + distance;
    if (size == hits.length) {
      hits = Arrays.copyOf(hits, size * 2);
    }
    hits[size++] = ((long) distance << 31) | ordinal;
  }

  /** Sorts by (distance, ordinal): Arrays.sort when small, else an LSD radix sort on reused scratch. */
  public void sort() {
    if (size < RADIX_SORT_MIN) {
      Arrays.sort(hits, 0, size);
      return;
    }
    if (scratch == null || scratch.length < size) {
      scratch = new long[hits.length];
      counts = new int[RADIX];
    }
    long[] src = hits;
    long[] dst = scratch;
    // Keys are 40 bits: distance (9) above ordinal (31).
    for (int shift = 0; shift < 40; shift += RADIX_BITS) {
      int[] c = counts;
      Arrays.fill(c, 0);
      for (int i = 0; i < size; i++) {
        c[(int) (src[i] >>> shift) & (RADIX - 1)]++;
      }
      if (c[(int) (src[0] >>> shift) & (RADIX - 1)] == size) {
        continue; // every key has the same digit
      }
      int sum = 0;
      for (int d = 0; d < RADIX; d++) {
        int n = c[d];
        c[d] = sum;
        sum += n;
      }
      for (int i = 0; i < size; i++) {
        long h = src[i];
        dst[c[(int) (h >>> shift) & (RADIX - 1)]++] = h;
      }
      long[] t = src;
      src = dst;
      dst = t;
    }
    if (src != hits) {
      scratch = hits;
      hits = src;
    }
  }

  /** Bucket bounds of one word position's probes (2 ints per probe), grown on demand. */
  private int[] probeBounds;
  /** Consumes values loaded only to pull cache lines in early, so the JIT keeps those loads. */
  private long sink;

  /** Scratch for {@code probes} bucket bounds. */
  int[] probeScratch(int probes) {
    if (probeBounds == null || probeBounds.length < 2 * probes) {
      probeBounds = new int[Math.max(64, 2 * probes)];
    }
    return probeBounds;
  }

  void sink(long value) {
    sink ^= value;
  }

  /** Scratch for MIH candidate batches; allocated once per PdqHits. */
  int[] candidateScratch() {
    if (candidates == null) {
      candidates = new int[2048];
    }
    return candidates;
  }

  private void checkIndex(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("hit index " + i + " not in 0.." + (size - 1));
    }
  }
}
