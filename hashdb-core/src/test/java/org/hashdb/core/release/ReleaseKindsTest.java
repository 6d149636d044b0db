package org.hashdb.core.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.ListFilter;
import org.hashdb.core.db.ListUpdateResult;
import org.hashdb.core.db.NewEntry;
import org.hashdb.core.db.ReleaseRollbackException;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.lists.ListReader;
import org.hashdb.core.release.ReleaseVerificationException.Reason;
import org.hashdb.testing.TestRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Full and delta releases, the signed kind and list, trust scopes, and importing them. */
class ReleaseKindsTest {
  private static final Ed25519KeyPair KEY = Ed25519KeyPair.fromSeed(seed(7));
  private static final TrustedKeys TRUST_ALL = TrustedKeys.of(KEY.publicKey());

  @TempDir Path tmp;

  private static byte[] seed(int b) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) b);
    return s;
  }

  private static String csv(List<String> hexes) {
    StringBuilder sb = new StringBuilder();
    for (String h : hexes) {
      sb.append("sha256,").append(h).append(",A1,police\n");
    }
    return sb.toString();
  }

  private static List<String> hexes(Random rnd, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] v = new byte[32];
      rnd.nextBytes(v);
      out.add(Hex.encode(v));
    }
    return out;
  }

  private static ListReader reader(String csv, String list) {
    return ListReader.builder(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), list).build();
  }

  private Path sign(ReleaseKind kind, String list, long number, List<String> entries, List<String> removals)
      throws IOException {
    Path out = tmp.resolve(list + "-" + kind.apiName() + "-" + number + ".hdbrel");
    try (ListReader rows = reader(csv(entries), list);
        ListReader rm = removals == null ? null : reader(csv(removals), list)) {
      ListReleaseWriter.write(kind, rows, rm, list, number, Instant.parse("2026-12-01T00:00:00Z"),
          KEY, out, e -> {
            throw new AssertionError(e.toString());
          });
    }
    return out;
  }

  private static Reason refusal(Path file, TrustedKeys keys) throws IOException {
    try (ListRelease r = ListRelease.verifySpooled(file, keys)) {
      return null;
    } catch (ReleaseVerificationException e) {
      return e.reason();
    }
  }

  private static boolean on(HashDatabase db, String hex, String list) {
    return !db.lookup(HashType.SHA256, Hex.decode(hex), ListFilter.of(List.of(list))).isEmpty();
  }

  @Test
  void delta_carriesEntriesThenRemovals_signedCounts() throws Exception {
    Random rnd = TestRandom.random(131);
    List<String> adds = hexes(rnd, 5);
    List<String> removes = hexes(rnd, 3);
    Path f = sign(ReleaseKind.DELTA, "nl", 4, adds, removes);
    try (ListRelease r = ListRelease.verifySpooled(f, TRUST_ALL)) {
      assertThat(r.header().kind()).isEqualTo(ReleaseKind.DELTA);
      assertThat(r.header().entryCount()).isEqualTo(5);
      assertThat(r.header().removeCount()).isEqualTo(3);
      List<NewEntry> got = new ArrayList<>();
      while (r.next(got, 2)) {
        // all entries
      }
      assertThat(got).extracting(e -> Hex.encode(e.value())).containsExactlyElementsOf(adds);
      List<NewEntry> gone = new ArrayList<>();
      while (r.nextRemoval(gone, 2)) {
        // all removals
      }
      assertThat(gone).extracting(e -> Hex.encode(e.value())).containsExactlyElementsOf(removes);
      assertThat(gone).allSatisfy(e -> assertThat(e.category()).isEmpty());
    }
  }

  @Test
  void kindOrListTampered_refused() throws Exception {
    Random rnd = TestRandom.random(132);
    Path delta = sign(ReleaseKind.DELTA, "nl-a", 2, hexes(rnd, 3), null);
    Path full = sign(ReleaseKind.FULL, "nl-a", 2, hexes(rnd, 3), null);
    assertThat(refusal(delta, TRUST_ALL)).isNull();
    assertThat(refusal(full, TRUST_ALL)).isNull();
    int kindAt = ListReleaseFormat.MAGIC.length + 2;
    // a delta passed off as a full release, and back
    for (Path p : List.of(delta, full)) {
      byte[] b = Files.readAllBytes(p);
      b[kindAt] = (byte) (b[kindAt] == ReleaseKind.FULL.code ? ReleaseKind.DELTA.code : ReleaseKind.FULL.code);
      Path t = tmp.resolve("kind.hdbrel");
      Files.write(t, b);
      assertThat(refusal(t, TRUST_ALL)).isEqualTo(Reason.BAD_SIGNATURE);
    }
    // a release of nl-a re-labelled as nl-b (same length)
    byte[] b = Files.readAllBytes(full);
    int nameAt = ListReleaseFormat.FIXED_BEFORE_NAME;
    assertThat(new String(b, nameAt, 4, StandardCharsets.UTF_8)).isEqualTo("nl-a");
    b[nameAt + 3] = 'b';
    Path t = tmp.resolve("list.hdbrel");
    Files.write(t, b);
    assertThat(refusal(t, TRUST_ALL)).isEqualTo(Reason.BAD_SIGNATURE);
    // a delta's removals re-counted as entries
    Path withRemovals = sign(ReleaseKind.DELTA, "nl-a", 3, hexes(rnd, 2), hexes(rnd, 2));
    byte[] c = Files.readAllBytes(withRemovals);
    int countsAt = ListReleaseFormat.FIXED_BEFORE_NAME + 4 + 8 + 8;
    c[countsAt + 7] = 4; // entries 2 -> 4
    c[countsAt + 15] = 0; // removals 2 -> 0
    Files.write(t, c);
    assertThat(refusal(t, TRUST_ALL)).isEqualTo(Reason.BAD_SIGNATURE);
  }

  @Test
  void trustScope_unscopedKeyAndOtherList_refusedWithHowToScope() throws Exception {
    Random rnd = TestRandom.random(133);
    Path f = sign(ReleaseKind.FULL, "eokm-nl", 1, hexes(rnd, 2), null);
    String line = TrustedKeys.format(KEY.publicKey(), "supplier");
    Path trust = tmp.resolve("trusted.keys");

    Files.writeString(trust, line + "\n");
    TrustedKeys unscoped = TrustedKeys.load(trust);
    assertThat(refusal(f, unscoped)).isEqualTo(Reason.UNSCOPED_KEY);
    assertThatThrownBy(() -> ListRelease.verifySpooled(f, unscoped))
        .hasMessageContaining("names no lists").hasMessageContaining("lists=eokm-nl")
        .hasMessageContaining("trusted.keys line 1");

    Files.writeString(trust, line + " lists=ncmec,other\n");
    TrustedKeys other = TrustedKeys.load(trust);
    assertThat(other.keys().get(0).name()).isEqualTo("supplier");
    assertThat(refusal(f, other)).isEqualTo(Reason.LIST_NOT_ALLOWED);
    assertThatThrownBy(() -> ListRelease.verifySpooled(f, other))
        .hasMessageContaining("'eokm-nl'").hasMessageContaining("ncmec,other");

    Files.writeString(trust, "# scoped\n" + line + " lists=ncmec,eokm-nl\n");
    assertThat(refusal(f, TrustedKeys.load(trust))).isNull();
    Files.writeString(trust, line + " lists=*\n");
    assertThat(refusal(f, TrustedKeys.load(trust))).isNull();
    assertThat(refusal(f, TrustedKeys.forLists(Set.of("ncmec"), KEY.publicKey()))).isEqualTo(Reason.LIST_NOT_ALLOWED);

    Files.writeString(trust, line + " lists=bad!name\n");
    assertThatThrownBy(() -> TrustedKeys.load(trust)).hasMessageContaining("line 1");
  }

  @Test
  void versionOneRelease_stillImportsAsAnAdditiveDelta() throws Exception {
    Random rnd = TestRandom.random(134);
    List<String> h = hexes(rnd, 2);
    byte[] p = csv(h).replace(",A1,police", ",A1,police").getBytes(StandardCharsets.UTF_8);
    ReleaseHeader v1 = new ReleaseHeader("nl", 9, 0, 2, p.length, ListReleaseFormat.sha256().digest(p));
    byte[] header = ListReleaseFormat.encodeHeader(v1);
    Path f = tmp.resolve("v1.hdbrel");
    Files.write(f, concat(header, p, KEY.rawKeyId(), KEY.sign(header)));
    try (ListRelease r = ListRelease.verifySpooled(f, TRUST_ALL); HashDatabase db = HashDatabase.inMemory()) {
      assertThat(r.header().version()).isEqualTo(1);
      assertThat(r.header().kind()).isEqualTo(ReleaseKind.DELTA);
      ListUpdateResult res = r.importInto(db, false);
      assertThat(res.added()).isEqualTo(2);
      assertThat(db.lastRelease("nl", KEY.keyId())).isEqualTo(9);
    }
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  @Test
  void importInto_fullThenDeltas_thenRollbackRefused() throws Exception {
    Random rnd = TestRandom.random(135);
    List<String> first = hexes(rnd, 8);
    try (HashDatabase db = HashDatabase.inMemory()) {
      db.add(List.of(new NewEntry(HashType.SHA256, Hex.decode(first.get(0)), "other", "", "")));
      try (ListRelease r = ListRelease.verifySpooled(sign(ReleaseKind.FULL, "nl", 10, first, null), TRUST_ALL)) {
        assertThat(r.importInto(db, false).added()).isEqualTo(8);
      }
      List<String> added = hexes(rnd, 2);
      Path delta = sign(ReleaseKind.DELTA, "nl", 11, added, first.subList(0, 3));
      long before = db.sequence();
      try (ListRelease r = ListRelease.verifySpooled(delta, TRUST_ALL)) {
        ListUpdateResult res = r.importInto(db, false);
        assertThat(res).isEqualTo(new ListUpdateResult(2, 0, 3, before + 1));
      }
      assertThat(on(db, first.get(0), "nl")).isFalse();
      assertThat(on(db, first.get(0), "other")).isTrue();
      assertThat(on(db, added.get(1), "nl")).isTrue();
      // the old full release again: refused, nothing changed
      long seq = db.sequence();
      try (ListRelease r = ListRelease.verifySpooled(tmp.resolve("nl-full-10.hdbrel"), TRUST_ALL)) {
        assertThatThrownBy(() -> r.importInto(db, false)).isInstanceOf(ReleaseRollbackException.class)
            .hasMessageContaining("release 10").hasMessageContaining("release 11")
            .hasMessageContaining(KEY.keyId());
      }
      assertThat(db.sequence()).isEqualTo(seq);
      assertThat(on(db, first.get(0), "nl")).isFalse();
      // the full release replaces the list: first 8 again, the delta's adds gone
      try (ListRelease r = ListRelease.verifySpooled(tmp.resolve("nl-full-10.hdbrel"), TRUST_ALL)) {
        ListUpdateResult res = r.importInto(db, true);
        assertThat(res.added()).isEqualTo(3);
        assertThat(res.removed()).isEqualTo(2);
      }
      assertThat(on(db, first.get(0), "nl")).isTrue();
      assertThat(on(db, added.get(0), "nl")).isFalse();
    }
  }
}
