package org.hashdb.server.psi;

import org.hashdb.server.PsiSettings;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.psi.PsiInput;
import org.hashdb.core.psi.VoprfClient;
import org.hashdb.core.psi.VoprfServer;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.ListFilter;
import org.hashdb.core.db.NewEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hashdb.testing.TestRandom;

/**
 * The precomputer: incremental adds, removals, the saved table (reloaded without recomputing,
 * rejected when damaged), and that the table is a function of key + entries only.
 */
class PsiPrecomputeTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path dir;

  private static byte[] random(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  private static List<NewEntry> entries(Random r, int n) {
    List<NewEntry> out = new ArrayList<>();
    HashType[] types = {HashType.MD5, HashType.SHA1, HashType.SHA256};
    for (int i = 0; i < n; i++) {
      HashType t = types[i % 3];
      out.add(new NewEntry(t, random(r, t.byteLength()), i % 2 == 0 ? "a" : "b", "c", "s"));
    }
    return out;
  }

  /** True when the service says (type, raw) is present for {@code filter}. */
  private static boolean privatelyPresent(PsiService psi, HashType t, byte[] raw, ListFilter f) {
    VoprfClient c = new VoprfClient(org.bouncycastle.util.encoders.Hex.decode(psi.publicKeyHex()));
    byte[] in = PsiInput.of(t, raw);
    VoprfClient.Blinded b = c.blind(in, RANDOM);
    PsiRequest req = new PsiRequest(new long[] {PsiInput.bucket(in, psi.settings().bucketBits())},
        new byte[][] {b.serialized()}, null);
    PsiService.Answer a = psi.answer(req, f);
    byte[] out = c.finalizeBatch(new VoprfClient.Blinded[] {b},
        new byte[][] {a.evaluatedForTest(0)}, a.proofForTest())[0];
    return a.containsForTest(req.buckets[0], out);
  }

  private static void awaitPending0(PsiService p) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while ((!p.ready() || p.pending() > 0) && System.currentTimeMillis() < deadline) {
      p.nudge();
      Thread.sleep(10);
    }
    assertThat(p.pending()).isZero();
  }

  @Test
  void addsAndRemoves_followTheDatabase_withinSeconds() throws Exception {
    Random r = TestRandom.random(5);
    HashDatabase db = HashDatabase.inMemory();
    List<NewEntry> first = entries(r, 300);
    db.add(first);
    PsiSettings s = new PsiSettings(true, 4, 64, 100, 60, 1); // 16 buckets: many per bucket
    try (PsiService psi = PsiService.open(dir, s, () -> db)) {
      awaitPending0(psi);
      for (NewEntry e : first.subList(0, 30)) {
        assertThat(privatelyPresent(psi, e.type(), e.value(), ListFilter.all())).isTrue();
        assertThat(privatelyPresent(psi, e.type(), e.value(), ListFilter.of(List.of(e.list()))))
            .isTrue();
        String other = e.list().equals("a") ? "b" : "a";
        assertThat(privatelyPresent(psi, e.type(), e.value(), ListFilter.of(List.of(other))))
            .isFalse();
      }
      NewEntry late = entries(TestRandom.random(99), 1).get(0);
      assertThat(privatelyPresent(psi, late.type(), late.value(), ListFilter.all())).isFalse();
      db.add(List.of(late));
      long t0 = System.nanoTime();
      while (!privatelyPresent(psi, late.type(), late.value(), ListFilter.all())) {
        assertThat(System.nanoTime() - t0).as("added entry visible within 10 s")
            .isLessThan(10_000_000_000L);
        Thread.sleep(50);
      }
      NewEntry gone = first.get(7);
      db.remove(gone.type(), gone.value(), null);
      assertThat(privatelyPresent(psi, gone.type(), gone.value(), ListFilter.all())).isFalse();
    }
  }

  @Test
  void savedTable_reloadedAfterRestart_damagedOneRecomputed() throws Exception {
    Random r = TestRandom.random(6);
    HashDatabase db = HashDatabase.inMemory();
    List<NewEntry> es = entries(r, 200);
    db.add(es);
    PsiSettings s = new PsiSettings(true, 6, 32, 100, 60, 1);
    String pk;
    try (PsiService psi = PsiService.open(dir, s, () -> db)) {
      awaitPending0(psi);
      pk = psi.publicKeyHex();
    }
    Path psiDir = dir.resolve("psi");
    Path file = PrfTableFile.path(psiDir, org.bouncycastle.util.encoders.Hex.decode(pk));
    assertThat(file).exists();
    byte[] pkBytes = org.bouncycastle.util.encoders.Hex.decode(pk);
    PrfTable loaded = PrfTableFile.read(file, pkBytes, 6);
    assertThat(loaded).isNotNull();
    assertThat(loaded.size()).isEqualTo(200);
    // Another bucketBits: same records, rebucketed on load.
    assertThat(PrfTableFile.read(file, pkBytes, 10).size()).isEqualTo(200);
    // The key is the same after a restart, and the answers too.
    try (PsiService psi = PsiService.open(dir, s, () -> db)) {
      assertThat(psi.publicKeyHex()).isEqualTo(pk);
      awaitPending0(psi);
      NewEntry e = es.get(3);
      assertThat(privatelyPresent(psi, e.type(), e.value(), ListFilter.all())).isTrue();
    }
    // A flipped bit anywhere is detected (CRC32C); a truncated file too.
    byte[] bytes = Files.readAllBytes(file);
    for (int pos : new int[] {0, 20, 50, bytes.length / 2, bytes.length - 1}) {
      byte[] bad = bytes.clone();
      bad[pos] ^= 0x10;
      Files.write(file, bad);
      assertThat(PrfTableFile.read(file, pkBytes, 6)).as("flip at %d", pos).isNull();
    }
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 3));
    assertThat(PrfTableFile.read(file, pkBytes, 6)).isNull();
  }

  @Test
  void table_isAFunctionOfKeyAndEntries() throws Exception {
    // What a replica computes from the same key file and entries equals the primary's table.
    Random r = TestRandom.random(8);
    HashDatabase a = HashDatabase.inMemory();
    HashDatabase b = HashDatabase.inMemory();
    List<NewEntry> es = entries(r, 90);
    a.add(es);
    List<NewEntry> reversed = new ArrayList<>(es);
    java.util.Collections.reverse(reversed);
    b.add(reversed);
    PsiSettings s = new PsiSettings(true, 5, 32, 100, 60, 1);
    Path other = dir.resolve("replica");
    Files.createDirectories(other.resolve("psi"));
    PsiService pa = PsiService.open(dir, s, () -> a);
    pa.close();
    Files.copy(dir.resolve("psi").resolve(OprfKeyStore.FILE), other.resolve("psi").resolve(OprfKeyStore.FILE));
    try (PsiService p1 = PsiService.open(dir, s, () -> a);
        PsiService p2 = PsiService.open(other, s, () -> b)) {
      awaitPending0(p1);
      awaitPending0(p2);
      assertThat(p2.publicKeyHex()).isEqualTo(p1.publicKeyHex());
      assertThat(p2.tableDigestForTest()).isEqualTo(p1.tableDigestForTest());
    }
  }

  @Test
  void keyFile_readableByOthers_refused() throws Exception {
    OprfKeyStore store = new OprfKeyStore(dir);
    VoprfServer key = store.loadOrCreate(RANDOM, 0).current();
    String secret = org.hashdb.core.hash.Hex.encode(key.privateKeyBytes());
    assertThat(Files.readString(store.file())).contains(secret);
    Files.setPosixFilePermissions(store.file(),
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    org.assertj.core.api.Assertions.assertThatThrownBy(store::read)
        .isInstanceOf(IOException.class).hasMessageContaining("chmod 600")
        .hasMessageNotContaining(secret);
  }
}
