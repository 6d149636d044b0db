package org.hashdb.client.scan;

/**
 * A snapshot of a running scan, for progress display.
 *
 * @param filesDone files hashed or taken from the cache
 * @param bytesDone bytes read so far (as they are read, so it moves during a huge file) plus the
 *     sizes of files taken from the cache
 * @param totalFiles files the counting walk found so far
 * @param totalBytes their bytes
 * @param totalKnown true once the counting walk has finished, so the totals are final
 * @param errors errors so far
 * @param matches matches so far
 * @param elapsedNanos time since the scan started
 */
public record ScanProgress(
    long filesDone,
    long bytesDone,
    long totalFiles,
    long totalBytes,
    boolean totalKnown,
    long errors,
    long matches,
    long elapsedNanos) {}
