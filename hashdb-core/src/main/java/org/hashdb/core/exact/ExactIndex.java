package org.hashdb.core.exact;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Append-only multimap from fixed-length keys to dense ordinals 0..size()-1.
 *
 * <p>PLACEHOLDER implementation (ConcurrentHashMap); the open-addressing version replaces it.
 *
 * <p>Concurrency: one writer thread calls {@link #append}; any number of readers call the
 * lookup methods concurrently without locks. An ordinal is visible to readers once {@link
 * #append} returned.
 */
public final class ExactIndex {
  private final int keyBytes;
  private final ConcurrentHashMap<ByteBuffer, Integer> heads = new ConcurrentHashMap<>();
  private volatile byte[] keys;
  private volatile int[] next;
  private volatile int size;

  public ExactIndex(int keyBytes) {
    this(keyBytes, 16);
  }

  public ExactIndex(int keyBytes, int expectedSize) {
    if (keyBytes < 8 || keyBytes > 32) {
      throw new IllegalArgumentException("keyBytes must be in 8..32, got " + keyBytes);
    }
    this.keyBytes = keyBytes;
    this.keys = new byte[Math.max(16, expectedSize) * keyBytes];
    this.next = new int[Math.max(16, expectedSize)];
  }

  public int keyBytes() {
    return keyBytes;
  }

  /** Writer only. Appends a key (duplicates allowed) and returns its ordinal. */
  public int append(byte[] key, int off) {
    int ord = size;
    if (ord == next.length) {
      keys = Arrays.copyOf(keys, keys.length * 2);
      next = Arrays.copyOf(next, next.length * 2);
    }
    System.arraycopy(key, off, keys, ord * keyBytes, keyBytes);
    ByteBuffer k = ByteBuffer.wrap(Arrays.copyOfRange(key, off, off + keyBytes));
    Integer prev = heads.get(k);
    next[ord] = prev == null ? -1 : prev;
    size = ord + 1;
    heads.put(k, ord);
    return ord;
  }

  /** Appends {@code count} keys stored back to back in {@code keys} from {@code off}. */
  public void appendAll(byte[] keys, int off, int count) {
    for (int i = 0; i < count; i++) {
      append(keys, off + i * keyBytes);
    }
  }

  /** Newest ordinal with this key, or -1. */
  public int find(byte[] key, int off) {
    Integer h = heads.get(ByteBuffer.wrap(key, off, keyBytes).slice());
    return h == null ? -1 : h;
  }

  /** Next older ordinal with the same key as {@code ordinal}, or -1. */
  public int nextSameKey(int ordinal) {
    return next[ordinal];
  }

  /** {@code out[i] = find(keys, off + i * keyBytes())} for i in 0..count-1. */
  public void findBatch(byte[] keys, int off, int count, int[] out) {
    for (int i = 0; i < count; i++) {
      out[i] = find(keys, off + i * keyBytes);
    }
  }

  /** Copies the key of {@code ordinal} to {@code dst[off..off+keyBytes())}. */
  public void copyKey(int ordinal, byte[] dst, int off) {
    System.arraycopy(keys, ordinal * keyBytes, dst, off, keyBytes);
  }

  public int size() {
    return size;
  }

  public long ramBytesUsed() {
    return (long) keys.length + 4L * next.length + 100L * heads.size();
  }
}
