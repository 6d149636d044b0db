package org.hashdb.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;
import org.junit.jupiter.api.Test;
import org.hashdb.testing.TestRandom;

class HashDatabaseTest {
  private static final String[] LISTS = {"eokm-nl", "ncmec", "test"};

  @Test
  void add_thenLookup_findsEntryWithMetadata() throws IOException {
    try (HashDatabase db = HashDatabase.inMemory()) {
      byte[] v = Hex.decode(HashType.MD5, "d41d8cd98f00b204e9800998ecf8427e");
      AddResult r = db.add(List.of(new NewEntry(HashType.MD5, v, "eokm-nl", "A1", "police")));
      assertThat(r).isEqualTo(new AddResult(1, 0, 1));
      List<Hit> m = db.lookup(HashType.MD5, v, ListFilter.all());
      assertThat(m).hasSize(1);
      assertThat(m.get(0).list()).isEqualTo("eokm-nl");
      assertThat(m.get(0).category()).isEqualTo("A1");
      assertThat(m.get(0).source()).isEqualTo("police");
      assertThat(m.get(0).distance()).isZero();
      assertThat(db.entry(m.get(0).entryId())).isEqualTo(m.get(0));
      assertThat(EntryIds.parse(m.get(0).entry())).isEqualTo(m.get(0).entryId());
    }
  }

  @Test
  void add_sameValueTwiceOnList_countsAlreadyPresent() throws IOException {
    try (HashDatabase db = HashDatabase.inMemory()) {
      byte[] v = new byte[32];
      NewEntry e = new NewEntry(HashType.SHA256, v, "a", "", "");
      assertThat(db.add(List.of(e, e))).isEqualTo(new AddResult(1, 1, 1));
      assertThat(db.add(List.of(e))).isEqualTo(new AddResult(0, 1, 1));
      assertThat(db.add(List.of(new NewEntry(HashType.SHA256, v, "b", "", ""))).added()).isEqualTo(1);
      assertThat(db.lookup(HashType.SHA256, v, ListFilter.all())).hasSize(2);
      assertThat(db.lookup(HashType.SHA256, v, ListFilter.of(List.of("b")))).hasSize(1);
    }
  }

  @Test
  void add_invalidEntry_rejectsWholeBatch() throws IOException {
    try (HashDatabase db = HashDatabase.inMemory()) {
      List<NewEntry> batch = List.of(
          new NewEntry(HashType.MD5, new byte[16], "ok", "", ""),
          new NewEntry(HashType.MD5, new byte[15], "ok", "", ""));
      assertThatThrownBy(() -> db.add(batch))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("entries[1]: md5 value must be 16 bytes");
      assertThatThrownBy(() -> db.add(List.of(new NewEntry(HashType.MD5, new byte[16], "bad list", "", ""))))
          .hasMessageContaining("invalid list name");
      assertThat(db.sequence()).isZero();
      assertThat(db.lookup(HashType.MD5, new byte[16], ListFilter.all())).isEmpty();
    }
  }

  @Test
  void remove_fromOneListOrAll_hidesOnlyThose() throws IOException {
    try (HashDatabase db = HashDatabase.inMemory()) {
      byte[] v = new byte[20];
      v[0] = 7;
      for (String l : LISTS) {
        db.add(List.of(new NewEntry(HashType.SHA1, v, l, "", "")));
      }
      assertThat(db.remove(HashType.SHA1, v, "ncmec").removed()).isEqualTo(1);
      assertThat(db.remove(HashType.SHA1, v, "ncmec").removed()).isZero();
      assertThat(db.lookup(HashType.SHA1, v, ListFilter.all())).extracting(Hit::list)
          .containsExactlyInAnyOrder("eokm-nl", "test");
      assertThat(db.remove(HashType.SHA1, v, null).removed()).isEqualTo(2);
      assertThat(db.lookup(HashType.SHA1, v, ListFilter.all())).isEmpty();
      assertThat(db.stats().lists()).containsEntry("ncmec", 0L).containsEntry("eokm-nl", 0L);
      // Re-adding after removal creates a new live entry.
      assertThat(db.add(List.of(new NewEntry(HashType.SHA1, v, "ncmec", "", ""))).added()).isEqualTo(1);
      assertThat(db.lookup(HashType.SHA1, v, ListFilter.all())).hasSize(1);
    }
  }

