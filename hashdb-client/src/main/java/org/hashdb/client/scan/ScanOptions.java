package org.hashdb.client.scan;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.hashdb.client.Query;
import org.hashdb.core.hash.HashType;

/**
 * What a {@link TreeScanner} scans and how.
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
 * @param minPdqQuality PDQ hashes of lower quality (0..100) are not looked up: they come from
 *     nearly featureless pictures and match unrelated ones (Meta's recommended threshold is 50)
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
    boolean countFirst,
    int minPdqQuality) {

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
    if (minPdqQuality < 0 || minPdqQuality > 100) {
      throw new IllegalArgumentException("minPdqQuality must be in 0..100, got " + minPdqQuality);
    }
  }

  /** Meta's recommended lower bound of useful PDQ quality. */
  public static final int DEFAULT_MIN_PDQ_QUALITY = 50;

  /** Defaults: every type, one thread per core, server distance, no excludes, no cache, PDQ quality >= 50. */
  public static ScanOptions of(List<Path> roots) {
    return new ScanOptions(roots, EnumSet.allOf(HashType.class), Runtime.getRuntime().availableProcessors(),
        Query.DEFAULT_DISTANCE, List.of(), false, null, 2000, false,
        DEFAULT_MIN_PDQ_QUALITY);
  }

  public ScanOptions withTypes(Set<HashType> t) {
    return with(m -> m.types = t);
  }

  public ScanOptions withThreads(int n) {
    return with(m -> m.threads = n);
  }

  public ScanOptions withPdqMaxDistance(int d) {
    return with(m -> m.pdqMaxDistance = d);
  }

  public ScanOptions withExcludes(List<String> globs) {
    return with(m -> m.excludes = globs);
  }

  public ScanOptions withFollowSymlinks(boolean follow) {
    return with(m -> m.followSymlinks = follow);
  }

  public ScanOptions withCacheFile(Path file) {
    return with(m -> m.cacheFile = file);
  }

  public ScanOptions withBatchQueries(int n) {
    return with(m -> m.batchQueries = n);
  }

  public ScanOptions withCountFirst(boolean count) {
    return with(m -> m.countFirst = count);
  }

  public ScanOptions withMinPdqQuality(int q) {
    return with(m -> m.minPdqQuality = q);
  }

  /** A copy with one change (validated by the constructor like any other). */
  private ScanOptions with(Consumer<Fields> change) {
    Fields m = new Fields(this);
    change.accept(m);
    return new ScanOptions(m.roots, m.types, m.threads, m.pdqMaxDistance, m.excludes, m.followSymlinks,
        m.cacheFile, m.batchQueries, m.countFirst, m.minPdqQuality);
  }

  /** The components, mutable, for {@link #with}. */
  private static final class Fields {
    List<Path> roots;
    Set<HashType> types;
    int threads;
    int pdqMaxDistance;
    List<String> excludes;
    boolean followSymlinks;
    Path cacheFile;
    int batchQueries;
    boolean countFirst;
    int minPdqQuality;

    Fields(ScanOptions o) {
      roots = o.roots;
      types = o.types;
      threads = o.threads;
      pdqMaxDistance = o.pdqMaxDistance;
      excludes = o.excludes;
      followSymlinks = o.followSymlinks;
      cacheFile = o.cacheFile;
      batchQueries = o.batchQueries;
      countFirst = o.countFirst;
      minPdqQuality = o.minPdqQuality;
    }
  }
}
