package org.hashdb.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.hashdb.core.disk.WalRecord;
import org.hashdb.core.hash.HashType;
import org.hashdb.testing.TestRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replication primitives: the running state digest (equal on a primary and a replica that
 * applied its records, defined by the order of changes, carried across restarts and snapshots),
 * {@link HashDatabase#applyReplicated} (same sequence numbers, same entries, gaps refused) and
 * {@link HashDatabase#digestAt} for sequences no longer held exactly.
 */
class ReplicationTest {
  @TempDir Path tmp;
  private static final DatabaseOptions NO_FSYNC = DatabaseOptions.defaults().withFsync(false);

  private static byte[] value(Random r, HashType t) {
    byte[] v = new byte[t.byteLength()];
    r.nextBytes(v);
    return v;
  }

  /** Random adds (some batches, some repeats) and removes on the primary. */
  private static List<byte[]> write(HashDatabase db, Random r, int changes) throws Exception {
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < changes; i++) {
      if (!values.isEmpty() && r.nextInt(5) == 0) {
        byte[] v = values.remove(r.nextInt(values.size()));
        db.remove(HashType.SHA256, v, r.nextBoolean() ? null : "a");
      } else {
        List<NewEntry> batch = new ArrayList<>();
        for (int k = 1 + r.nextInt(3); k > 0; k--) {
          byte[] v = value(r, HashType.SHA256);
          values.add(v);
          batch.add(new NewEntry(HashType.SHA256, v, r.nextBoolean() ? "a" : "b", "A1", "s" + i));
        }
        db.add(batch);
      }
    }
    return values;
  }

  private static void copy(HashDatabase from, HashDatabase to) throws Exception {
    List<WalRecord> records = new ArrayList<>();
    from.forEachRecord(to.sequence() + 1, Integer.MAX_VALUE, records::add);
    for (WalRecord r : records) {
      to.applyReplicated(r);
      assertThat(to.digest().digest()).isEqualTo(from.digestAt(r.sequence()));
    }
  }

  @Test
  void replicaThatAppliesThePrimarysRecords_hasItsSequenceEntriesAndDigest() throws Exception {
    Random r = TestRandom.random(1);
    try (HashDatabase primary = HashDatabase.open(tmp.resolve("p"), NO_FSYNC);
        HashDatabase replica = HashDatabase.open(tmp.resolve("r"), NO_FSYNC)) {
      List<byte[]> values = write(primary, r, 200);
      copy(primary, replica);
      assertThat(replica.sequence()).isEqualTo(primary.sequence()).isPositive();
      assertThat(replica.digest().hex()).isEqualTo(primary.digest().hex());
      assertThat(replica.stats().lists()).isEqualTo(primary.stats().lists());
      for (byte[] v : values) {
        assertThat(replica.lookup(HashType.SHA256, v, ListFilter.all()))
            .hasSameSizeAs(primary.lookup(HashType.SHA256, v, ListFilter.all())).isNotEmpty();
      }
      // a change out of order is refused before anything is logged
      List<WalRecord> more = new ArrayList<>();
      long applied = replica.sequence();
      // a remove on a list the entry is not on logs nothing, so count what was logged
      while (primary.sequence() < applied + 2) {
        write(primary, r, 1);
      }
      primary.forEachRecord(replica.sequence() + 2, 10, more::add);
      assertThatThrownBy(() -> replica.applyReplicated(more.get(0)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not follow");
      assertThat(replica.sequence()).isEqualTo(applied);
    }
  }

  @Test
  void digestDependsOnTheOrderOfChanges() throws Exception {
    byte[] x = new byte[32];
    byte[] y = new byte[32];
    y[0] = 1;
    try (HashDatabase a = HashDatabase.inMemory(); HashDatabase b = HashDatabase.inMemory()) {
      a.add(List.of(new NewEntry(HashType.SHA256, x, "l", "", "")));
      a.add(List.of(new NewEntry(HashType.SHA256, y, "l", "", "")));
      b.add(List.of(new NewEntry(HashType.SHA256, y, "l", "", "")));
      b.add(List.of(new NewEntry(HashType.SHA256, x, "l", "", "")));
      assertThat(a.sequence()).isEqualTo(b.sequence());
      assertThat(a.digest().hex()).isNotEqualTo(b.digest().hex());
      // nothing logged (already present): the digest stays
      String before = a.digest().hex();
      a.add(List.of(new NewEntry(HashType.SHA256, x, "l", "", "")));
      assertThat(a.digest().hex()).isEqualTo(before);
    }
  }

  @Test
  void digestSurvivesRestartsAndSnapshots_andOldDigestsAreRecomputedFromTheLog() throws Exception {
    Random r = TestRandom.random(2);
    Path dir = tmp.resolve("p");
    List<String> seen = new ArrayList<>();
    try (HashDatabase db = HashDatabase.open(dir, NO_FSYNC)) {
      for (int i = 0; i < DigestHistory.RECENT + 300; i++) {
        write(db, r, 1);
        seen.add(db.digest().hex());
      }
      // older than the exact ring: recomputed from a sparse digest and the log
      assertThat(org.hashdb.core.hash.Hex.encode(db.digestAt(5))).isEqualTo(seen.get(4));
      assertThat(org.hashdb.core.hash.Hex.encode(db.digestAt(777))).isEqualTo(seen.get(776));
    }
    String atClose;
    try (HashDatabase db = HashDatabase.open(dir, NO_FSYNC)) { // replayed from the log
      atClose = db.digest().hex();
      assertThat(atClose).isEqualTo(seen.get(seen.size() - 1));
      db.checkpoint();
      write(db, r, 10);
      atClose = db.digest().hex();
    }
    try (HashDatabase db = HashDatabase.open(dir, NO_FSYNC)) { // snapshot + log
      assertThat(db.digest().hex()).isEqualTo(atClose);
      // before the loaded snapshot, nothing is known
      assertThat(db.digestAt(3)).isNull();
      Path exported = tmp.resolve("export.hdb");
      StateDigest.At at = db.exportSnapshotWithDigest(exported);
      assertThat(at.hex()).isEqualTo(atClose);
    }
  }
}
