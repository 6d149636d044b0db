package org.hashdb.bench;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.hashdb.core.exact.ExactIndex;

/**
 * One competitor of {@link ExactLookupBenchmark}: a set of stored keys that answers lookups of a
 * fixed pool of query keys, each implementation holding the queries in its own natural form.
 */
interface ExactLookupAdapter {

  /** Competitor names, as in the benchmark's {@code impl} parameter. */
  String[] IMPLS = {"hashdb", "hashdbBatch", "hashset"};

  /** {@code out[i]} = a non-negative value if query {@code from + i} is stored, else -1. */
  void lookup(int from, int count, int[] out);

  /**
   * Stores {@code keys.length / keyBytes} keys laid back to back and prepares the queries, laid
   * out the same way. {@code impl} is one of {@link #IMPLS} or a cost floor of {@link
   * ExactLookupFloors#NAMES}.
   */
  static ExactLookupAdapter create(String impl, byte[] keys, byte[] queries, int keyBytes) {
    return switch (impl) {
      case "hashdb" -> new Single(index(keys, keyBytes), queries);
      case "hashdbBatch" -> new Batch(index(keys, keyBytes), queries);
      case "hashset" -> new JdkHashSet(keys, queries, keyBytes);
      default -> {
        ExactLookupAdapter floor = ExactLookupFloors.create(impl, keys, queries, keyBytes);
        if (floor == null) {
          throw new IllegalArgumentException("unknown impl: " + impl);
        }
        yield floor;
      }
    };
  }

  private static ExactIndex index(byte[] keys, int keyBytes) {
    int n = keys.length / keyBytes;
    ExactIndex index = new ExactIndex(keyBytes, n);
    index.appendAll(keys, 0, n);
    return index;
  }

  /** {@link ExactIndex#find} once per query. */
  final class Single implements ExactLookupAdapter {
    private final ExactIndex index;
    private final byte[] queries;
    private final int keyBytes;

    Single(ExactIndex index, byte[] queries) {
      this.index = index;
      this.queries = queries;
      this.keyBytes = index.keyBytes();
    }

    @Override
    public void lookup(int from, int count, int[] out) {
      for (int i = 0; i < count; i++) {
        out[i] = index.find(queries, (from + i) * keyBytes);
      }
    }
  }

  /** {@link ExactIndex#findBatch} over the whole range. */
  final class Batch implements ExactLookupAdapter {
    private final ExactIndex index;
    private final byte[] queries;

    Batch(ExactIndex index, byte[] queries) {
      this.index = index;
      this.queries = queries;
    }

    @Override
    public void lookup(int from, int count, int[] out) {
      index.findBatch(queries, from * index.keyBytes(), count, out);
    }
  }

  /**
   * The textbook alternative: a {@link HashSet} of byte-array wrappers. Queries are wrapped up
   * front, and wrappers cache their hash code, so the set pays no allocation or hashing per
   * lookup beyond what HashMap itself does.
   */
  final class JdkHashSet implements ExactLookupAdapter {
    private final Set<ByteKey> set;
    private final ByteKey[] queries;

    JdkHashSet(byte[] keys, byte[] queries, int keyBytes) {
      int n = keys.length / keyBytes;
      this.set = new HashSet<>((int) Math.min(Integer.MAX_VALUE, n * 4L / 3 + 1));
      for (int i = 0; i < n; i++) {
        set.add(new ByteKey(Arrays.copyOfRange(keys, i * keyBytes, (i + 1) * keyBytes)));
      }
      this.queries = new ByteKey[queries.length / keyBytes];
      for (int i = 0; i < this.queries.length; i++) {
        this.queries[i] =
            new ByteKey(Arrays.copyOfRange(queries, i * keyBytes, (i + 1) * keyBytes));
      }
    }

    @Override
    public void lookup(int from, int count, int[] out) {
      for (int i = 0; i < count; i++) {
        out[i] = set.contains(queries[from + i]) ? 1 : -1;
      }
    }
  }

  /** Byte-array key with content equality and a cached {@link Arrays#hashCode(byte[])}. */
  final class ByteKey {
    private final byte[] bytes;
    private final int hash;

    ByteKey(byte[] bytes) {
      this.bytes = bytes;
      this.hash = Arrays.hashCode(bytes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ByteKey k && hash == k.hash && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
