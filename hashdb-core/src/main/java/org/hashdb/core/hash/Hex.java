package org.hashdb.core.hash;

/**
 * Hex codec for hash values: ASCII {@code 0-9a-fA-F} in, lowercase out. Parsing checks length
 * and digits and reports the first problem precisely; it never allocates on the error-free
 * path beyond the result.
 */
public final class Hex {
  private static final byte[] DIGIT_VALUE = new byte[128];
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  static {
    java.util.Arrays.fill(DIGIT_VALUE, (byte) -1);
    for (int i = 0; i < 10; i++) {
      DIGIT_VALUE['0' + i] = (byte) i;
    }
    for (int i = 0; i < 6; i++) {
      DIGIT_VALUE['a' + i] = (byte) (10 + i);
      DIGIT_VALUE['A' + i] = (byte) (10 + i);
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
    if (hex == null || hex.length() == 0) {
      throw new HashFormatException("empty " + type.apiName() + " hash");
    }
    int len = hex.length();
    if (len != type.hexLength()) {
      throw new HashFormatException(
          type.apiName() + " hash must have " + type.hexLength() + " hex digits, got " + len);
    }
    for (int i = 0; i < len; i += 2) {
      int hi = digit(hex.charAt(i));
      int lo = digit(hex.charAt(i + 1));
      if ((hi | lo) < 0) {
        int bad = hi < 0 ? i : i + 1;
        throw new HashFormatException(
            type.apiName() + " hash has a non-hex character at position " + bad);
      }
      out[off + (i >> 1)] = (byte) ((hi << 4) | lo);
    }
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
    for (int i = 0; i < len; i++) {
      int b = bytes[off + i] & 0xff;
      out[2 * i] = DIGITS[b >>> 4];
      out[2 * i + 1] = DIGITS[b & 0xf];
    }
    return new String(out);
  }
}
