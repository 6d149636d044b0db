package org.hashdb.core.disk;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a data directory holds, checked before anything is created in it: commands that only read
 * a database must refuse a mistyped path rather than open an empty database there, which would
 * answer "no match" to everything.
 */
public final class DataDirectories {
  private DataDirectories() {}

  /** True when {@code dir} is a directory holding a snapshot or a write-ahead log segment. */
  public static boolean hasDatabase(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if ((SnapshotFormat.parseFileName(name) >= 0 || WalFormat.parseSegmentFileName(name) >= 0)
            && Files.isRegularFile(p)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Refuses a directory that is missing or holds no database, naming the likely mistake.
   *
   * @throws IllegalArgumentException the directory is missing, not a directory, or holds no
   *     snapshot and no write-ahead log (the message says how to create a database)
   */
  public static void requireDatabase(Path dir) throws IOException {
    String why;
    if (!Files.exists(dir)) {
      why = "it does not exist";
    } else if (!Files.isDirectory(dir)) {
      why = "it is not a directory";
    } else if (hasDatabase(dir)) {
      return;
    } else {
      List<Path> misnamed = misnamedSnapshots(dir);
      why = misnamed.isEmpty() ? "it holds no snapshot and no write-ahead log"
          : "it holds no correctly named snapshot; " + describeMisnamed(misnamed);
    }
    throw new IllegalArgumentException("no HashDB database in " + dir + ": " + why
        + " (create one with `hashdb import`, `hashdb restore` or `hashdb serve --init`)");
  }

  /**
   * Files that look like snapshots but whose names do not have the form the loader reads
   * ({@code snapshot-<20-digit sequence>.hdb}): a renamed backup or a download saved under
   * another name. They are never loaded, so they must be reported, never ignored silently.
   */
  public static List<Path> misnamedSnapshots(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        boolean looksLikeSnapshot = lower.endsWith(".hdb") || lower.endsWith(".snapshot")
            || (lower.startsWith(SnapshotFormat.PREFIX) && !lower.endsWith(SnapshotFormat.TEMP_SUFFIX));
        if (looksLikeSnapshot && SnapshotFormat.parseFileName(name) < 0 && Files.isRegularFile(p)) {
          out.add(p);
        }
      }
    }
    out.sort(null);
    return out;
  }

  /** One sentence naming the misnamed files and the name each should have, when it can be read. */
  public static String describeMisnamed(List<Path> misnamed) {
    StringBuilder b = new StringBuilder();
    for (Path p : misnamed) {
      b.append(b.length() == 0 ? "" : "; ").append(p.getFileName()).append(" is not loaded: ");
      String expected = expectedName(p);
      b.append(expected == null
          ? "snapshot files must be named snapshot-<20-digit sequence>.hdb"
          : "rename it to " + expected);
    }
    return b.toString();
  }

  /** The name a snapshot file must have to load, read from its header; null if it is no snapshot. */
  public static String expectedName(Path file) {
    try (SnapshotReader r = SnapshotReader.open(file)) {
      return SnapshotFormat.fileName(r.sequence());
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
