package org.hashdb.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.disk.CorruptDataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hashdb.testing.TestRandom;

class PersistenceTest {
  private static final DatabaseOptions NO_FSYNC = DatabaseOptions.defaults().withFsync(false);

  /** Adds n random entries of every type on two lists, removes every 7th; returns them. */
  private static List<NewEntry> populate(HashDatabase db, int n, long seed) throws IOException {
    Random rnd = TestRandom.random(seed);
    List<NewEntry> all = new ArrayList<>();
    for (HashType t : HashType.singleValueTypes()) {
      List<NewEntry> batch = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        byte[] v = new byte[t.byteLength()];
        rnd.nextBytes(v);
        batch.add(new NewEntry(t, v, i % 2 == 0 ? "even" : "odd", "cat" + (i % 4), "src" + (i % 3)));
      }
      db.add(batch);
      all.addAll(batch);
    }
    for (int i = 0; i < all.size(); i += 7) {
      db.remove(all.get(i).type(), all.get(i).value(), null);
    }
    return all;
  }

  private static void assertContent(HashDatabase db, List<NewEntry> all) {
    for (int i = 0; i < all.size(); i++) {
      NewEntry e = all.get(i);
      List<Hit> m = db.lookup(e.type(), e.value(), ListFilter.all());
      if (i % 7 == 0) {
        assertThat(m).as("removed entry %d", i).isEmpty();
      } else {
        assertThat(m).as("entry %d", i).singleElement().satisfies(x -> {
          assertThat(x.list()).isEqualTo(e.list());
          assertThat(x.category()).isEqualTo(e.category());
          assertThat(x.source()).isEqualTo(e.source());
        });
      }
    }
  }

  @Test
  void reopen_afterLogOnly_restoresEverything(@TempDir Path dir) throws IOException {
    List<NewEntry> all;
    long seq;
    try (HashDatabase db = HashDatabase.open(dir, NO_FSYNC)) {
      all = populate(db, 500, 1);
      seq = db.sequence();
    }
    try (HashDatabase db = HashDatabase.open(dir, NO_FSYNC)) {
      assertThat(db.sequence()).isEqualTo(seq);
      assertContent(db, all);
      assertThat(db.stats().lists()).containsOnlyKeys("even", "odd");
    }
  }

  @Test
  void reopen_afterCheckpointAndMoreWrites_restoresEverythingWithSameIds(@TempDir Path dir) throws IOException {
    List<NewEntry> all = new ArrayList<>();
    List<Hit> before;
    try (HashDatabase db = HashDatabase.open(dir, NO_FSYNC)) {
      all.addAll(populate(db, 300, 2));
      db.checkpoint();
      List<NewEntry> more = populate(db, 300, 3);
      all.addAll(more);
      before = db.lookup(more.get(1).type(), more.get(1).value(), ListFilter.all());
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("snapshot-"));
    }
    try (HashDatabase db = HashDatabase.open(dir, NO_FSYNC)) {
      for (int i = 0; i < all.size(); i++) {
        boolean removed = i < all.size() / 2 ? i % 7 == 0 : (i - all.size() / 2) % 7 == 0;
        NewEntry e = all.get(i);
        assertThat(db.lookup(e.type(), e.value(), ListFilter.all())).as("entry %d", i).hasSize(removed ? 0 : 1);
      }
      NewEntry probe = all.get(all.size() / 2 + 1);
      assertThat(db.lookup(probe.type(), probe.value(), ListFilter.all())).isEqualTo(before);
    }
  }

  @Test
  void pdqSearch_afterReopen_sameResults(@TempDir Path dir) throws IOException {
    byte[] q = new byte[32];
    List<Hit> before;
    try (HashDatabase db = HashDatabase.open(dir, NO_FSYNC)) {
      populate(db, 2000, 4);
      db.checkpoint();
      TestRandom.random(5).nextBytes(q);
      before = db.search(q, 128, ListFilter.all());
      assertThat(before).isNotEmpty();
    }
    try (HashDatabase db = HashDatabase.open(dir, NO_FSYNC)) {
      assertThat(db.search(q, 128, ListFilter.all())).isEqualTo(before);
    }
  }

  @Test
  void open_twice_secondFailsWithClearMessage(@TempDir Path dir) throws IOException {
    try (HashDatabase db = HashDatabase.open(dir, NO_FSYNC)) {
      assertThatThrownBy(() -> HashDatabase.open(dir, NO_FSYNC))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("in use");
    }
  }

  @Test
  void open_logCutAtARecordBoundary_stopsNamingTheFileAndOffset(@TempDir Path dir)
      throws IOException {
    DatabaseOptions fsync = DatabaseOptions.defaults().withFsync(true);
    long[] sizes = new long[4];
    Path wal = null;
    try (HashDatabase db = HashDatabase.open(dir, fsync)) {
      for (int i = 0; i < sizes.length; i++) {
        db.add(List.of(CrashRecoveryTest.entry(i))); // acknowledged: one fsynced record each
        try (Stream<Path> files = Files.list(dir)) {
          wal = files.filter(p -> p.getFileName().toString().startsWith("wal-")).findFirst()
              .orElseThrow();
        }
        sizes[i] = Files.size(wal);
      }
    }
    try (FileChannel ch = FileChannel.open(wal, StandardOpenOption.WRITE)) {
      ch.truncate(sizes[1]); // entries 2 and 3 gone, the log ends cleanly after entry 1
    }
    String name = wal.getFileName().toString();
    assertThatThrownBy(() -> HashDatabase.open(dir, fsync))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(name + " at byte " + sizes[1])
        .hasMessageContaining("acknowledged records are missing");
  }

  @Test
  void open_damagedOnlySnapshot_stopsNamingTheFile(@TempDir Path dir) throws IOException {
    try (HashDatabase db = HashDatabase.open(dir, NO_FSYNC)) {
      populate(db, 200, 6);
      db.checkpoint();
    }
    Path snap;
    try (Stream<Path> files = Files.list(dir)) {
      snap = files.filter(p -> p.getFileName().toString().startsWith("snapshot-")).findFirst().orElseThrow();
    }
    flipByte(snap, Files.size(snap) / 2);
    assertThatThrownBy(() -> HashDatabase.open(dir, NO_FSYNC))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(snap.getFileName().toString());
  }

  @Test
  void exportSnapshot_isLoadableAsADataDirectory(@TempDir Path dir, @TempDir Path other) throws IOException {
    List<NewEntry> all;
    long seq;
    try (HashDatabase db = HashDatabase.open(dir, NO_FSYNC)) {
      all = populate(db, 200, 7);
      seq = db.exportSnapshot(other.resolve(String.format("snapshot-%020d.hdb", db.sequence())));
    }
    try (HashDatabase db = HashDatabase.open(other, NO_FSYNC)) {
      assertThat(db.sequence()).isEqualTo(seq);
      assertContent(db, all);
    }
  }

  static void flipByte(Path file, long offset) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
      ch.read(b, offset);
      b.put(0, (byte) (b.get(0) ^ 0x40));
      ch.write(b.rewind(), offset);
    }
  }
}
