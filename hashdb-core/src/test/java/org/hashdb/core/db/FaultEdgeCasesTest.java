package org.hashdb.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.disk.FaultInjectingFileIo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hashdb.testing.TestRandom;

/** The edge cases of issue 12: capacity, checkpoint back-off, durable exports. */
class FaultEdgeCasesTest {
  private static final DatabaseOptions NO_FSYNC = DatabaseOptions.defaults().withFsync(false);

  static List<NewEntry> entries(HashType type, int n, long seed, String list) {
    Random rnd = TestRandom.random(seed);
    List<NewEntry> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] v = new byte[type.byteLength()];
      rnd.nextBytes(v);
      out.add(new NewEntry(type, v, list, "c", "s"));
    }
    return out;
  }

  static boolean isSnapshotFile(Path p) {
    return p.getFileName().toString().startsWith("snapshot-");
  }

  // ------------------------------------------------------------ capacity

  @Test
  void capacity_checkedBeforeLogging_databaseUnchangedAndLogReplays(@TempDir Path dir)
      throws IOException {
    List<NewEntry> first = entries(HashType.MD5, 3, 1, "a");
    List<NewEntry> tooMany = entries(HashType.MD5, 3, 2, "a");
    List<NewEntry> fits = entries(HashType.MD5, 2, 3, "b");
    long seq;
    try (HashDatabase db = HashDatabase.open(dir, NO_FSYNC)) {
      db.limitEntriesPerType(5);
      db.add(first);
      long before = db.sequence();
      long logBytes = db.stats().logBytes();
      assertThatThrownBy(() -> db.add(tooMany))
          .isInstanceOf(CapacityExceededException.class)
          .hasMessageContaining("md5 holds 3 entries, the most is 5")
          .hasMessageContaining("nothing was added");
      assertThat(db.sequence()).isEqualTo(before);
      assertThat(db.stats().logBytes()).as("nothing logged").isEqualTo(logBytes);
      assertThat(db.stats().types().get(HashType.MD5).live()).isEqualTo(3);
      for (NewEntry e : tooMany) {
        assertThat(db.lookup(HashType.MD5, e.value(), ListFilter.all())).isEmpty();
      }
      // still writable; columns aligned: the next entries get the right metadata
      db.add(fits);
      db.add(entries(HashType.SHA1, 4, 4, "a")); // each type counts on its own
      for (NewEntry e : fits) {
        assertThat(db.lookup(HashType.MD5, e.value(), ListFilter.all()))
            .singleElement().satisfies(m -> assertThat(m.list()).isEqualTo("b"));
      }
      assertThatThrownBy(() -> db.add(entries(HashType.MD5, 1, 5, "a")))
          .isInstanceOf(CapacityExceededException.class);
      seq = db.sequence();
    }
    try (HashDatabase db = HashDatabase.open(dir, NO_FSYNC)) {
      assertThat(db.sequence()).isEqualTo(seq);
      assertThat(db.stats().types().get(HashType.MD5).live()).isEqualTo(5);
      for (NewEntry e : fits) {
        assertThat(db.lookup(HashType.MD5, e.value(), ListFilter.all()))
            .singleElement().satisfies(m -> assertThat(m.list()).isEqualTo("b"));
      }
    }
  }

  @Test
  void capacity_alreadyPresentEntriesDoNotCount() throws IOException {
    try (HashDatabase db = HashDatabase.inMemory()) {
      db.limitEntriesPerType(2);
      List<NewEntry> two = entries(HashType.SHA256, 2, 7, "a");
      db.add(two);
      assertThat(db.add(two).alreadyPresent()).isEqualTo(2); // not new: no capacity needed
    }
  }

  // ------------------------------------------------------------ checkpoint back-off

  @Test
  void failedCheckpoint_retriedWithExponentialBackOff_notPerWrite(@TempDir Path dir)
      throws Exception {
    FaultInjectingFileIo io = new FaultInjectingFileIo().onlyFiles(FaultEdgeCasesTest::isSnapshotFile);
    AtomicLong now = new AtomicLong(1_000_000_000L);
    try (HashDatabase db = HashDatabase.open(dir, NO_FSYNC.withSnapshotLogBytes(1).withFileIo(io))) {
      Storage st = db.storage();
      st.clock = now::get;
      io.diskFullAfter(0);
      for (int i = 0; i < 20; i++) {
        db.add(entries(HashType.MD5, 1, 100 + i, "a"));
        awaitIdle(st);
      }
      assertThat(st.checkpointAttempts()).as("one attempt, then back-off").isEqualTo(1);
      assertThat(db.checkpointFailures()).isEqualTo(1);
      // first retry after 1 s
      now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1100));
      write(db, st, 200);
      assertThat(st.checkpointAttempts()).isEqualTo(2);
      assertThat(db.checkpointFailures()).isEqualTo(2);
      // then 2 s: not yet after 1.1 s, then after 2.2 s
      now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1100));
      write(db, st, 201);
      assertThat(st.checkpointAttempts()).isEqualTo(2);
      now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1100));
      write(db, st, 202);
      assertThat(st.checkpointAttempts()).isEqualTo(3);
      assertThat(Files.list(dir).filter(FaultEdgeCasesTest::isSnapshotFile).count())
          .as("failed snapshots leave no files").isZero();
      // space is back: the next retry succeeds and the back-off ends
      io.freeSpace();
      now.addAndGet(TimeUnit.SECONDS.toNanos(5));
      write(db, st, 203);
      assertThat(st.checkpointAttempts()).isEqualTo(4);
      assertThat(db.checkpointFailures()).isEqualTo(3);
      assertThat(db.stats().lastSnapshot()).isNotNull();
      write(db, st, 204);
      assertThat(st.checkpointAttempts()).as("no back-off after a success").isEqualTo(5);
    }
  }

  @Test
  void failedCheckpoint_backOffIsCapped() {
    assertThat(Storage.MAX_RETRY_NANOS).isEqualTo(TimeUnit.MINUTES.toNanos(5));
    assertThat(Storage.FIRST_RETRY_NANOS).isEqualTo(TimeUnit.SECONDS.toNanos(1));
  }

  private static void write(HashDatabase db, Storage st, long seed) throws Exception {
    db.add(entries(HashType.MD5, 1, seed, "a"));
    awaitIdle(st);
  }

  private static void awaitIdle(Storage st) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (st.checkpointPending()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("background snapshot did not finish");
      }
      Thread.sleep(2);
    }
  }

  // ------------------------------------------------------------ durable exports

  @Test
  void export_ofAChangeWhoseFsyncFailed_isRefused(@TempDir Path dir, @TempDir Path out)
      throws IOException {
    FaultInjectingFileIo io = new FaultInjectingFileIo();
    List<NewEntry> acked = entries(HashType.SHA1, 5, 11, "a");
    List<NewEntry> notDurable = entries(HashType.SHA1, 5, 12, "a");
    try (HashDatabase db = HashDatabase.open(dir, DatabaseOptions.defaults().withFileIo(io))) {
      db.add(acked);
      Path good = out.resolve("good.snapshot");
      assertThat(db.exportSnapshot(good)).isEqualTo(db.sequence());
      io.failFsync(true);
      assertThatThrownBy(() -> db.add(notDurable)).isInstanceOf(IOException.class);
      // the change is applied in memory, but not durable: an export must not carry it
      Path bad = out.resolve("bad.snapshot");
      assertThatThrownBy(() -> db.exportSnapshot(bad)).isInstanceOf(IOException.class);
      assertThat(bad).doesNotExist();
      assertThatThrownBy(db::checkpoint).isInstanceOf(IOException.class);
      assertThat(Files.list(dir).filter(FaultEdgeCasesTest::isSnapshotFile).count()).isZero();
    }
  }
}
