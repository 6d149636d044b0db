package org.hashdb.core.disk;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Finding and pruning snapshot files in a data directory. */
public final class SnapshotFiles {
  private SnapshotFiles() {}

  /** Snapshot files in {@code dir}, newest (highest sequence) first; empty if none or no dir. */
  public static List<Path> list(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, SnapshotFormat.PREFIX + "*")) {
      for (Path p : ds) {
        if (sequenceOf(p) >= 0 && Files.isRegularFile(p)) {
          out.add(p);
        }
      }
    }
    out.sort(Comparator.comparingLong(SnapshotFiles::sequenceOf).reversed());
    return out;
  }

  /** The sequence in a snapshot file's name, or -1 if the name is not a snapshot's. */
  public static long sequenceOf(Path file) {
    Path name = file.getFileName();
    return name == null ? -1 : SnapshotFormat.parseFileName(name.toString());
  }

  /**
   * Deletes the snapshots with a sequence below {@code keepSequence} (retention: pass the
   * sequence of the oldest snapshot to keep) and fsyncs the directory.
   *
   * @return how many files were deleted
   */
  public static int deleteOlderThan(Path dir, long keepSequence) throws IOException {
    int deleted = 0;
    for (Path p : list(dir)) {
      if (sequenceOf(p) < keepSequence && Files.deleteIfExists(p)) {
        deleted++;
      }
    }
    if (deleted > 0) {
      FileSync.fsyncDirectory(dir);
    }
    return deleted;
  }

  /**
   * Retention by count: deletes all but the {@code keep} newest snapshots (the database keeps
   * two, so that a damaged newest one still leaves a fallback).
   *
   * @return how many files were deleted
   */
  public static int deleteAllButNewest(Path dir, int keep) throws IOException {
    if (keep < 1) {
      throw new IllegalArgumentException("keep must be >= 1, got " + keep);
    }
    List<Path> all = list(dir);
    return all.size() <= keep ? 0 : deleteOlderThan(dir, sequenceOf(all.get(keep - 1)));
  }

  /**
   * Deletes the temp files a crash during a snapshot write left behind. Call at start-up only,
   * never while a {@link SnapshotWriter} may be writing into {@code dir}.
   *
   * @return how many files were deleted
   */
  public static int deleteTempFiles(Path dir) throws IOException {
    int deleted = 0;
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (DirectoryStream<Path> ds =
        Files.newDirectoryStream(
            dir, SnapshotFormat.PREFIX + "*" + SnapshotFormat.TEMP_SUFFIX)) {
      for (Path p : ds) {
        if (Files.isRegularFile(p) && Files.deleteIfExists(p)) {
          deleted++;
        }
      }
    }
    if (deleted > 0) {
      FileSync.fsyncDirectory(dir);
    }
    return deleted;
  }
}
