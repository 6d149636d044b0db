package org.hashdb.server.api;

import org.hashdb.core.hash.HashFormatException;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;

/**
 * Hex decoding straight out of a URI or a JSON parser's character buffer, without the substring
 * {@link Hex#decode(HashType, CharSequence)} would need. Same rules and messages as {@link Hex}.
 */
final class HexText {
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private HexText() {}

  /** Decodes {@code s[from..to)} as a {@code type} value into {@code out[off..)}. */
  static void decode(HashType type, CharSequence s, int from, int to, byte[] out, int off) {
    int len = to - from;
    if (len == 0) {
      throw new HashFormatException("empty " + type.apiName() + " hash");
    }
    if (len != type.hexLength()) {
      throw new HashFormatException(
          type.apiName() + " hash must have " + type.hexLength() + " hex digits, got " + len);
    }
    for (int i = 0; i < len; i += 2) {
      int hi = Hex.digit(s.charAt(from + i));
      int lo = Hex.digit(s.charAt(from + i + 1));
      if ((hi | lo) < 0) {
        throw new HashFormatException(
            type.apiName() + " hash has a non-hex character at position " + (hi < 0 ? i : i + 1));
      }
      out[off + (i >> 1)] = (byte) ((hi << 4) | lo);
    }
  }

  /** Decodes {@code chars[from..from+len)}. */
  static void decode(HashType type, char[] chars, int from, int len, byte[] out, int off) {
    if (len == 0) {
      throw new HashFormatException("empty " + type.apiName() + " hash");
    }
    if (len != type.hexLength()) {
      throw new HashFormatException(
          type.apiName() + " hash must have " + type.hexLength() + " hex digits, got " + len);
    }
    for (int i = 0; i < len; i += 2) {
      int hi = Hex.digit(chars[from + i]);
      int lo = Hex.digit(chars[from + i + 1]);
      if ((hi | lo) < 0) {
        throw new HashFormatException(
            type.apiName() + " hash has a non-hex character at position " + (hi < 0 ? i : i + 1));
      }
      out[off + (i >> 1)] = (byte) ((hi << 4) | lo);
    }
  }

  /** The type named by {@code s[from..to)} (case-insensitive), or null. No allocation. */
  static HashType type(CharSequence s, int from, int to) {
    for (HashType t : HashType.values()) {
      String n = t.apiName();
      if (n.length() == to - from) {
        int i = 0;
        while (i < n.length() && Character.toLowerCase(s.charAt(from + i)) == n.charAt(i)) {
          i++;
        }
        if (i == n.length()) {
          return t;
        }
      }
    }
    return null;
  }

  /** Lowercase hex of {@code bytes[off..off+len)} into {@code out} (2*len chars). */
  static void encode(byte[] bytes, int off, int len, char[] out) {
    for (int i = 0; i < len; i++) {
      int b = bytes[off + i] & 0xff;
      out[2 * i] = DIGITS[b >>> 4];
      out[2 * i + 1] = DIGITS[b & 0xf];
    }
  }
}
