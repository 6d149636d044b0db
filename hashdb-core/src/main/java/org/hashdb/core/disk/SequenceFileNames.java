package org.hashdb.core.disk;

/** File names that carry a sequence number as 20 zero-padded digits: {@code <prefix><digits><suffix>}. */
final class SequenceFileNames {
  /** Digits of the sequence in a name (enough for any non-negative long). */
  static final int DIGITS = 20;

  private SequenceFileNames() {}

  static String format(String prefix, long sequence, String suffix) {
    return prefix + String.format("%020d", sequence) + suffix;
  }

  /** The sequence in {@code name}, or -1 if the name does not have that form. */
  static long parse(String name, String prefix, String suffix) {
    if (name.length() != prefix.length() + DIGITS + suffix.length()
        || !name.startsWith(prefix)
        || !name.endsWith(suffix)) {
      return -1;
    }
    long v = 0;
    for (int i = prefix.length(); i < prefix.length() + DIGITS; i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9' || v > (Long.MAX_VALUE - 9) / 10) {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
