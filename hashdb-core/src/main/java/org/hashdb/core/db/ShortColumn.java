package org.hashdb.core.db;

import java.util.Arrays;
import java.util.Objects;

/** {@link IntColumn} for unsigned 16-bit values (list ids): same paging and publication rules. */
final class ShortColumn {
  private static final int PAGE_SHIFT = 16;
  private static final int PAGE_SIZE = 1 << PAGE_SHIFT;
  private static final int PAGE_MASK = PAGE_SIZE - 1;
  private static final int FIRST_PAGE = 64;

  private volatile char[][] pages = new char[0][];
  private int size; // writer-only

  void append(int value) {
    assert value >= 0 && value <= 0xffff : value;
    writable(size)[size >>> PAGE_SHIFT][size & PAGE_MASK] = (char) value;
    size++;
  }

  /** Appends {@code src[off..off+len)}, one copy per page (bulk load). */
  void appendAll(char[] src, int off, int len) {
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
  void copyTo(int from, char[] dst, int off, int len) {
    Objects.checkFromIndexSize(off, len, dst.length);
    char[][] p = pages;
    while (len > 0) {
      int at = from & PAGE_MASK;
      int n = Math.min(len, PAGE_SIZE - at);
      System.arraycopy(p[from >>> PAGE_SHIFT], at, dst, off, n);
      from += n;
      off += n;
      len -= n;
    }
  }

  /** The first index in {@code from..to-1} whose value differs from {@code get(from)}, or {@code to}. */
  int runEnd(int from, int to) {
    char[][] p = pages;
    char v = p[from >>> PAGE_SHIFT][from & PAGE_MASK];
    int i = from + 1;
    while (i < to) {
      char[] page = p[i >>> PAGE_SHIFT];
      int end = Math.min(to - (i & ~PAGE_MASK), PAGE_SIZE);
      for (int j = i & PAGE_MASK; j < end; j++) {
        if (page[j] != v) {
          return (i & ~PAGE_MASK) + j;
        }
      }
      i = (i & ~PAGE_MASK) + end;
    }
    return to;
  }

  int get(int index) {
    return pages[index >>> PAGE_SHIFT][index & PAGE_MASK];
  }

  int size() {
    return size;
  }

  long ramBytesUsed() {
    char[][] p = pages;
    long bytes = 16L + 8L * p.length;
    for (char[] page : p) {
      bytes += (16L + 2L * page.length + 7) & ~7L;
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
  private char[][] writable(int last) {
    int page = last >>> PAGE_SHIFT;
    char[][] p = pages;
    if (page == p.length) {
      p = Arrays.copyOf(p, page + 1);
      p[page] = new char[page == 0 ? FIRST_PAGE : PAGE_SIZE];
      pages = p;
    }
    int at = last & PAGE_MASK;
    if (at >= p[page].length) { // page 0 only: every later page is whole
      char[] grown = Arrays.copyOf(p[page], Math.min(PAGE_SIZE, Integer.highestOneBit(at) << 1));
      p = p.clone();
      p[page] = grown;
      pages = p;
    }
    return p;
  }
}
