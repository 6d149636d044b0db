package org.hashdb.core;

/**
 * A structure that reports the heap it holds, as Lucene's {@code Accountable} does: indexes,
 * columns, dictionaries, video frames, log buffers, PSI tables. {@code stats} and the metrics add
 * these up instead of each structure being measured its own way. Figures are estimates on a
 * 64-bit JVM with compressed class pointers: 16-byte array headers, 8-byte references, objects
 * rounded up to 8 bytes.
 */
public interface Accountable {
  /** Bytes of heap held by this object and what it alone references. */
  long ramBytesUsed();

  /** Heap of a primitive array of {@code length} elements of {@code elementBytes} each. */
  static long arrayBytes(long length, int elementBytes) {
    return (16L + length * elementBytes + 7) & ~7L;
  }

  /** Heap of an array of {@code length} references (the arrays it points to not included). */
  static long referenceArrayBytes(long length) {
    return 16L + 8L * length;
  }

  /** The sum over {@code parts}, null ones counting 0. */
  static long sum(Accountable... parts) {
    long n = 0;
    for (Accountable a : parts) {
      n += a == null ? 0 : a.ramBytesUsed();
    }
    return n;
  }
}
