package org.hashdb.core.pdq;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Near-duplicate index of 256-bit PDQ hashes: append-only, ordinals 0..size()-1.
 *
 * <p>PLACEHOLDER implementation (linear scan); the multi-index-hashing version replaces it.
 *
 * <p>Concurrency: one writer thread calls {@link #append}; readers search concurrently without
 * locks and see every append that returned before the search started.
 */
public final class PdqIndex {
  /** Default match threshold of PDQ. */
  public static final int DEFAULT_MAX_DISTANCE = 31;

  private volatile long[] lanes = new long[4 * 64]; // 4 big-endian longs per hash
  private volatile int size;

  /** Writer only. Appends a 32-byte hash (big-endian, as in the hex form); returns its ordinal. */
  public int append(byte[] hash, int off) {
    int ord = size;
    if (4 * (ord + 1) > lanes.length) {
      lanes = Arrays.copyOf(lanes, lanes.length * 2);
    }
    long[] l = lanes;
    for (int w = 0; w < 4; w++) {
      l[4 * ord + w] = PdqBits.readLong(hash, off + 8 * w);
    }
    size = ord + 1;
    return ord;
  }

  public void appendAll(byte[] hashes, int off, int count) {
    for (int i = 0; i < count; i++) {
      append(hashes, off + 32 * i);
    }
  }

  public int size() {
    return size;
  }

  public void copyHash(int ordinal, byte[] dst, int off) {
    long[] l = lanes;
    for (int w = 0; w < 4; w++) {
      PdqBits.writeLong(l[4 * ordinal + w], dst, off + 8 * w);
    }
  }

  /**
   * Finds every ordinal within {@code maxDistance} (0..256) of the query that {@code accept}
   * admits; {@code out} is cleared, filled and sorted by (distance, ordinal).
   */
  public void search(byte[] query, int off, int maxDistance, IntPredicate accept, PdqHits out) {
    out.clear();
    long q0 = PdqBits.readLong(query, off);
    long q1 = PdqBits.readLong(query, off + 8);
    long q2 = PdqBits.readLong(query, off + 16);
    long q3 = PdqBits.readLong(query, off + 24);
    int n = size;
    long[] l = lanes;
    for (int i = 0; i < n; i++) {
      int d = Long.bitCount(l[4 * i] ^ q0) + Long.bitCount(l[4 * i + 1] ^ q1)
          + Long.bitCount(l[4 * i + 2] ^ q2) + Long.bitCount(l[4 * i + 3] ^ q3);
      if (d <= maxDistance && accept.test(i)) {
        out.add(i, d);
      }
    }
    out.sort();
  }

  public long ramBytesUsed() {
    return 8L * lanes.length;
  }
}
