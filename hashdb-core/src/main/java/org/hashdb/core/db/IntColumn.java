package org.hashdb.core.db;

/** {@link PagedColumn} of ints (category and source ids, times). */
final class IntColumn extends PagedColumn<int[]> {
  private volatile int[][] pages = new int[0][];

  IntColumn() {
    super(int[]::new, page -> page.length, Integer.BYTES);
  }

  void append(int value) {
    writable(size)[size >>> PAGE_SHIFT][size & PAGE_MASK] = value;
    size++;
  }

  int get(int index) {
    return pages[index >>> PAGE_SHIFT][index & PAGE_MASK];
  }

  @Override
  int[][] pages() {
    return pages;
  }

  @Override
  void publish(int[][] p) {
    pages = p;
  }
}
