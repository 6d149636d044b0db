package org.hashdb.core.db;

/** {@link PagedColumn} of unsigned 16-bit values (list ids). */
final class ShortColumn extends PagedColumn<char[]> {
  private volatile char[][] pages = new char[0][];

  ShortColumn() {
    super(char[]::new, page -> page.length, Character.BYTES);
  }

  void append(int value) {
    assert value >= 0 && value <= 0xffff : value;
    writable(size)[size >>> PAGE_SHIFT][size & PAGE_MASK] = (char) value;
    size++;
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

  @Override
  char[][] pages() {
    return pages;
  }

  @Override
  void publish(char[][] p) {
    pages = p;
  }
}
