package org.hashdb.core.store;

import java.util.Arrays;

/**
 * Append-only column of ints, in pages of 2^16 so that growth never copies values, only the
 * small page table. One writer appends; readers read without locks any index below a size that
 * was published to them through a volatile write made after the append (the database state).
 */
final class IntColumn {
  private static final int PAGE_SHIFT = 16;
  private static final int PAGE_SIZE = 1 << PAGE_SHIFT;
  private static final int PAGE_MASK = PAGE_SIZE - 1;

  private volatile int[][] pages = new int[0][];
  private int size; // writer-only

  void append(int value) {
    int page = size >>> PAGE_SHIFT;
    int[][] p = pages;
    if (page == p.length) {
      p = Arrays.copyOf(p, page + 1);
      p[page] = new int[PAGE_SIZE];
      pages = p;
    }
    p[page][size & PAGE_MASK] = value;
    size++;
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
    return 16L + 8L * p.length + (long) p.length * (16L + 4L * PAGE_SIZE);
  }
}
