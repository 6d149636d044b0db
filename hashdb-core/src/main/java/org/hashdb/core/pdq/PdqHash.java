package org.hashdb.core.pdq;

import java.util.Arrays;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;

/**
 * A PDQ hash and its quality.
 *
 * @param hash the 256 bits as 32 bytes, big-endian in the order of the hex form (byte 0 = hex
 *     digits 0-1 = DCT row 15; byte 31 = DCT row 0, columns 0-7). The record keeps the array it
 *     is given: callers must not modify it afterwards.
 * @param quality 0..100; hashes below {@link #MIN_USEFUL_QUALITY} are unreliable
 */
public record PdqHash(byte[] hash, int quality) {
  /** The reference's advice: discard hashes whose quality is below 50. */
  public static final int MIN_USEFUL_QUALITY = 50;

  public PdqHash {
    if (hash == null || hash.length != 32) {
      throw new IllegalArgumentException(
          "hash must have 32 bytes, got " + (hash == null ? "null" : hash.length));
    }
    if (quality < 0 || quality > 100) {
      throw new IllegalArgumentException("quality must be in 0..100, got " + quality);
    }
  }

  /** Parses 64 hex digits (any case). */
  public static PdqHash ofHex(CharSequence hex, int quality) {
    return new PdqHash(Hex.decode(HashType.PDQ, hex), quality);
  }

  /** The 64 lowercase hex digits. */
  public String hex() {
    return Hex.encode(hash);
  }

  /** Hamming distance to {@code other}, 0..256. */
  public int distance(PdqHash other) {
    return PdqBits.distance(hash, 0, other.hash, 0);
  }

  /** Number of 1 bits, 0..256 (128 for a hash without tied coefficients). */
  public int bitCount() {
    return PdqBits.bitCount(hash, 0);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PdqHash p && quality == p.quality && Arrays.equals(hash, p.hash);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(hash) + quality;
  }

  @Override
  public String toString() {
    return hex() + " q=" + quality;
  }
}
