package org.hashdb.core.video;

import java.util.Objects;
import org.hashdb.core.hash.Hex;

/**
 * One hashed video frame, as a line of vPDQ text: {@code frame_number,quality,pdq_hex,timestamp}.
 *
 * @param frameNumber index of the frame in the decoded stream (0-based)
 * @param quality PDQ quality 0..100
 * @param hash the 32-byte PDQ hash (kept as given, do not modify)
 * @param timestampSeconds presentation time of the frame in seconds
 */
public record VpdqFrame(int frameNumber, int quality, byte[] hash, double timestampSeconds) {
  public VpdqFrame {
    Objects.requireNonNull(hash, "hash");
    if (hash.length != 32) {
      throw new IllegalArgumentException("frame hash must have 32 bytes, got " + hash.length);
    }
    if (quality < 0 || quality > 100) {
      throw new IllegalArgumentException("quality must be in 0..100, got " + quality);
    }
    if (frameNumber < 0) {
      throw new IllegalArgumentException("frame number must be >= 0, got " + frameNumber);
    }
    if (!(timestampSeconds >= 0) || Double.isInfinite(timestampSeconds)) {
      throw new IllegalArgumentException("timestamp must be a finite number >= 0");
    }
  }

  /** The hash as 64 lowercase hex digits. */
  public String hex() {
    return Hex.encode(hash);
  }
}
