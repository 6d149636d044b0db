package org.hashdb.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.hashdb.core.hash.HashType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hashdb.testing.TestRandom;

/**
 * The bulk snapshot path against the incremental one: a database written entry by entry (list
 * bitmaps grown by {@code applyAdd}) must come back from its snapshot with the same state.
 */
class SnapshotCodecTest {
  private static final DatabaseOptions NO_FSYNC = DatabaseOptions.defaults().withFsync(false);

  @Test
  void checkpointThenOpen_runsOfListsRemovalsAndDuplicates_restoresTheSameState(@TempDir Path dir)
      throws IOException {
    SplittableRandom rnd = TestRandom.splittable(7);
    List<NewEntry> sha = new ArrayList<>();
    State before;
    List<List<Hit>> lookups = new ArrayList<>();
    try (HashDatabase db = HashDatabase.open(dir, NO_FSYNC)) {
      // SHA-256: more than one column page (2^16) and one bulk batch; lists in runs of 1..40.
      int n = 70_000;
      List<NewEntry> batch = new ArrayList<>();
      String list = "l0";
      for (int i = 0; i < n; i++) {
        if (rnd.nextInt(20) == 0) {
          list = "l" + rnd.nextInt(4);
        }
        byte[] v = new byte[32];
        rnd.nextBytes(v);
        if (i % 1000 == 999) {
          v = sha.get(rnd.nextInt(sha.size())).value().clone(); // a duplicate on another list?
          list = "dup";
        }
        NewEntry e = new NewEntry(HashType.SHA256, v, list, "c" + (i % 5), "s" + (i % 3));
        sha.add(e);
        batch.add(e);
        if (batch.size() == 5000) {
          db.add(batch);
          batch.clear();
        }
      }
      db.add(batch);
      // a few entries of other types, alternating lists (runs of 1)
      for (HashType t : HashType.singleValueTypes()) {
        List<NewEntry> few = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          byte[] v = new byte[t.byteLength()];
          rnd.nextBytes(v);
          few.add(new NewEntry(t, v, "l" + (i % 3), "", ""));
        }
        db.add(few);
      }
      for (int i = 0; i < 300; i++) {
        NewEntry e = sha.get(rnd.nextInt(sha.size()));
        db.remove(e.type(), e.value(), rnd.nextBoolean() ? null : e.list());
      }
      db.checkpoint();
      before = db.state();
      for (int i = 0; i < sha.size(); i += 97) {
        lookups.add(db.lookup(HashType.SHA256, sha.get(i).value(), ListFilter.all()));
      }
    }
    try (HashDatabase db = HashDatabase.open(dir, NO_FSYNC)) {
      State after = db.state();
      assertThat(after.sequence()).isEqualTo(before.sequence());
      assertThat(after.visible()).isEqualTo(before.visible());
      assertThat(after.removed()).isEqualTo(before.removed());
      assertThat(after.lists().names()).isEqualTo(before.lists().names());
      assertThat(after.members()).hasSameSizeAs(before.members());
      for (int l = 0; l < before.members().length; l++) {
        assertThat(after.members()[l]).as("list %d", l).isEqualTo(before.members()[l]);
      }
      for (int i = 0, k = 0; i < sha.size(); i += 97, k++) {
        assertThat(db.lookup(HashType.SHA256, sha.get(i).value(), ListFilter.all()))
            .as("lookup of entry %d", i)
            .isEqualTo(lookups.get(k));
      }
    }
  }
}
