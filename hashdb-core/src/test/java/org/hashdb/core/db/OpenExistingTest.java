package org.hashdb.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.disk.DataDirectories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A read-only open never creates a database; misnamed snapshots are reported, never ignored. */
class OpenExistingTest {
  private static final DatabaseOptions NO_FSYNC = DatabaseOptions.defaults().withFsync(false);
  private static final byte[] MD5 = new byte[16];

  static {
    MD5[0] = 7;
  }

  /**
   * A data directory written before the log's acked end (log format 1): made by commit bcb1941
   * with fsync on, five single adds of SHA-256 (value = 32 bytes of i, category "cat" + (i-1)).
   */
  @Test
  void dataDirectoryOfLogFormat1_opensKeepsItsEntriesAndTakesWrites(@TempDir Path dir)
      throws IOException {
    Path wal = dir.resolve("wal-00000000000000000001.log");
    try (InputStream in = OpenExistingTest.class.getResourceAsStream("wal-format1-segment.bin")) {
      Files.copy(in, wal);
    }
    try (HashDatabase db = HashDatabase.open(dir)) {
      for (int i = 1; i <= 5; i++) {
        assertThat(db.lookup(HashType.SHA256, filled(i), ListFilter.all())).singleElement()
            .satisfies(m -> assertThat(m.category()).startsWith("cat"));
      }
      db.add(List.of(new NewEntry(HashType.SHA256, filled(6), "v2-list", "cat", "src")));
    }
    try (HashDatabase db = HashDatabase.open(dir)) {
      for (int i = 1; i <= 6; i++) {
        assertThat(db.lookup(HashType.SHA256, filled(i), ListFilter.all())).hasSize(1);
      }
    }
  }

  private static byte[] filled(int b) {
    byte[] v = new byte[32];
    Arrays.fill(v, (byte) b);
    return v;
  }

  @Test
  void openExisting_missingDirectory_refusedAndNotCreated(@TempDir Path tmp) {
    Path typo = tmp.resolve("typo");
    assertThatThrownBy(() -> HashDatabase.openExisting(typo))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no HashDB database in " + typo)
        .hasMessageContaining("does not exist");
    assertThat(typo).doesNotExist();
  }

  @Test
  void openExisting_emptyDirectory_refusedAndLeftEmpty(@TempDir Path tmp) throws IOException {
    Path empty = Files.createDirectory(tmp.resolve("empty"));
    assertThatThrownBy(() -> HashDatabase.openExisting(empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holds no snapshot and no write-ahead log");
    try (var files = Files.list(empty)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void openExisting_createdDatabase_opens(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("d");
    try (HashDatabase db = HashDatabase.open(dir, NO_FSYNC)) {
      db.add(List.of(new NewEntry(HashType.MD5, MD5, "l", "c", "s")));
    }
    assertThat(DataDirectories.hasDatabase(dir)).isTrue();
    try (HashDatabase db = HashDatabase.openExisting(dir, NO_FSYNC)) {
      assertThat(db.lookup(HashType.MD5, MD5, ListFilter.all())).hasSize(1);
    }
  }

  @Test
  void open_onlyMisnamedSnapshot_refusedNamingTheRightName(@TempDir Path tmp) throws IOException {
    Path src = tmp.resolve("src");
    long seq;
    Path backup = tmp.resolve("restored").resolve("snapshot-1.hdb");
    Files.createDirectories(backup.getParent());
    try (HashDatabase db = HashDatabase.open(src, NO_FSYNC)) {
      db.add(List.of(new NewEntry(HashType.MD5, MD5, "l", "c", "s")));
      seq = db.exportSnapshot(backup);
    }
    String expected = String.format("snapshot-%020d.hdb", seq);
    // Both the creating and the read-only open refuse: loading nothing would look like an empty list.
    assertThatThrownBy(() -> HashDatabase.open(backup.getParent(), NO_FSYNC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("snapshot-1.hdb is not loaded")
        .hasMessageContaining("rename it to " + expected);
    assertThatThrownBy(() -> HashDatabase.openExisting(backup.getParent(), NO_FSYNC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rename it to " + expected);
    Files.move(backup, backup.resolveSibling(expected));
    try (HashDatabase db = HashDatabase.openExisting(backup.getParent(), NO_FSYNC)) {
      assertThat(db.lookup(HashType.MD5, MD5, ListFilter.all())).hasSize(1);
    }
  }

  @Test
  void misnamedSnapshots_findsRenamedFilesOnly(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("hashdb-8.snapshot"), "x");
    Files.writeString(dir.resolve("snapshot-8.hdb"), "x");
    Files.writeString(dir.resolve(String.format("snapshot-%020d.hdb", 8)), "x");
    Files.writeString(dir.resolve("keys.json"), "[]");
    Files.writeString(dir.resolve(String.format("snapshot-%020d.hdb.tmp", 9)), "x");
    assertThat(DataDirectories.misnamedSnapshots(dir)).extracting(p -> p.getFileName().toString())
        .containsExactly("hashdb-8.snapshot", "snapshot-8.hdb");
    assertThat(DataDirectories.describeMisnamed(DataDirectories.misnamedSnapshots(dir)))
        .contains("snapshot files must be named snapshot-<20-digit sequence>.hdb"); // not snapshots inside
  }
}
