package org.hashdb.client.scan;

import java.time.Duration;
import java.util.Map;

/**
 * Totals of a finished (or stopped) scan.
 *
 * @param files regular files checked (hashed or taken from the cache, and looked up)
 * @param bytes their total size
 * @param hashedFiles files whose content was read and hashed in this run
 * @param cachedFiles files whose hashes came from the cache (unchanged since the last run)
 * @param skipped symlinks, special files, excluded, vanished and loop entries not checked
 * @param errors files or directories that could not be (fully) checked
 * @param matches matches (file, hash, entry triples)
 * @param matchedFiles distinct files with at least one match
 * @param duration wall time
 * @param failure null, or why the scan stopped early (the server failed, a signal): results
 *     incomplete
 * @param skippedReasons why entries were skipped: reason to count, in the order first seen
 */
public record ScanSummary(
    long files,
    long bytes,
    long hashedFiles,
    long cachedFiles,
    long skipped,
    long errors,
    long matches,
    long matchedFiles,
    Duration duration,
    String failure,
    Map<String, Long> skippedReasons) {

  /** Exit code when every file was checked and nothing matched. */
  public static final int CLEAN = 0;
  /** Exit code when something matched (whatever else happened). */
  public static final int MATCHED = 1;
  /** Exit code when nothing matched but something could not be checked. */
  public static final int NOT_ALL_CHECKED = 2;

  public ScanSummary {
    skippedReasons = skippedReasons == null ? Map.of() : java.util.Collections.unmodifiableMap(
        new java.util.LinkedHashMap<>(skippedReasons));
  }

  /** A summary without skip reasons. */
  public ScanSummary(long files, long bytes, long hashedFiles, long cachedFiles, long skipped, long errors,
      long matches, long matchedFiles, Duration duration, String failure) {
    this(files, bytes, hashedFiles, cachedFiles, skipped, errors, matches, matchedFiles, duration, failure, Map.of());
  }

  /** True when the scan stopped before every file was reached. */
  public boolean incomplete() {
    return failure != null;
  }

  /**
   * clamscan-style exit code that never hides an error: 1 when anything matched (even if errors
   * occurred too); else 2 when anything could not be checked (an unreadable file, an image that
   * could not be decoded for PDQ, a missing root, a failed server, a stopped scan); 0 only when
   * every file was checked and none matched. Skipped entries (symlinks not followed, special
   * files, exclusions) are not errors.
   */
  public int exitCode() {
    if (matches > 0) {
      return MATCHED;
    }
    if (failure != null || errors > 0) {
      return NOT_ALL_CHECKED;
    }
    return CLEAN;
  }
}
