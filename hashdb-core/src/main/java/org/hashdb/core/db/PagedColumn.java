package org.hashdb.core.db;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;
import org.hashdb.core.Accountable;

/**
 * Append-only column of primitive values in pages of 2^16, so that growth copies only the small
 * page directory (and page 0 while it is small, see {@link #writable}). One writer appends;
 * readers read without locks any index below a size that was published to them through a
 * volatile write made after the append (the database state). Subclasses hold the directory in a
 * volatile field of their concrete array type, so their readers need no cast.
 *
 * @param <P> a page: {@code int[]}, {@code char[]}
 */
abstract class PagedColumn<P> implements Accountable {
  static final int PAGE_SHIFT = 16;
  static final int PAGE_SIZE = 1 << PAGE_SHIFT;
  static final int PAGE_MASK = PAGE_SIZE - 1;
  private static final int FIRST_PAGE = 64;

  private final IntFunction<P> newPage;
  private final ToIntFunction<P> length;
  private final int valueBytes;
  int size; // writer-only

  /**
   * @param newPage makes a page of the given length
   * @param length the length of a page
   * @param valueBytes bytes of one value
   */
  PagedColumn(IntFunction<P> newPage, ToIntFunction<P> length, int valueBytes) {
    this.newPage = newPage;
    this.length = length;
    this.valueBytes = valueBytes;
  }

  /** The page directory (a volatile read). */
  abstract P[] pages();

  /** Publishes a new page directory (a volatile write). */
  abstract void publish(P[] pages);

  /** Writer only: number of appended values. */
  final int size() {
    return size;
  }

  /** Appends {@code src[off..off+len)}, one copy per page (bulk load). */
  final void appendAll(P src, int off, int len) {
    Objects.checkFromIndexSize(off, len, length.applyAsInt(src));
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
  final void copyTo(int from, P dst, int off, int len) {
    Objects.checkFromIndexSize(off, len, length.applyAsInt(dst));
    P[] p = pages();
    while (len > 0) {
      int at = from & PAGE_MASK;
      int n = Math.min(len, PAGE_SIZE - at);
      System.arraycopy(p[from >>> PAGE_SHIFT], at, dst, off, n);
      from += n;
      off += n;
      len -= n;
    }
  }

  @Override
  public final long ramBytesUsed() {
    P[] p = pages();
    long bytes = Accountable.referenceArrayBytes(p.length);
    for (P page : p) {
      bytes += Accountable.arrayBytes(length.applyAsInt(page), valueBytes);
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
  final P[] writable(int last) {
    P[] old = pages();
    P[] p = old;
    int page = last >>> PAGE_SHIFT;
    if (page == p.length) {
      p = Arrays.copyOf(p, page + 1);
      p[page] = newPage.apply(page == 0 ? FIRST_PAGE : PAGE_SIZE);
    }
    int at = last & PAGE_MASK;
    if (at >= length.applyAsInt(p[page])) { // page 0 only: every later page is whole
      P grown = newPage.apply(Math.min(PAGE_SIZE, Integer.highestOneBit(at) << 1));
      System.arraycopy(p[page], 0, grown, 0, length.applyAsInt(p[page]));
      p = p == old ? p.clone() : p;
      p[page] = grown;
    }
    if (p != old) {
      publish(p);
    }
    return p;
  }
}
