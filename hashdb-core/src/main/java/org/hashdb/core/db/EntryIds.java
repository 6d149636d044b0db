package org.hashdb.core.db;

import org.hashdb.core.hash.HashType;

/**
 * Layout of entry ids: {@code type ordinal << 28 | ordinal within the type}. Each type numbers
 * its entries densely from 0, so per-type columns are indexed by the low bits directly and
 * RoaringBitmaps over ids stay compact. 2^28 (268M) entries per type.
 */
public final class EntryIds {
  /** Bits of the per-type ordinal. */
  public static final int ORDINAL_BITS = 28;
  /** Largest number of entries one type can hold. */
  public static final int MAX_PER_TYPE = 1 << ORDINAL_BITS;

  private static final int ORDINAL_MASK = MAX_PER_TYPE - 1;

  private EntryIds() {}

  public static int of(HashType type, int ordinal) {
    assert ordinal >= 0 && ordinal < MAX_PER_TYPE : ordinal;
    return (type.ordinal() << ORDINAL_BITS) | ordinal;
  }

  public static HashType type(int entryId) {
    return HashType.ofOrdinal(entryId >>> ORDINAL_BITS);
  }

  public static int ordinal(int entryId) {
    return entryId & ORDINAL_MASK;
  }

  /** Opaque text form: 8 lowercase hex digits. */
  public static String format(int entryId) {
    String hex = Integer.toHexString(entryId);
    return "00000000".substring(hex.length()) + hex;
  }

  /** Parses {@link #format} output; -1 when the text is not an entry reference. */
  public static int parse(String text) {
    if (text == null || text.length() != 8) {
      return -1;
    }
    try {
      return (int) Long.parseLong(text, 16);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
