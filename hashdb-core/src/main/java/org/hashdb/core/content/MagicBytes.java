package org.hashdb.core.content;

/**
 * Reading file signatures ("magic numbers") in the first bytes of content, for {@link ImageMagic}
 * and {@code org.hashdb.core.video.VideoMagic}. The caller checks the length first.
 */
public final class MagicBytes {
  private MagicBytes() {}

  /** {@code b[i]} as an unsigned byte. */
  public static int u(byte[] b, int i) {
    return b[i] & 0xff;
  }

  /** True when {@code b} holds the ASCII text {@code s} at {@code off}. */
  public static boolean ascii(byte[] b, int off, String s) {
    for (int i = 0; i < s.length(); i++) {
      if (b[off + i] != (byte) s.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
