package org.hashdb.core.hash;

import java.util.Arrays;

/**
 * The hex codec of the project: ASCII {@code 0-9a-fA-F} in, lowercase out. Every method works on
 * a range, so URIs, JSON parser buffers and output buffers are read and written in place; the
 * range methods allocate nothing. Parsing checks length and digits and reports the first problem
 * precisely.
 */
public final class Hex {
  private static final byte[] DIGIT_VALUE = new byte[128];
  private static final byte[] DIGITS = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9',
      'a', 'b', 'c', 'd', 'e', 'f'};

  static {
    Arrays.fill(DIGIT_VALUE, (byte) -1);
    for (int i = 0; i < 16; i++) {
      DIGIT_VALUE[DIGITS[i]] = (byte) i;
      DIGIT_VALUE[Character.toUpperCase(DIGITS[i])] = (byte) i;
    }
  }

  private Hex() {}

  /** Decodes a value of the given type; throws {@link HashFormatException} saying what is wrong. */
  public static byte[] decode(HashType type, CharSequence hex) {
    byte[] out = new byte[type.byteLength()];
    decode(type, hex, out, 0);
    return out;
  }

  /** Decodes into {@code out[off..off+type.byteLength())}. */
  public static void decode(HashType type, CharSequence hex, byte[] out, int off) {
    decode(type, hex, 0, hex == null ? 0 : hex.length(), out, off);
  }

  /** Decodes {@code s[from..to)} as a {@code type} value into {@code out[off..)}. */
  public static void decode(HashType type, CharSequence s, int from, int to, byte[] out, int off) {
    checkLength(type, to - from);
    for (int i = 0; i < to - from; i += 2) {
      out[off + (i >> 1)] = pair(type, i, s.charAt(from + i), s.charAt(from + i + 1));
    }
  }

  /** Decodes {@code s[from..to)} (a JSON parser's text buffer, say) into {@code out[off..)}. */
  public static void decode(HashType type, char[] s, int from, int to, byte[] out, int off) {
    checkLength(type, to - from);
    for (int i = 0; i < to - from; i += 2) {
      out[off + (i >> 1)] = pair(type, i, s[from + i], s[from + i + 1]);
    }
  }

  /**
   * Decodes hex of any even length (keys, PRF outputs); an {@link IllegalArgumentException} when
   * the text is not hex.
   */
  public static byte[] decode(CharSequence hex) {
    if (hex.length() % 2 != 0) {
      throw new IllegalArgumentException("odd number of hex digits: " + hex.length());
    }
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < hex.length(); i += 2) {
      int hi = digit(hex.charAt(i));
      int lo = digit(hex.charAt(i + 1));
      if ((hi | lo) < 0) {
        throw new IllegalArgumentException("non-hex character at position " + (hi < 0 ? i : i + 1));
      }
      out[i >> 1] = (byte) ((hi << 4) | lo);
    }
    return out;
  }

  /** True when every character of {@code s} is a hex digit. */
  public static boolean isHex(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      if (digit(s.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  private static void checkLength(HashType type, int len) {
    if (len == 0) {
      throw new HashFormatException("empty " + type.apiName() + " hash");
    }
    if (len != type.hexLength()) {
      throw new HashFormatException(
          type.apiName() + " hash must have " + type.hexLength() + " hex digits, got " + len);
    }
  }

  /** The byte of digits {@code a b} at hex position {@code pos} of a {@code type} value. */
  private static byte pair(HashType type, int pos, char a, char b) {
    int hi = digit(a);
    int lo = digit(b);
    if ((hi | lo) < 0) {
      throw new HashFormatException(
          type.apiName() + " hash has a non-hex character at position " + (hi < 0 ? pos : pos + 1));
    }
    return (byte) ((hi << 4) | lo);
  }

  /** Value of one ASCII hex digit, or -1. */
  public static int digit(char c) {
    return c < 128 ? DIGIT_VALUE[c] : -1;
  }

  /** Lowercase hex of {@code bytes}. */
  public static String encode(byte[] bytes) {
    return encode(bytes, 0, bytes.length);
  }

  /** Lowercase hex of {@code bytes[off..off+len)}. */
  public static String encode(byte[] bytes, int off, int len) {
    char[] out = new char[len * 2];
    encode(bytes, off, len, out, 0);
    return new String(out);
  }

  /** Lowercase hex of {@code bytes[off..off+len)} into {@code out[pos..pos+2*len)}. */
  public static void encode(byte[] bytes, int off, int len, char[] out, int pos) {
    for (int i = 0; i < len; i++) {
      int b = bytes[off + i] & 0xff;
      out[pos + 2 * i] = (char) DIGITS[b >>> 4];
      out[pos + 2 * i + 1] = (char) DIGITS[b & 0xf];
    }
  }

  /**
   * Lowercase hex of {@code bytes[off..off+len)} as ASCII into {@code out[pos..)}; returns the
   * position after the last digit written.
   */
  public static int encodeAscii(byte[] bytes, int off, int len, byte[] out, int pos) {
    for (int i = 0; i < len; i++) {
      int b = bytes[off + i] & 0xff;
      out[pos++] = DIGITS[b >>> 4];
      out[pos++] = DIGITS[b & 0xf];
    }
    return pos;
  }
}
