package org.hashdb.core.db;

import org.hashdb.core.hash.HashType;
import org.hashdb.core.pdq.PdqBits;

/**
 * The values a list change adds, as offsets into its encoded payload: finds repeats inside a
 * release without an object per entry (an open-addressing table of ints, at most half full: 8
 * bytes per added value at worst).
 */
final class AddedValues {
  private int[] slots = new int[64]; // (offset of the value in the payload) + 1, 0 = empty
  private byte[] types = new byte[64];
  private int size;

  /** True when {@code value} of {@code type} was added; compares against {@code payload}. */
  boolean contains(HashType type, byte[] value, byte[] payload) {
    int mask = slots.length - 1;
    for (int pos = hash(type, value, 0) & mask; slots[pos] != 0; pos = (pos + 1) & mask) {
      if (types[pos] == type.ordinal() && java.util.Arrays.equals(value, 0, value.length, payload,
          slots[pos] - 1, slots[pos] - 1 + value.length)) {
        return true;
      }
    }
    return false;
  }

  /** Remembers that the value at {@code offset} of {@code payload} is added (not yet contained). */
  void add(HashType type, byte[] payload, int offset) {
    if ((size + 1) * 2 > slots.length) {
      grow(payload);
    }
    insert(type.ordinal(), hash(type, payload, offset), offset);
    size++;
  }

  private void insert(int type, int hash, int offset) {
    int mask = slots.length - 1;
    int pos = hash & mask;
    while (slots[pos] != 0) {
      pos = (pos + 1) & mask;
    }
    slots[pos] = offset + 1;
    types[pos] = (byte) type;
  }

  private void grow(byte[] payload) {
    int[] oldSlots = slots;
    byte[] oldTypes = types;
    slots = new int[oldSlots.length * 2];
    types = new byte[oldSlots.length * 2];
    for (int i = 0; i < oldSlots.length; i++) {
      if (oldSlots[i] != 0) {
        HashType t = HashType.ofOrdinal(oldTypes[i]);
        insert(oldTypes[i], hash(t, payload, oldSlots[i] - 1), oldSlots[i] - 1);
      }
    }
  }

  /** Hash values are uniform: their first 8 bytes mixed with the type. */
  private static int hash(HashType type, byte[] b, int off) {
    long k = PdqBits.readLong(b, off) ^ ((long) type.ordinal() << 59);
    return (int) (k * 0x9E3779B97F4A7C15L >>> 32);
  }
}
