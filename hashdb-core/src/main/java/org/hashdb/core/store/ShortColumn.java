package org.hashdb.core.store;

import java.util.Arrays;

/** {@link IntColumn} for unsigned 16-bit values (list ids): same paging and publication rules. */
final class ShortColumn {
  private static final int PAGE_SHIFT = 16;
  private static final int PAGE_SIZE = 1 << PAGE_SHIFT;
  private static final int PAGE_MASK = PAGE_SIZE - 1;

  private volatile char[][] pages = new char[0][];
  private int size; // writer-only

  void append(int value) {
    assert value >= 0 && value <= 0xffff : value;
    int page = size >>> PAGE_SHIFT;
    char[][] p = pages;
    if (page == p.length) {
      p = Arrays.copyOf(p, page + 1);
      p[page] = new char[PAGE_SIZE];
      pages = p;
    }
    p[page][size & PAGE_MASK] = (char) value;
    size++;
  }

  int get(int index) {
    return pages[index >>> PAGE_SHIFT][index & PAGE_MASK];
  }

  int size() {
    return size;
  }

  long ramBytesUsed() {
    char[][] p = pages;
    return 16L + 8L * p.length + (long) p.length * (16L + 2L * PAGE_SIZE);
  }
}
