package org.hashdb.core.psi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** RFC 9380 section 5.3.1 {@code expand_message_xmd} with SHA-256. Stateless. */
final class ExpandMessageXmd {
  private static final int B_IN_BYTES = 32;
  private static final int S_IN_BYTES = 64;
  private static final byte[] OVERSIZE = "H2C-OVERSIZE-DST-".getBytes(StandardCharsets.US_ASCII);

  private ExpandMessageXmd() {}

  /**
   * Expands {@code msg} to {@code lenInBytes} uniform bytes under domain separation tag
   * {@code dst}.
   *
   * @throws IllegalArgumentException if {@code lenInBytes} is not in 1..8160 (ell > 255)
   */
  public static byte[] expand(byte[] msg, byte[] dst, int lenInBytes) {
    int ell = (lenInBytes + B_IN_BYTES - 1) / B_IN_BYTES;
    if (lenInBytes < 1 || ell > 255) {
      throw new IllegalArgumentException("lenInBytes must be 1..8160, got " + lenInBytes);
    }
    MessageDigest h = sha256();
    if (dst.length > 255) {
      h.update(OVERSIZE);
      dst = h.digest(dst);
    }
    byte[] dstPrime = new byte[dst.length + 1];
    System.arraycopy(dst, 0, dstPrime, 0, dst.length);
    dstPrime[dst.length] = (byte) dst.length;

    h.update(new byte[S_IN_BYTES]);
    h.update(msg);
    h.update((byte) (lenInBytes >>> 8));
    h.update((byte) lenInBytes);
    h.update((byte) 0);
    byte[] b0 = h.digest(dstPrime);

    byte[] out = new byte[lenInBytes];
    byte[] bi = new byte[B_IN_BYTES];
    byte[] prev = null;
    for (int i = 1; i <= ell; i++) {
      if (prev == null) {
        h.update(b0);
      } else {
        for (int j = 0; j < B_IN_BYTES; j++) {
          bi[j] = (byte) (b0[j] ^ prev[j]);
        }
        h.update(bi);
      }
      h.update((byte) i);
      prev = h.digest(dstPrime);
      int off = (i - 1) * B_IN_BYTES;
      System.arraycopy(prev, 0, out, off, Math.min(B_IN_BYTES, lenInBytes - off));
    }
    return out;
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }
}
