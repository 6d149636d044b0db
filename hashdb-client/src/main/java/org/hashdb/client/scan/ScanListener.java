package org.hashdb.client.scan;

/**
 * Receives what a {@link TreeScanner} finds, as it finds it. Called from the scanner's worker and
 * lookup threads, possibly concurrently: implementations must be thread-safe.
 */
public interface ScanListener {
  /** A hash of a file matched a list entry (one call per file, hash and entry). */
  void onMatch(FileMatch match);

  /** A file or directory could not be checked, or was skipped for a reason worth reporting. */
  void onProblem(ScanProblem problem);
}
