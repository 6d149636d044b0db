package org.hashdb.core.db;

import java.util.Arrays;
import java.util.List;
import org.hashdb.core.pdq.PdqBits;

/**
 * Finds repeats inside one add batch (same type, value and list) without an object per entry:
 * an open-addressing table of indexes into the accepted list, keyed by the value's first 8 bytes
 * (hash values are uniform; the list name is compared only on a key match).
 */
final class BatchDedupe {
  private final int[] slots; // index into `accepted` + 1; 0 = empty
  private final long[] keys;
  private final int mask;

  BatchDedupe(int expected) {
    int cap = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1;
    slots = new int[cap];
    keys = new long[cap];
    mask = cap - 1;
  }

  /** True (and remembered) when {@code e} is not among {@code accepted} yet; call before adding it. */
  boolean add(List<NewEntry> accepted, NewEntry e) {
    long k = PdqBits.readLong(e.value(), 0) ^ ((long) e.type().ordinal() << 59);
    int pos = (int) (k * 0x9E3779B97F4A7C15L >>> 40) & mask;
    int s;
    while ((s = slots[pos]) != 0) {
      if (keys[pos] == k) {
        NewEntry o = accepted.get(s - 1);
        if (o.type() == e.type() && o.list().equals(e.list()) && Arrays.equals(o.value(), e.value())) {
          return false;
        }
      }
      pos = (pos + 1) & mask;
    }
    slots[pos] = accepted.size() + 1;
    keys[pos] = k;
    return true;
  }
}
