package org.hashdb.server.api;

import java.util.Arrays;
import org.hashdb.core.Accountable;
import org.hashdb.core.hash.HashType;

/**
 * The parsed queries of one JSON lookup batch, in flat arrays: no object per query. Value i
 * occupies {@code values[i * 32 .. i * 32 + type(i).byteLength())}. Reused per thread; grows
 * as needed. Not thread-safe.
 */
public final class LookupBatch implements Accountable {
  /** Bytes reserved per value (the longest type). */
  public static final int STRIDE = HashType.MAX_BYTES;

  private HashType[] types = new HashType[64];
  private byte[] values = new byte[64 * STRIDE];
  private int[] distances = new int[64];
  private int size;

  public int size() {
    return size;
  }

  public HashType type(int i) {
    return types[i];
  }

  /** The flat value array; value i starts at {@code i * STRIDE}. */
  public byte[] values() {
    return values;
  }

  /** maxDistance of query i (pdq only; the default when the query gave none). */
  public int maxDistance(int i) {
    return distances[i];
  }

  void clear() {
    size = 0;
  }

  /** Appends a query slot and returns its index; the caller fills type, value and distance. */
  int add() {
    if (size == types.length) {
      int n = size * 2;
      types = Arrays.copyOf(types, n);
      values = Arrays.copyOf(values, n * STRIDE);
      distances = Arrays.copyOf(distances, n);
    }
    return size++;
  }

  void set(int i, HashType type, int distance) {
    types[i] = type;
    distances[i] = distance;
  }

  /** Bytes held. */
  @Override
  public long ramBytesUsed() {
    return 16L + 4L * types.length + values.length + 4L * distances.length;
  }
}
