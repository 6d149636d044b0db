package org.hashdb.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.hashdb.core.hash.HashType;
import org.hashdb.testing.TestRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Full and delta list updates: atomic, one sequence number, release numbers kept. */
class ListUpdateTest {
  private static final String SIGNER = "0123456789abcdef";

  @TempDir Path tmp;

  private static byte[] value(Random rnd) {
    byte[] v = new byte[32];
    rnd.nextBytes(v);
    return v;
  }

  private static List<NewEntry> entries(String list, List<byte[]> values) {
    List<NewEntry> out = new ArrayList<>();
    for (byte[] v : values) {
      out.add(new NewEntry(HashType.SHA256, v, list, "A1", "src"));
    }
    return out;
  }

  private static List<byte[]> values(Random rnd, int n) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(value(rnd));
    }
    return out;
  }

  /** Entries handed out in batches of at most 7, like a release file's. */
  private static EntrySource<RuntimeException> source(List<NewEntry> all) {
    Iterator<NewEntry> it = all.iterator();
    return (batch, max) -> {
      for (int i = 0; i < Math.min(max, 7) && it.hasNext(); i++) {
        batch.add(it.next());
      }
      return it.hasNext();
    };
  }

  private static ListUpdateResult full(HashDatabase db, String list, List<NewEntry> content, long release)
      throws Exception {
    return db.update(new ListUpdate(list, true, new ReleaseMark(SIGNER, release, false)), source(content), null);
  }

  private static boolean on(HashDatabase db, byte[] v, String list) {
    return !db.lookup(HashType.SHA256, v, ListFilter.of(List.of(list))).isEmpty();
  }

  @Test
  void full_replacesListUnderOneSequence_otherListsKeepTheirEntries() throws Exception {
    Random rnd = TestRandom.random(1301);
    try (HashDatabase db = HashDatabase.open(tmp)) {
      List<byte[]> old = values(rnd, 30);
      db.add(entries("nl", old));
      db.add(entries("other", old.subList(0, 5))); // the same values on another list
      List<byte[]> next = new ArrayList<>(old.subList(10, 30)); // 10 retracted
      List<byte[]> fresh = values(rnd, 12);
      next.addAll(fresh);
      long before = db.sequence();
      ListUpdateResult r = full(db, "nl", entries("nl", next), 5);
      assertThat(r.sequence()).isEqualTo(before + 1);
      assertThat(db.sequence()).isEqualTo(before + 1);
      assertThat(r.added()).isEqualTo(12);
      assertThat(r.alreadyPresent()).isEqualTo(20);
      assertThat(r.removed()).isEqualTo(10);
      for (byte[] v : old.subList(0, 10)) {
        assertThat(on(db, v, "nl")).isFalse();
      }
      for (byte[] v : next) {
        assertThat(on(db, v, "nl")).isTrue();
      }
      for (byte[] v : old.subList(0, 5)) {
        assertThat(on(db, v, "other")).as("an equal value on another list stays").isTrue();
      }
      assertThat(db.stats().lists()).containsEntry("nl", 32L).containsEntry("other", 5L);
      assertThat(db.lastRelease("nl", SIGNER)).isEqualTo(5);

      // the change feed carries it as one LIST change
      List<Change> feed = db.changes(before + 1, 10);
      assertThat(feed).hasSize(1);
      Change c = feed.get(0);
      assertThat(c.kind()).isEqualTo(Change.Kind.LIST);
      assertThat(c.list()).isEqualTo("nl");
      assertThat(c.full()).isTrue();
      assertThat(c.release()).isEqualTo(new ReleaseMark(SIGNER, 5, false));
      assertThat(c.entries()).hasSize(12);
      assertThat(c.removed()).hasSize(10);
      assertThat(c.removed()).allSatisfy(e -> assertThat(e.list()).isEqualTo("nl"));
    }
  }

  @Test
  void delta_addsAndRemovesAtomically_andRefusesAValueBothAddedAndRemoved() throws Exception {
    Random rnd = TestRandom.random(1302);
    try (HashDatabase db = HashDatabase.inMemory()) {
      List<byte[]> old = values(rnd, 10);
      db.add(entries("nl", old));
      List<byte[]> added = values(rnd, 4);
      List<NewEntry> removals = entries("nl", old.subList(0, 3));
      removals.add(new NewEntry(HashType.SHA256, value(rnd), "nl", "", "")); // not on the list: ignored
      long before = db.sequence();
      ListUpdateResult r = db.update(new ListUpdate("nl", false, new ReleaseMark(SIGNER, 1, false)),
          source(entries("nl", added)), source(removals));
      assertThat(r).isEqualTo(new ListUpdateResult(4, 0, 3, before + 1));
      assertThat(db.stats().lists()).containsEntry("nl", 11L);
      assertThat(on(db, old.get(0), "nl")).isFalse();
      assertThat(on(db, added.get(0), "nl")).isTrue();

      long seq = db.sequence();
      assertThatThrownBy(() -> db.update(new ListUpdate("nl", false, null),
          source(entries("nl", List.of(old.get(5)))), source(entries("nl", List.of(old.get(5))))))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both added and removed");
      byte[] brandNew = value(rnd);
      assertThatThrownBy(() -> db.update(new ListUpdate("nl", false, null),
          source(entries("nl", List.of(brandNew))), source(entries("nl", List.of(brandNew)))))
          .hasMessageContaining("both added and removed");
      assertThat(db.sequence()).isEqualTo(seq);
      assertThat(on(db, brandNew, "nl")).isFalse();
    }
  }

  @Test
  void olderOrEqualRelease_refusedNamingListSignerAndNumbers_unlessRollbackAllowed() throws Exception {
    Random rnd = TestRandom.random(1303);
    try (HashDatabase db = HashDatabase.inMemory()) {
      List<NewEntry> v7 = entries("nl", values(rnd, 5));
      full(db, "nl", v7, 7);
      long seq = db.sequence();
      List<NewEntry> v6 = entries("nl", values(rnd, 3));
      assertThatThrownBy(() -> full(db, "nl", v6, 6))
          .isInstanceOf(ReleaseRollbackException.class)
          .hasMessageContaining("list nl").hasMessageContaining("release 6")
          .hasMessageContaining(SIGNER).hasMessageContaining("older than release 7");
      assertThatThrownBy(() -> full(db, "nl", v6, 7))
          .isInstanceOf(ReleaseRollbackException.class).hasMessageContaining("the same as release 7");
      assertThat(db.sequence()).isEqualTo(seq);
      assertThat(db.stats().lists()).containsEntry("nl", 5L);
      // another signer, or another list, has its own count
      db.update(new ListUpdate("nl", false, new ReleaseMark("fedcba9876543210", 1, false)),
          source(List.of()), null);
      full(db, "other", entries("other", values(rnd, 1)), 1);
      // the explicit override imports it; the highest number stays
      db.update(new ListUpdate("nl", true, new ReleaseMark(SIGNER, 6, true)), source(v6), null);
      assertThat(db.stats().lists()).containsEntry("nl", 3L);
      assertThat(db.lastRelease("nl", SIGNER)).isEqualTo(7);
      assertThat(db.lastRelease("nl", "fedcba9876543210")).isEqualTo(1);
      assertThatThrownBy(() -> full(db, "nl", v6, 7)).isInstanceOf(ReleaseRollbackException.class);
      full(db, "nl", v7, 8);
      assertThat(db.lastRelease("nl", SIGNER)).isEqualTo(8);
    }
  }

  @Test
  void restart_keepsContentAndReleaseNumbers_fromLogAndFromSnapshot() throws Exception {
    Random rnd = TestRandom.random(1304);
    List<byte[]> a = values(rnd, 20);
    List<byte[]> b = values(rnd, 20);
    try (HashDatabase db = HashDatabase.open(tmp)) {
      full(db, "nl", entries("nl", a), 3);
      full(db, "nl", entries("nl", b.subList(0, 10)), 4);
    }
    try (HashDatabase db = HashDatabase.open(tmp)) { // replayed from the log
      assertThat(db.lastRelease("nl", SIGNER)).isEqualTo(4);
      assertThat(db.stats().lists()).containsEntry("nl", 10L);
      assertThat(on(db, a.get(0), "nl")).isFalse();
      assertThat(on(db, b.get(0), "nl")).isTrue();
      assertThatThrownBy(() -> full(db, "nl", entries("nl", a), 4)).isInstanceOf(ReleaseRollbackException.class);
      full(db, "nl", entries("nl", b), 5);
      db.checkpoint();
    }
    try (HashDatabase db = HashDatabase.open(tmp)) { // loaded from the snapshot
      assertThat(db.lastRelease("nl", SIGNER)).isEqualTo(5);
      assertThat(db.stats().lists()).containsEntry("nl", 20L);
      assertThatThrownBy(() -> full(db, "nl", entries("nl", a), 5)).isInstanceOf(ReleaseRollbackException.class);
      // after a snapshot, the next change still replays onto it
      db.update(new ListUpdate("nl", false, new ReleaseMark(SIGNER, 6, false)),
          source(List.of()), source(entries("nl", b.subList(0, 2))));
    }
    try (HashDatabase db = HashDatabase.open(tmp)) {
      assertThat(db.stats().lists()).containsEntry("nl", 18L);
      assertThat(db.lastRelease("nl", SIGNER)).isEqualTo(6);
    }
  }

  /**
   * Readers racing full releases that replace a list's 300 entries by 200 others: the per-list
   * count (one state read) is only ever the old or the new size; a reader that sees a new entry
   * never sees an old one afterwards, and one that no longer sees an old entry sees the new ones.
   */
  @Test
  void concurrentLookups_neverSeeAMix() throws Exception {
    Random rnd = TestRandom.random(1305);
    List<byte[]> a = values(rnd, 300);
    List<byte[]> b = values(rnd, 200);
    try (HashDatabase db = HashDatabase.inMemory()) {
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<String> mix = new AtomicReference<>();
      java.util.concurrent.atomic.AtomicInteger watching = new java.util.concurrent.atomic.AtomicInteger();
      long[] checks = {0};
      Thread reader = new Thread(() -> {
        int i = 0;
        while (!stop.get() && mix.get() == null) {
          int r = watching.get();
          if (r == 0) {
            continue;
          }
          String list = "l" + r;
          byte[] x = a.get(i % a.size());
          byte[] y = b.get(i % b.size());
          i++;
          long count = db.stats().lists().get(list);
          if (count != a.size() && count != b.size()) {
            mix.set(list + " holds " + count + " entries");
          }
          if (on(db, y, list) && on(db, x, list)) {
            mix.set(list + ": an old entry seen after a new one");
          }
          if (!on(db, x, list) && !on(db, y, list)) {
            mix.set(list + ": an old entry gone but a new one not there");
          }
          checks[0]++;
        }
      });
      reader.start();
      try {
        for (int round = 1; round <= 40 && mix.get() == null; round++) {
          String list = "l" + round;
          full(db, list, entries(list, a), 1);
          watching.set(round);
          Thread.sleep(2);
          full(db, list, entries(list, b), 2);
          Thread.sleep(1);
        }
      } finally {
        stop.set(true);
        reader.join();
      }
      assertThat(mix.get()).isNull();
      assertThat(checks[0]).isPositive();
    }
  }
}
