package org.hashdb.core.db;

import java.util.Arrays;
import java.util.Objects;

/**
 * Append-only column of ints, in pages of 2^16 so that growth copies only the small page table
 * (and page 0 while it is small, see {@link #writable}). One writer appends; readers read without locks any index below a size that
 * was published to them through a volatile write made after the append (the database state).
 */
final class IntColumn {
  private static final int PAGE_SHIFT = 16;
  private static final int PAGE_SIZE = 1 << PAGE_SHIFT;
  private static final int PAGE_MASK = PAGE_SIZE - 1;
  private static final int FIRST_PAGE = 64;

  private volatile int[][] pages = new int[0][];
  private int size; // writer-only

  void append(int value) {
    writable(size)[size >>> PAGE_SHIFT][size & PAGE_MASK] = value;
    size++;
  }

  /** Appends {@code src[off..off+len)}, one copy per page (bulk load). */
  void appendAll(int[] src, int off, int len) {
    Objects.checkFromIndexSize(off, len, src.length);
    while (len > 0) {
      int at = size & PAGE_MASK;
      int n = Math.min(len, PAGE_SIZE - at);
      System.arraycopy(src, off, writable(size + n - 1)[size >>> PAGE_SHIFT], at, n);
      size += n;
      off += n;
      len -= n;
    }
  }

  /** Copies values {@code from..from+len-1} to {@code dst} from {@code off} (bulk export). */
  void copyTo(int from, int[] dst, int off, int len) {
    Objects.checkFromIndexSize(off, len, dst.length);
    int[][] p = pages;
    while (len > 0) {
      int at = from & PAGE_MASK;
      int n = Math.min(len, PAGE_SIZE - at);
      System.arraycopy(p[from >>> PAGE_SHIFT], at, dst, off, n);
      from += n;
      off += n;
      len -= n;
    }
  }

  int get(int index) {
    return pages[index >>> PAGE_SHIFT][index & PAGE_MASK];
  }

  /** Writer only: number of appended values. */
  int size() {
    return size;
  }

  long ramBytesUsed() {
    int[][] p = pages;
    long bytes = 16L + 8L * p.length;
    for (int[] page : p) {
      bytes += (16L + 4L * page.length + 7) & ~7L;
    }
    return bytes;
  }

  /**
   * The page directory, with room for index {@code last}. Page 0 starts at {@value #FIRST_PAGE}
   * values and doubles up to a full page, so a type with a handful of entries holds a few hundred
   * bytes rather than a full page; growing it copies page 0 into a new directory that is then
   * published, so a reader holding the old directory still reads every value it may read. Later
   * pages are allocated whole and never copied.
   */
  private int[][] writable(int last) {
    int page = last >>> PAGE_SHIFT;
    int[][] p = pages;
    if (page == p.length) {
      p = Arrays.copyOf(p, page + 1);
      p[page] = new int[page == 0 ? FIRST_PAGE : PAGE_SIZE];
      pages = p;
    }
    int at = last & PAGE_MASK;
    if (at >= p[page].length) { // page 0 only: every later page is whole
      int[] grown = Arrays.copyOf(p[page], Math.min(PAGE_SIZE, Integer.highestOneBit(at) << 1));
      p = p.clone();
      p[page] = grown;
      pages = p;
    }
    return p;
  }
}
