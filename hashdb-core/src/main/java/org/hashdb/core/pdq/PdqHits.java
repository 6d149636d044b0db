package org.hashdb.core.pdq;

import java.util.Arrays;

/**
 * Reusable result buffer of a PDQ search: (ordinal, distance) pairs, sorted by distance then
 * ordinal once {@link PdqIndex#search} returns. Not thread-safe: one per searching thread.
 */
public final class PdqHits {
  private int[] ordinals = new int[16];
  private int[] distances = new int[16];
  private int size;

  public int size() {
    return size;
  }

  public int ordinal(int i) {
    return ordinals[i];
  }

  public int distance(int i) {
    return distances[i];
  }

  public void clear() {
    size = 0;
  }

  public void add(int ordinal, int distance) {
    if (size == ordinals.length) {
      ordinals = Arrays.copyOf(ordinals, size * 2);
      distances = Arrays.copyOf(distances, size * 2);
    }
    ordinals[size] = ordinal;
    distances[size] = distance;
    size++;
  }

  /** Sorts by (distance, ordinal); distances are 0..256 so a counting sort is linear. */
  public void sort() {
    if (size < 2) {
      return;
    }
    long[] packed = new long[size];
    for (int i = 0; i < size; i++) {
      packed[i] = ((long) distances[i] << 32) | (ordinals[i] & 0xffffffffL);
    }
    Arrays.sort(packed);
    for (int i = 0; i < size; i++) {
      distances[i] = (int) (packed[i] >>> 32);
      ordinals[i] = (int) packed[i];
    }
  }
}
