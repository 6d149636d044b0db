package org.hashdb.core.video;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import org.hashdb.core.pdq.PdqHash;

/**
 * The canonical form of a video for matching and storage: the distinct PDQ hashes of its frames of
 * quality at least a threshold (vPDQ drops lower ones and deduplicates before comparing), sorted
 * as unsigned bytes and packed 32 bytes each. Frame numbers and timestamps take no part in the
 * comparison, so they are not kept; the sort makes the form, and its {@link #digest}, independent
 * of frame order.
 */
public final class VpdqFrames {
  /** vPDQ's default quality threshold. */
  public static final int DEFAULT_MIN_QUALITY = PdqHash.MIN_USEFUL_QUALITY;

  private VpdqFrames() {}

  /** Packed, sorted, distinct hashes of the frames with quality >= {@code minQuality}. */
  public static byte[] canonical(List<VpdqFrame> frames, int minQuality) {
    byte[][] kept = frames.stream().filter(f -> f.quality() >= minQuality).map(VpdqFrame::hash)
        .toArray(byte[][]::new);
    return pack(kept);
  }

  /** Sorts and deduplicates packed hashes ({@code n x 32} bytes); returns a new array. */
  public static byte[] canonical(byte[] packed) {
    if (packed.length % 32 != 0) {
      throw new IllegalArgumentException("packed frame hashes must be a multiple of 32 bytes");
    }
    byte[][] hashes = new byte[packed.length / 32][];
    for (int i = 0; i < hashes.length; i++) {
      hashes[i] = Arrays.copyOfRange(packed, i * 32, i * 32 + 32);
    }
    return pack(hashes);
  }

  private static byte[] pack(byte[][] hashes) {
    Arrays.sort(hashes, Arrays::compareUnsigned);
    byte[] out = new byte[hashes.length * 32];
    int n = 0;
    for (int i = 0; i < hashes.length; i++) {
      if (i > 0 && Arrays.equals(hashes[i], hashes[i - 1])) {
        continue;
      }
      System.arraycopy(hashes[i], 0, out, n * 32, 32);
      n++;
    }
    return n == hashes.length ? out : Arrays.copyOf(out, n * 32);
  }

  /** True when {@code packed} is in canonical form: whole hashes, strictly increasing. */
  public static boolean isCanonical(byte[] packed) {
    if (packed.length % 32 != 0) {
      return false;
    }
    for (int off = 32; off < packed.length; off += 32) {
      if (Arrays.compareUnsigned(packed, off - 32, off, packed, off, off + 32) >= 0) {
        return false;
      }
    }
    return true;
  }

  /** The video's identity as a stored entry value: SHA-256 of its canonical packed hashes. */
  public static byte[] digest(byte[] canonical) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(canonical);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JRE", e);
    }
  }
}
