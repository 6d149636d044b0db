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
  /**
   * Largest timestamp (about 31 years): its vPDQ text takes 14 characters, so every frame that
   * exists can be written as a line that reads back (a timestamp like 1e300 could not).
   */
  public static final double MAX_TIMESTAMP_SECONDS = 1e9;

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
    if (!(timestampSeconds >= 0 && timestampSeconds <= MAX_TIMESTAMP_SECONDS)) {
      throw new IllegalArgumentException("timestamp must be a number in 0.."
          + (long) MAX_TIMESTAMP_SECONDS + " seconds");
    }
  }

  /** The hash as 64 lowercase hex digits. */
  public String hex() {
    return Hex.encode(hash);
  }
}
