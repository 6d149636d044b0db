package org.hashdb.client.scan;

import java.util.Objects;
import org.hashdb.core.video.VideoHasher;
import org.hashdb.core.video.VpdqMatchOptions;

/**
 * How a {@link TreeScanner} checks videos (files recognised by their first bytes, when the scan's
 * types include vpdq): decoded by {@code hasher} on the scan's worker threads, at most {@code
 * maxConcurrentDecodes} at a time (each decode is an FFmpeg process with its own memory), and
 * looked up with {@code matchOptions} (null: the server's defaults).
 */
public record VideoScanning(VideoHasher hasher, int maxConcurrentDecodes, VpdqMatchOptions matchOptions) {
  public VideoScanning {
    Objects.requireNonNull(hasher, "hasher");
    if (maxConcurrentDecodes < 1 || maxConcurrentDecodes > 256) {
      throw new IllegalArgumentException("maxConcurrentDecodes must be in 1..256, got " + maxConcurrentDecodes);
    }
  }

  /** FFmpeg from the PATH, default bounds, two decodes at a time, the server's thresholds. */
  public static VideoScanning defaults() {
    return new VideoScanning(new VideoHasher(), 2, null);
  }
}
