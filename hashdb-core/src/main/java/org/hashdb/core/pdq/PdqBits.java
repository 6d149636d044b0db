package org.hashdb.core.pdq;

/** Big-endian long access and Hamming distance on 32-byte PDQ hashes. */
public final class PdqBits {
  private PdqBits() {}

  public static long readLong(byte[] b, int off) {
    return ((b[off] & 0xffL) << 56) | ((b[off + 1] & 0xffL) << 48) | ((b[off + 2] & 0xffL) << 40)
        | ((b[off + 3] & 0xffL) << 32) | ((b[off + 4] & 0xffL) << 24) | ((b[off + 5] & 0xffL) << 16)
        | ((b[off + 6] & 0xffL) << 8) | (b[off + 7] & 0xffL);
  }

  public static void writeLong(long v, byte[] b, int off) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }

  /** Hamming distance of two 32-byte hashes. */
  public static int distance(byte[] a, int aOff, byte[] b, int bOff) {
    int d = 0;
    for (int w = 0; w < 4; w++) {
      d += Long.bitCount(readLong(a, aOff + 8 * w) ^ readLong(b, bOff + 8 * w));
    }
    return d;
  }

  /** Number of 1 bits of a 32-byte hash. */
  public static int bitCount(byte[] b, int off) {
    int n = 0;
    for (int w = 0; w < 4; w++) {
      n += Long.bitCount(readLong(b, off + 8 * w));
    }
    return n;
  }

  /**
   * 16-bit word {@code k} (0..15) of a 32-byte hash: DCT row k, the hex digits
   * {@code [60-4k, 64-4k)}; bit v of the word is DCT column v. This is the reference's slot order.
   */
  public static int word(byte[] b, int off, int k) {
    int i = off + 30 - 2 * k;
    return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
  }

  /**
   * Flips exactly {@code k} distinct random bits of the 32-byte hash at {@code hash[0..32)}, in
   * place: a planted neighbour at distance k (tests, benchmarks, demo data).
   */
  public static void flipDistinctBits(byte[] hash, int k, java.util.random.RandomGenerator random) {
    if (k < 0 || k > 256) {
      throw new IllegalArgumentException("k must be in 0..256, got " + k);
    }
    int[] bits = new int[256];
    for (int i = 0; i < 256; i++) {
      bits[i] = i;
    }
    for (int i = 0; i < k; i++) {
      int j = i + random.nextInt(256 - i);
      int t = bits[i];
      bits[i] = bits[j];
      bits[j] = t;
      hash[bits[i] >>> 3] ^= (byte) (1 << (bits[i] & 7));
    }
  }
}
