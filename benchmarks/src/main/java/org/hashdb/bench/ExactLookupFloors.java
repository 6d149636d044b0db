package org.hashdb.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Cost floors for {@link ExactLookupBenchmark}: not lookups, but the memory accesses a lookup of
 * a given layout cannot avoid, with the fewest instructions and no branches. They answer "how
 * fast could any lookup on this layout be on this machine?", so that a goal can be compared
 * with what the memory system allows. Run them in the same JMH run as the real impls, e.g.
 * {@code -p impl=hashset,hashdb,hashdbBatch,floorSlotKey,floorSlotKeyBatch,floorOneLine}.
 *
 * <p>Each floor places every stored key at its home position, the last key winning a
 * collision (so some stored keys are not found: a floor models cost, not correctness), hashes
 * with one multiply of the first lane, and touches the first and last 8 bytes of a candidate
 * key, i.e. every cache line the key spans. None probes past the home position, checks a
 * fingerprint or compares the middle lanes, all of which a real lookup must do.
 *
 * <ul>
 *   <li>{@code floorSlotKey}: the layout of {@link org.hashdb.core.exact.ExactIndex}: an
 *       {@code int} slot table (one line per lookup), then the candidate's key in paged key
 *       storage (a second, dependent line). One query at a time.
 *   <li>{@code floorSlotKeyBatch}: the same accesses in two passes over the batch (all slot
 *       loads, then all key loads), the most overlap a batch API can get.
 *   <li>{@code floorOneLine}: keys inline in the table, so a lookup is one random access into
 *       {@code keyBytes * 2^bits} bytes: the floor of any layout that reads the stored key.
 * </ul>
 */
final class ExactLookupFloors {
  /** Floor names, accepted by {@link ExactLookupAdapter#create}. */
  static final String[] NAMES = {"floorSlotKey", "floorSlotKeyBatch", "floorOneLine"};

  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long MIX = 0x9E3779B97F4A7C15L;
  private static final int PAGE_SHIFT = 13; // as ExactIndex: 2^13 keys per page
  private static final int PAGE_MASK = (1 << PAGE_SHIFT) - 1;

  private ExactLookupFloors() {}

  static ExactLookupAdapter create(String name, byte[] keys, byte[] queries, int keyBytes) {
    return switch (name) {
      case "floorSlotKey" -> new SlotKey(keys, queries, keyBytes, false);
      case "floorSlotKeyBatch" -> new SlotKey(keys, queries, keyBytes, true);
      case "floorOneLine" -> new OneLine(keys, queries, keyBytes);
      default -> null;
    };
  }

  /** Table bits as ExactIndex sizes its table: load at most 0.75. */
  static int tableBits(int size) {
    int bits = 4;
    while (((3L << bits) >>> 2) < size) {
      bits++;
    }
    return bits;
  }

  /** Slot table of ordinal + 1 at each key's home, then the key in 2^13-key pages. */
  static final class SlotKey implements ExactLookupAdapter {
    private final int[] slots;
    private final byte[][] pages;
    private final byte[] queries;
    private final int keyBytes;
    private final int shift;
    private final boolean staged;

    SlotKey(byte[] keys, byte[] queries, int keyBytes, boolean staged) {
      int n = keys.length / keyBytes;
      int bits = tableBits(n);
      this.slots = new int[1 << bits];
      this.shift = 64 - bits;
      this.pages = new byte[(n + PAGE_MASK) >>> PAGE_SHIFT][];
      for (int p = 0; p < pages.length; p++) {
        int first = p << PAGE_SHIFT;
        int count = Math.min(PAGE_MASK + 1, n - first);
        pages[p] = new byte[(PAGE_MASK + 1) * keyBytes];
        System.arraycopy(keys, first * keyBytes, pages[p], 0, count * keyBytes);
      }
      for (int o = 0; o < n; o++) {
        slots[home((long) LONG.get(keys, o * keyBytes))] = o + 1;
      }
      this.queries = queries;
      this.keyBytes = keyBytes;
      this.staged = staged;
    }

    private int home(long lane0) {
      return (int) ((lane0 * MIX) >>> shift);
    }

    /** Touches every line of the candidate's key; its ordinal if the touched lanes match. */
    private int touchKey(int slot, int q) {
      int o = slot - 1;
      o &= ~(o >> 31); // an empty slot reads ordinal 0, which stays cached
      int kb = keyBytes;
      int b = (o & PAGE_MASK) * kb;
      byte[] page = pages[o >>> PAGE_SHIFT];
      long d = ((long) LONG.get(page, b) ^ (long) LONG.get(queries, q))
          | ((long) LONG.get(page, b + kb - 8) ^ (long) LONG.get(queries, q + kb - 8));
      return o | (int) ((d | -d) >> 63); // -1 unless both lanes match
    }

    @Override
    public void lookup(int from, int count, int[] out) {
      int kb = keyBytes;
      if (!staged) {
        for (int i = 0; i < count; i++) {
          int q = (from + i) * kb;
          out[i] = touchKey(slots[home((long) LONG.get(queries, q))], q);
        }
        return;
      }
      for (int i = 0; i < count; i++) {
        out[i] = slots[home((long) LONG.get(queries, (from + i) * kb))];
      }
      for (int i = 0; i < count; i++) {
        out[i] = touchKey(out[i], (from + i) * kb);
      }
    }
  }

  /** Keys inline at their home in one array: one random access per lookup. */
  static final class OneLine implements ExactLookupAdapter {
    private final byte[] table;
    private final byte[] queries;
    private final int keyBytes;
    private final int shift;

    OneLine(byte[] keys, byte[] queries, int keyBytes) {
      int n = keys.length / keyBytes;
      int bits = tableBits(n);
      this.table = new byte[Math.toIntExact((long) keyBytes << bits)];
      this.shift = 64 - bits;
      for (int o = 0; o < n; o++) {
        int at = (int) (((long) LONG.get(keys, o * keyBytes) * MIX) >>> shift);
        System.arraycopy(keys, o * keyBytes, table, at * keyBytes, keyBytes);
      }
      this.queries = queries;
      this.keyBytes = keyBytes;
    }

    @Override
    public void lookup(int from, int count, int[] out) {
      int kb = keyBytes;
      for (int i = 0; i < count; i++) {
        int q = (from + i) * kb;
        long q0 = (long) LONG.get(queries, q);
        int at = (int) ((q0 * MIX) >>> shift);
        int b = at * kb;
        long d = ((long) LONG.get(table, b) ^ q0)
            | ((long) LONG.get(table, b + kb - 8) ^ (long) LONG.get(queries, q + kb - 8));
        out[i] = at | (int) ((d | -d) >> 63);
      }
    }
  }
}
