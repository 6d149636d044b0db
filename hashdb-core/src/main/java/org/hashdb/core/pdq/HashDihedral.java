package org.hashdb.core.pdq;

/**
 * The eight dihedral variants of a PDQ hash when only the 256 bits are known (a hash sent to the
 * API or typed on the command line), in {@link Dihedral} order.
 *
 * <p>With the image at hand, {@link PdqHasher#hashDihedral} is exact: it transforms the DCT
 * coefficients and thresholds each variant at its own median. From the bits alone, transposition
 * is exact but a sign change of a coefficient can only be approximated by flipping its bit (that
 * is exact when the median is 0, and the AC coefficients of natural images are centred near it).
 * The tests measure how far this lands from the exact variants on reference images.
 */
public final class HashDihedral {
  private HashDihedral() {}

  /** The 8 variants of a 32-byte hash (big-endian, as the hex); index 0 is a copy of the input. */
  public static byte[][] variants(byte[] hash, int off) {
    byte[][] out = new byte[8][32];
    for (Dihedral d : Dihedral.values()) {
      byte[] v = out[d.ordinal()];
      for (int u = 0; u < 16; u++) {
        for (int c = 0; c < 16; c++) {
          boolean bit = get(hash, off, u, c);
          boolean negate = switch (d) {
            case ORIGINAL, FLIP_PLUS_1 -> false;
            case ROTATE_90, FLIP_Y -> (c & 1) == 0;
            case ROTATE_270, FLIP_X -> (u & 1) == 0;
            case ROTATE_180, FLIP_MINUS_1 -> ((u + c) & 1) == 1;
          };
          if (bit ^ negate) {
            if (d.transposes()) {
              set(v, c, u);
            } else {
              set(v, u, c);
            }
          }
        }
      }
    }
    return out;
  }

  /** Bit k = 16u + v of the big-endian integer: byte 31 - k/8, bit k%8. */
  private static boolean get(byte[] h, int off, int u, int v) {
    int k = 16 * u + v;
    return (h[off + 31 - (k >>> 3)] & (1 << (k & 7))) != 0;
  }

  private static void set(byte[] h, int u, int v) {
    int k = 16 * u + v;
    h[31 - (k >>> 3)] |= (byte) (1 << (k & 7));
  }
}
