package org.hashdb.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hashdb.core.db.FaultEdgeCasesTest.entries;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.disk.DiskFullException;
import org.hashdb.core.disk.FaultInjectingFileIo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Disk full and fsync failures injected through the {@link org.hashdb.core.disk.FileIo} seam. */
class DiskFaultTest {
  private static void assertAll(HashDatabase db, List<NewEntry> acked) {
    for (NewEntry e : acked) {
      assertThat(db.lookup(e.type(), e.value(), ListFilter.all())).as("acknowledged entry").hasSize(1);
    }
  }

  @Test
  void diskFull_refusesWritesKeepsLookups_resumesWhenSpaceIsBack(@TempDir Path dir)
      throws IOException {
    FaultInjectingFileIo io = new FaultInjectingFileIo();
    List<NewEntry> acked = new ArrayList<>();
    List<NewEntry> refused = entries(HashType.SHA256, 50, 2, "a");
    try (HashDatabase db = HashDatabase.open(dir, DatabaseOptions.defaults().withFileIo(io))) {
      List<NewEntry> first = entries(HashType.SHA256, 50, 1, "a");
      db.add(first);
      acked.addAll(first);
      long seq = db.sequence();
      // part of the next record reaches the file, then the disk is full
      io.diskFullAfter(100);
      assertThatThrownBy(() -> db.add(refused))
          .isInstanceOf(DiskFullException.class)
          .hasMessageContaining("disk full");
      assertThatThrownBy(() -> db.remove(HashType.SHA256, first.get(0).value(), null))
          .isInstanceOf(DiskFullException.class);
      assertThat(db.sequence()).isEqualTo(seq);
      assertAll(db, acked); // lookups go on
      for (NewEntry e : refused) {
        assertThat(db.lookup(e.type(), e.value(), ListFilter.all())).isEmpty();
      }
      // space is back: no restart needed
      io.freeSpace();
      db.add(refused);
      acked.addAll(refused);
      assertThat(db.sequence()).isEqualTo(seq + 1);
      assertAll(db, acked);
    }
    // the log replays: the cut-off partial record left nothing behind
    try (HashDatabase db = HashDatabase.open(dir)) {
      assertAll(db, acked);
      assertThat(db.stats().liveEntries()).isEqualTo(acked.size());
    }
  }

  @Test
  void diskFull_whenTheLogRollsToANewSegment_isRecoverableToo(@TempDir Path dir)
      throws IOException {
    FaultInjectingFileIo io = new FaultInjectingFileIo();
    DatabaseOptions opts = new DatabaseOptions(true, 1L << 40, 4096).withFileIo(io);
    List<NewEntry> acked = new ArrayList<>();
    try (HashDatabase db = HashDatabase.open(dir, opts)) {
      int refusals = 0;
      for (int i = 0; i < 60; i++) {
        List<NewEntry> batch = entries(HashType.MD5, 5, 100 + i, "a");
        if (i % 3 == 1) {
          io.diskFullAfter(i % 2 == 0 ? 0 : 10); // hits appends and segment headers alike
        }
        try {
          db.add(batch);
          acked.addAll(batch);
        } catch (DiskFullException e) {
          refusals++;
        }
        io.freeSpace();
      }
      assertThat(refusals).isGreaterThan(10);
      assertAll(db, acked);
    }
    try (HashDatabase db = HashDatabase.open(dir)) {
      assertAll(db, acked);
      assertThat(db.stats().liveEntries()).isEqualTo(acked.size());
    }
  }

  @Test
  void fsyncFailure_stopsWritesUntilRestart_acknowledgedWritesSurvive(@TempDir Path dir)
      throws IOException {
    FaultInjectingFileIo io = new FaultInjectingFileIo();
    List<NewEntry> acked = entries(HashType.SHA1, 20, 3, "a");
    try (HashDatabase db = HashDatabase.open(dir, DatabaseOptions.defaults().withFileIo(io))) {
      db.add(acked);
      io.failFsync(true);
      assertThatThrownBy(() -> db.add(entries(HashType.SHA1, 1, 4, "a")))
          .isInstanceOf(IOException.class)
          .isNotInstanceOf(DiskFullException.class);
      io.failFsync(false);
      // after a failed fsync the kernel may have dropped the pages: no retry until restart
      assertThatThrownBy(() -> db.add(entries(HashType.SHA1, 1, 5, "a")))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("refuses writes");
      assertAll(db, acked);
    }
    try (HashDatabase db = HashDatabase.open(dir)) {
      assertAll(db, acked);
      db.add(entries(HashType.SHA1, 1, 6, "a")); // writable again after the restart
    }
  }

  @Test
  void diskFull_duringSnapshot_leavesLogIntactAndNoTempFiles(@TempDir Path dir) throws IOException {
    FaultInjectingFileIo io = new FaultInjectingFileIo().onlyFiles(FaultEdgeCasesTest::isSnapshotFile);
    List<NewEntry> acked = entries(HashType.MD5, 200, 9, "a");
    try (HashDatabase db = HashDatabase.open(dir, DatabaseOptions.defaults().withFileIo(io))) {
      db.add(acked);
      io.diskFullAfter(1000);
      assertThatThrownBy(db::checkpoint).isInstanceOf(IOException.class);
      assertThat(db.checkpointFailures()).isEqualTo(1);
      try (var files = java.nio.file.Files.list(dir)) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .noneMatch(n -> n.startsWith("snapshot-"));
      }
      db.add(entries(HashType.MD5, 1, 10, "a")); // writes go on
      io.freeSpace();
      db.checkpoint();
    }
    try (HashDatabase db = HashDatabase.open(dir)) {
      assertAll(db, acked);
    }
  }
}
