package org.hashdb.client.scan;

import java.time.Duration;

/**
 * Totals of a finished scan.
 *
 * @param files regular files checked (hashed or taken from the cache, and looked up)
 * @param bytes their total size
 * @param hashedFiles files whose content was read and hashed in this run
 * @param cachedFiles files whose hashes came from the cache (unchanged since the last run)
 * @param skipped symlinks, special files, excluded, vanished and loop entries not checked
 * @param errors files or directories that could not be read
 * @param matches matches (file, hash, entry triples)
 * @param matchedFiles distinct files with at least one match
 * @param duration wall time
 * @param failure null, or why the scan stopped early (the server failed): results incomplete
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
    String failure) {

  /** clamscan-style exit code: 1 matches found, 2 error (server failed or nothing checkable), 0 clean. */
  public int exitCode() {
    if (matches > 0) {
      return 1;
    }
    if (failure != null || (files == 0 && errors > 0)) {
      return 2;
    }
    return 0;
  }
}
