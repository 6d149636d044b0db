package org.hashdb.client.scan;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.hashdb.client.Query;
import org.hashdb.core.hash.HashType;

/**
 * What a {@link Scanner} scans and how.
 *
 * @param roots files and directories to scan (a root that is a symlink is followed)
 * @param types hash types to compute and look up (PDQ only yields a hash for images)
 * @param threads hashing threads, >= 1
 * @param pdqMaxDistance PDQ match distance, or {@link Query#DEFAULT_DISTANCE}
 * @param excludes glob patterns ({@code glob:} syntax of {@link java.nio.file.FileSystem#getPathMatcher});
 *     a file or directory is skipped when one matches its path relative to its root or its name
 * @param followSymlinks follow symbolic links below the roots (loops are detected and skipped)
 * @param cacheFile hash cache to use and update, or null
 * @param batchQueries queries per lookup call, >= 1
 * @param countFirst walk the trees once more, concurrently and without reading content, so
 *     progress can show totals and an ETA
 */
public record ScanOptions(
    List<Path> roots,
    Set<HashType> types,
    int threads,
    int pdqMaxDistance,
    List<String> excludes,
    boolean followSymlinks,
    Path cacheFile,
    int batchQueries,
    boolean countFirst) {

  public ScanOptions {
    roots = List.copyOf(roots);
    if (roots.isEmpty()) {
      throw new IllegalArgumentException("roots must not be empty");
    }
    if (types.isEmpty()) {
      throw new IllegalArgumentException("types must not be empty");
    }
    types = Set.copyOf(EnumSet.copyOf(types));
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    if (pdqMaxDistance != Query.DEFAULT_DISTANCE && (pdqMaxDistance < 0 || pdqMaxDistance > Query.MAX_DISTANCE)) {
      throw new IllegalArgumentException("pdqMaxDistance must be in 0.." + Query.MAX_DISTANCE + ", got " + pdqMaxDistance);
    }
    excludes = List.copyOf(excludes);
    if (batchQueries < 1) {
      throw new IllegalArgumentException("batchQueries must be >= 1, got " + batchQueries);
    }
  }

  /** Defaults: every type, one thread per core, server distance, no excludes, no cache. */
  public static ScanOptions of(List<Path> roots) {
    return new ScanOptions(roots, EnumSet.allOf(HashType.class), Runtime.getRuntime().availableProcessors(),
        Query.DEFAULT_DISTANCE, List.of(), false, null, 2000, false);
  }

  public ScanOptions withTypes(Set<HashType> t) {
    return new ScanOptions(roots, t, threads, pdqMaxDistance, excludes, followSymlinks, cacheFile, batchQueries, countFirst);
  }

  public ScanOptions withThreads(int n) {
    return new ScanOptions(roots, types, n, pdqMaxDistance, excludes, followSymlinks, cacheFile, batchQueries, countFirst);
  }

  public ScanOptions withPdqMaxDistance(int d) {
    return new ScanOptions(roots, types, threads, d, excludes, followSymlinks, cacheFile, batchQueries, countFirst);
  }

  public ScanOptions withExcludes(List<String> globs) {
    return new ScanOptions(roots, types, threads, pdqMaxDistance, globs, followSymlinks, cacheFile, batchQueries, countFirst);
  }

  public ScanOptions withFollowSymlinks(boolean follow) {
    return new ScanOptions(roots, types, threads, pdqMaxDistance, excludes, follow, cacheFile, batchQueries, countFirst);
  }

  public ScanOptions withCacheFile(Path file) {
    return new ScanOptions(roots, types, threads, pdqMaxDistance, excludes, followSymlinks, file, batchQueries, countFirst);
  }

  public ScanOptions withBatchQueries(int n) {
    return new ScanOptions(roots, types, threads, pdqMaxDistance, excludes, followSymlinks, cacheFile, n, countFirst);
  }

  public ScanOptions withCountFirst(boolean count) {
    return new ScanOptions(roots, types, threads, pdqMaxDistance, excludes, followSymlinks, cacheFile, batchQueries, count);
  }
}
