package org.hashdb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.ListFilter;
import org.hashdb.core.db.NewEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hashdb.testing.TestRandom;

class EmbeddedHashDbTest {
  private final Random random = TestRandom.random(7);

  private byte[] value(HashType t) {
    byte[] v = new byte[t.byteLength()];
    random.nextBytes(v);
    return v;
  }

  @Test
  void lookup_exactAndPdq_matchLikeTheDatabase() throws Exception {
    byte[] md5 = value(HashType.MD5);
    byte[] pdq = value(HashType.PDQ);
    byte[] near = pdq.clone();
    near[0] ^= 0b111; // distance 3
    try (HashDatabase db = HashDatabase.inMemory(); EmbeddedHashDb lookup = EmbeddedHashDb.wrap(db, ListFilter.all())) {
      db.add(List.of(new NewEntry(HashType.MD5, md5, "test", "A1", "unit"),
          new NewEntry(HashType.PDQ, pdq, "other", "B", "unit")));
      LookupResult r = lookup.lookup(HashType.MD5, md5);
      assertThat(r.match()).isTrue();
      assertThat(r.matches()).singleElement().satisfies(m -> {
        assertThat(m.list()).isEqualTo("test");
        assertThat(m.category()).isEqualTo("A1");
        assertThat(m.distance()).isZero();
      });
      assertThat(lookup.lookup(Query.pdq(near, 2)).match()).isFalse();
      assertThat(lookup.lookup(Query.pdq(near, 3)).matches()).extracting(Match::distance).containsExactly(3);
      assertThat(lookup.lookup(Query.of(HashType.PDQ, near)).match()).isTrue(); // default distance 31
      assertThat(lookup.lookupAsync(Query.of(HashType.MD5, value(HashType.MD5))).join().match()).isFalse();
    }
  }

  @Test
  void open_dataDirectory_seesPersistedEntriesAndReleasesTheLock(@TempDir Path dir) throws Exception {
    byte[] v = value(HashType.SHA256);
    try (HashDatabase db = HashDatabase.open(dir)) {
      db.add(List.of(new NewEntry(HashType.SHA256, v, "test", "C", "unit")));
    }
    try (EmbeddedHashDb lookup = EmbeddedHashDb.open(dir)) {
      assertThat(lookup.lookup(HashType.SHA256, v).matches()).extracting(Match::category).containsExactly("C");
    }
    try (EmbeddedHashDb again = EmbeddedHashDb.open(dir, ListFilter.of(Set.of("other")))) { // closed: lock released
      assertThat(again.lookup(HashType.SHA256, v).match()).isFalse();
    }
  }

  @Test
  void open_mistypedOrEmptyDirectory_isIllegalArgumentAndCreatesNothing(@TempDir Path tmp) throws Exception {
    Path typo = tmp.resolve("typo");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> EmbeddedHashDb.open(typo))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no HashDB database in " + typo);
    assertThat(typo).doesNotExist();
    Path empty = java.nio.file.Files.createDirectory(tmp.resolve("empty"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> EmbeddedHashDb.open(empty, ListFilter.all()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds no snapshot");
  }

  @Test
  void lookup_listFilter_hidesOtherLists() throws Exception {
    byte[] v = value(HashType.SHA1);
    try (HashDatabase db = HashDatabase.inMemory()) {
      db.add(List.of(new NewEntry(HashType.SHA1, v, "hidden", "", "")));
      try (EmbeddedHashDb visible = EmbeddedHashDb.wrap(db, ListFilter.of(Set.of("test")));
          EmbeddedHashDb all = EmbeddedHashDb.wrap(db, ListFilter.all())) {
        assertThat(visible.lookup(HashType.SHA1, v).match()).isFalse();
        assertThat(all.lookup(HashType.SHA1, v).match()).isTrue();
      }
    }
  }

  @Test
  void contains_randomValues_matchesLookupOracle() throws Exception {
    try (HashDatabase db = HashDatabase.inMemory(); EmbeddedHashDb lookup = EmbeddedHashDb.wrap(db, ListFilter.all())) {
      List<NewEntry> entries = new ArrayList<>();
      List<byte[]> values = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        byte[] v = value(HashType.SHA256);
        values.add(v);
        if (random.nextInt(4) == 0) {
          entries.add(new NewEntry(HashType.SHA256, v, "test", "", ""));
        }
      }
      db.add(entries);
      BitSet bits = lookup.contains(HashType.SHA256, values);
      List<LookupResult> results = lookup.lookupAll(values.stream().map(v -> Query.of(HashType.SHA256, v)).toList());
      for (int i = 0; i < values.size(); i++) {
        assertThat(bits.get(i)).as("value %d", i).isEqualTo(results.get(i).match());
      }
      assertThat(bits.cardinality()).isEqualTo(entries.size());
      assertThatThrownBy(() -> lookup.contains(HashType.PDQ, List.of())).hasMessageContaining("type");
    }
  }
}
