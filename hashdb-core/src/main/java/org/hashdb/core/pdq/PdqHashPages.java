package org.hashdb.core.pdq;

import java.util.function.IntPredicate;
import org.hashdb.core.Accountable;

/**
 * Immutable view of the first {@link #size()} hashes of a {@link PdqIndex}: four big-endian longs
 * per hash in pages of {@link #PAGE_HASHES} hashes, so appends never copy the whole set.
 *
 * <p>Hash {@code o} is at {@code pages[o >>> PAGE_SHIFT][slot(o) .. slot(o) + 3]}. Each page starts
 * with {@link #PAD} unused longs: a full page (2 MB) is a humongous object under G1, which starts
 * at a region boundary, so with a 16-byte array header the padding puts every hash in a single
 * 64-byte cache line (one memory access per candidate instead of two for half of them). Pages are
 * shared between views: the writer only writes slots beyond every published view's size.
 */
final class PdqHashPages implements Accountable {
  static final int PAGE_SHIFT = 16;
  static final int PAGE_HASHES = 1 << PAGE_SHIFT;
  static final int PAGE_MASK = PAGE_HASHES - 1;
  static final int PAD = 6;

  private final long[][] pages;
  private final int size;

  PdqHashPages(long[][] pages, int size) {
    this.pages = pages;
    this.size = size;
  }

  long[][] pages() {
    return pages;
  }

  int size() {
    return size;
  }

  /** Index of hash {@code o}'s first long in its page. */
  static int slot(int o) {
    return PAD + ((o & PAGE_MASK) << 2);
  }

  /** Long {@code lane} (0..3, big-endian order) of hash {@code o}. */
  long lane(int o, int lane) {
    return pages[o >>> PAGE_SHIFT][slot(o) + lane];
  }

  /** Page length, in longs, for a page holding {@code hashes} hashes. */
  static int pageLength(int hashes) {
    return PAD + 4 * hashes;
  }

  /** Capacity in hashes of a page array of length {@code length}. */
  static int pageCapacity(int length) {
    return (length - PAD) >>> 2;
  }

  /**
   * Adds to {@code out} every ordinal in {@code [from, to)} within {@code maxDistance} of the query
   * that {@code accept} admits, in ordinal order: the tight linear scan.
   */
  void scan(int from, int to, long q0, long q1, long q2, long q3, int maxDistance,
      IntPredicate accept, PdqHits out) {
    int o = from;
    while (o < to) {
      long[] page = pages[o >>> PAGE_SHIFT];
      int pageEnd = Math.min(to, (o | PAGE_MASK) + 1);
      int end = slot(pageEnd - 1) + 4;
      for (int j = slot(o); j < end; j += 4, o++) {
        int d = Long.bitCount(page[j] ^ q0) + Long.bitCount(page[j + 1] ^ q1)
            + Long.bitCount(page[j + 2] ^ q2) + Long.bitCount(page[j + 3] ^ q3);
        if (d <= maxDistance && accept.test(o)) {
          out.add(o, d);
        }
      }
    }
  }

  @Override
  public long ramBytesUsed() {
    long bytes = 24 + 16 + 8L * pages.length;
    for (long[] page : pages) {
      if (page != null) {
        bytes += 16 + 8L * page.length;
      }
    }
    return bytes;
  }
}