  /** Random adds and removes on all exact types, checked against a map oracle after every step. */
  @Test
  void randomOperations_matchOracle() throws IOException {
    Random rnd = TestRandom.random(20261128);
    try (HashDatabase db = HashDatabase.inMemory()) {
      // oracle: (type, hex) -> set of lists the value is live on
      Map<String, Set<String>> oracle = new HashMap<>();
      List<List<byte[]>> pool = new ArrayList<>();
      for (HashType t : HashType.singleValueTypes()) {
        pool.add(new ArrayList<>());
        for (int i = 0; i < 200; i++) {
          byte[] v = new byte[t.byteLength()];
          rnd.nextBytes(v);
          pool.get(t.ordinal()).add(v);
        }
      }
      for (int step = 0; step < 3000; step++) {
        HashType t = HashType.singleValueTypes()[rnd.nextInt(HashType.singleValueTypes().length)];
        byte[] v = pool.get(t.ordinal()).get(rnd.nextInt(200));
        String list = LISTS[rnd.nextInt(LISTS.length)];
        String key = t + ":" + Hex.encode(v);
        if (rnd.nextInt(3) > 0) {
          boolean isNew = oracle.computeIfAbsent(key, k -> new HashSet<>()).add(list);
          AddResult r = db.add(List.of(new NewEntry(t, v, list, "c", "s")));
          assertThat(r.added()).isEqualTo(isNew ? 1 : 0);
        } else {
          boolean all = rnd.nextBoolean();
          Set<String> on = oracle.getOrDefault(key, new HashSet<>());
          int expected = all ? on.size() : (on.contains(list) ? 1 : 0);
          if (all) {
            on.clear();
          } else {
            on.remove(list);
          }
          assertThat(db.remove(t, v, all ? null : list).removed()).isEqualTo(expected);
        }
        // Check a random value against the oracle with a random filter.
        byte[] q = pool.get(t.ordinal()).get(rnd.nextInt(200));
        Set<String> want = oracle.getOrDefault(t + ":" + Hex.encode(q), Set.of());
        ListFilter f = rnd.nextBoolean() ? ListFilter.all() : ListFilter.of(List.of("ncmec", "test"));
        Set<String> visibleWant = new HashSet<>(want);
        if (!f.isAll()) {
          visibleWant.retainAll(f.names());
        }
        List<Hit> got = db.lookup(t, q, f);
        assertThat(got).extracting(Hit::list).containsExactlyInAnyOrderElementsOf(visibleWant);
        assertThat(db.contains(t, q, 0, f)).isEqualTo(!visibleWant.isEmpty());
      }
      long live = oracle.values().stream().mapToLong(Set::size).sum();
      assertThat(db.stats().liveEntries()).isEqualTo(live);
    }
  }

  @Test
  void containsBatch_setsBitsLeastSignificantFirst() throws IOException {
    try (HashDatabase db = HashDatabase.inMemory()) {
      Random rnd = TestRandom.random(1);
      int n = 3000;
      byte[] values = new byte[n * 32];
      rnd.nextBytes(values);
      List<NewEntry> add = new ArrayList<>();
      for (int i = 0; i < n; i += 3) {
        add.add(new NewEntry(HashType.SHA256, java.util.Arrays.copyOfRange(values, i * 32, i * 32 + 32),
            i % 2 == 0 ? "a" : "b", "", ""));
      }
      db.add(add);
      byte[] bits = new byte[(n + 7) / 8];
      db.containsBatch(HashType.SHA256, values, 0, n, ListFilter.of(List.of("a")), bits);
      for (int i = 0; i < n; i++) {
        boolean set = (bits[i >>> 3] & (1 << (i & 7))) != 0;
        assertThat(set).as("bit %d", i).isEqualTo(i % 3 == 0 && i % 2 == 0);
      }
    }
  }

  @Test
  void search_pdq_returnsNeighboursByDistance() throws IOException {
    try (HashDatabase db = HashDatabase.inMemory()) {
      Random rnd = TestRandom.random(3);
      byte[] base = new byte[32];
      rnd.nextBytes(base);
      List<NewEntry> add = new ArrayList<>();
      for (int d : new int[] {0, 5, 31, 32, 100}) {
        byte[] v = base.clone();
        for (int b = 0; b < d; b++) {
          v[b / 8] ^= (byte) (1 << (b % 8));
        }
        add.add(new NewEntry(HashType.PDQ, v, "pdq-list", "d" + d, ""));
      }
      db.add(add);
      List<Hit> m = db.search(base, 31, ListFilter.all());
      assertThat(m).extracting(Hit::distance).containsExactly(0, 5, 31);
      assertThat(m).extracting(Hit::category).containsExactly("d0", "d5", "d31");
      assertThat(db.lookup(HashType.PDQ, base, ListFilter.all())).hasSize(1);
      assertThat(db.search(base, 31, ListFilter.of(List.of("other")))).isEmpty();
    }
  }
}
