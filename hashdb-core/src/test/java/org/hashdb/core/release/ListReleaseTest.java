package org.hashdb.core.release;

import org.hashdb.core.lists.LineError;
import org.hashdb.core.lists.ListReader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.release.ReleaseVerificationException.Reason;
import org.hashdb.core.db.NewEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hashdb.testing.TestRandom;

class ListReleaseTest {
  private static final Instant CREATED = Instant.parse("2026-11-28T03:00:00Z");
  private static final Ed25519KeyPair KEY_A = Ed25519KeyPair.fromSeed(seed(1));
  private static final Ed25519KeyPair KEY_B = Ed25519KeyPair.fromSeed(seed(2));
  private static final TrustedKeys TRUST_A = TrustedKeys.of(KEY_A.publicKey());
  private static final TrustedKeys TRUST_B = TrustedKeys.of(KEY_B.publicKey());

  @TempDir Path tmp;

  private static byte[] seed(int b) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) b);
    return s;
  }

  /** Random CSV rows of every type, with categories and sources that need quoting. */
  private static String randomCsv(Random rnd, int rows) {
    StringBuilder sb = new StringBuilder("type,hash,category,source,quality\n# supplier comment\n");
    String[] cats = {"A1", "B1", "with, comma", "say \"x\"", ""};
    for (int i = 0; i < rows; i++) {
      HashType t = HashType.singleValueTypes()[rnd.nextInt(HashType.singleValueTypes().length)];
      byte[] v = new byte[t.byteLength()];
      rnd.nextBytes(v);
      String cat = cats[rnd.nextInt(cats.length)];
      String quoted = cat.contains(",") || cat.contains("\"") ? "\"" + cat.replace("\"", "\"\"") + "\"" : cat;
      sb.append(t.apiName()).append(',').append(i % 3 == 0 ? Hex.encode(v).toUpperCase() : Hex.encode(v))
          .append(',').append(quoted).append(",src").append(i % 7);
      if (t == HashType.PDQ) {
        sb.append(',').append(50 + rnd.nextInt(51));
      }
      sb.append(i % 5 == 0 ? "\r\n" : "\n");
    }
    return sb.toString();
  }

  private static List<NewEntry> oracle(String csv, String list) throws IOException {
    List<NewEntry> out = new ArrayList<>();
    try (ListReader r = ListReader.builder(stream(csv), list).build()) {
      while (r.next(out, 100, e -> {
        throw new AssertionError(e.toString());
      })) {
        // read all
      }
    }
    return out;
  }

  private static InputStream stream(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  private Path sign(String csv, String list, long release, Ed25519KeyPair key) throws IOException {
    Path out = tmp.resolve(list + "-" + release + ListReleaseFormat.SUFFIX);
    ListReleaseWriter.write(stream(csv), list, release, CREATED, key, out, e -> {
      throw new AssertionError(e.toString());
    });
    return out;
  }

  private static List<NewEntry> readAll(ListRelease r, int batch) throws Exception {
    List<NewEntry> out = new ArrayList<>();
    List<NewEntry> b = new ArrayList<>();
    boolean more;
    do {
      b.clear();
      more = r.next(b, batch);
      assertThat(b.size()).isLessThanOrEqualTo(batch);
      out.addAll(b);
    } while (more);
    return out;
  }

  private static void assertSameEntries(List<NewEntry> actual, List<NewEntry> expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      NewEntry a = actual.get(i);
      NewEntry e = expected.get(i);
      assertThat(a.type()).isEqualTo(e.type());
      assertThat(a.value()).isEqualTo(e.value());
      assertThat(a.list()).isEqualTo(e.list());
      assertThat(a.category()).isEqualTo(e.category());
      assertThat(a.source()).isEqualTo(e.source());
    }
  }

  /** Why the release is refused, or null when it verifies. */
  private Reason refusal(Path file, TrustedKeys keys) {
    try {
      Files.createDirectories(tmp.resolve("spool"));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    try (ListRelease r = ListRelease.verify(file, keys, tmp.resolve("spool"))) {
      return null;
    } catch (ReleaseVerificationException e) {
      return e.reason();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void verify_signedRelease_roundTripsEveryEntryAndHeader() throws Exception {
    String csv = randomCsv(TestRandom.random(42), 1000);
    Path file = sign(csv, "eokm-nl", 17, KEY_A);
    Files.createDirectories(tmp.resolve("spool"));
    try (ListRelease r = ListRelease.verify(file, TrustedKeys.load(writePub(KEY_A, "supplier lists=eokm-nl")), tmp.resolve("spool"))) {
      assertThat(r.header().list()).isEqualTo("eokm-nl");
      assertThat(r.header().release()).isEqualTo(17);
      assertThat(r.header().created()).isEqualTo(CREATED);
      assertThat(r.header().entryCount()).isEqualTo(1000);
      assertThat(r.signer().id()).isEqualTo(KEY_A.keyId());
      assertThat(r.signer().name()).isEqualTo("supplier");
      assertSameEntries(readAll(r, 64), oracle(csv, "eokm-nl"));
      assertThat(r.rowsRead()).isEqualTo(1000);
      assertThat(r.next(new ArrayList<>(), 10)).isFalse();
    }
    assertThat(tmp.resolve("spool")).isEmptyDirectory(); // the private copy is deleted on close
  }

  @Test
  void verify_streamOfUnknownLengthAndSpooledFile_roundTrip() throws Exception {
    String csv = randomCsv(TestRandom.random(7), 300);
    Path file = sign(csv, "l", 1, KEY_A);
    try (InputStream in = Files.newInputStream(file);
        ListRelease r = ListRelease.verify(in, -1, TRUST_A, tmp)) {
      assertSameEntries(readAll(r, 1), oracle(csv, "l"));
    }
    try (ListRelease r = ListRelease.verifySpooled(file, TRUST_A)) {
      assertSameEntries(readAll(r, 1000), oracle(csv, "l"));
    }
    assertThat(file).exists(); // the caller's spooled file is the caller's to delete
  }

  @Test
  void isRelease_releaseVersusCsv_toldApartByMagic() throws Exception {
    String csv = randomCsv(TestRandom.random(12), 3);
    assertThat(ListReleaseFormat.isRelease(sign(csv, "l", 1, KEY_A))).isTrue();
    Path plain = tmp.resolve("plain.csv");
    Files.writeString(plain, csv);
    assertThat(ListReleaseFormat.isRelease(plain)).isFalse();
    Files.write(plain, Arrays.copyOf(ListReleaseFormat.MAGIC, 7));
    assertThat(ListReleaseFormat.isRelease(plain)).isFalse();
  }

  @Test
  void verify_emptyRelease_accepted() throws Exception {
    Path file = sign("# nothing yet\n", "l", 0, KEY_A);
    try (ListRelease r = ListRelease.verify(file, TRUST_A)) {
      assertThat(r.header().entryCount()).isZero();
      assertThat(readAll(r, 10)).isEmpty();
    }
  }

  @Test
  void verify_everySingleByteFlip_refused() throws Exception {
    Path file = sign(randomCsv(TestRandom.random(3), 4), "eokm-nl", 5, KEY_A);
    byte[] good = Files.readAllBytes(file);
    Path bad = tmp.resolve("bad.hdbrel");
    Files.createDirectories(tmp.resolve("spool"));
    int headerLength = ListReleaseFormat.headerLength(ListReleaseFormat.VERSION, "eokm-nl".length());
    for (int i = 0; i < good.length; i++) {
      for (int mask : new int[] {0x01, 0xFF}) {
        byte[] b = good.clone();
        b[i] ^= (byte) mask;
        Files.write(bad, b);
        Reason reason = refusal(bad, TRUST_A);
        assertThat(reason).as("byte %d ^ %x accepted", i, mask).isNotNull();
        if (i < ListReleaseFormat.MAGIC.length) {
          assertThat(reason).as("byte %d", i).isEqualTo(Reason.BAD_MAGIC);
        } else if (i >= headerLength && i < good.length - ListReleaseFormat.TRAILER_BYTES) {
          assertThat(reason).as("payload byte %d", i).isEqualTo(Reason.DIGEST_MISMATCH);
        } else if (i >= good.length - ListReleaseFormat.TRAILER_BYTES
            && i < good.length - ListReleaseFormat.SIGNATURE_BYTES) {
          assertThat(reason).as("key id byte %d", i).isEqualTo(Reason.UNKNOWN_KEY);
        } else if (i >= good.length - ListReleaseFormat.SIGNATURE_BYTES) {
          assertThat(reason).as("signature byte %d", i).isEqualTo(Reason.BAD_SIGNATURE);
        }
      }
    }
    assertThat(tmp.resolve("spool")).isEmptyDirectory(); // no copy left behind by a refusal
  }

  @Test
  void verify_truncatedAtEveryLengthOrExtended_refused() throws Exception {
    Path file = sign(randomCsv(TestRandom.random(4), 6), "l", 5, KEY_A);
    byte[] good = Files.readAllBytes(file);
    Path bad = tmp.resolve("bad.hdbrel");
    for (int len = 0; len < good.length; len++) {
      Files.write(bad, Arrays.copyOf(good, len));
      assertThat(refusal(bad, TRUST_A)).as("length %d", len).isEqualTo(Reason.TRUNCATED);
      // the same through a stream of unknown length: found at the first missing byte
      try (ListRelease r = ListRelease.verify(new ByteArrayInputStream(good, 0, len), -1, TRUST_A, tmp)) {
        throw new AssertionError("accepted at length " + len);
      } catch (ReleaseVerificationException e) {
        assertThat(e.reason()).as("stream length %d", len).isEqualTo(Reason.TRUNCATED);
      }
    }
    Files.write(bad, Arrays.copyOf(good, good.length + 1));
    assertThat(refusal(bad, TRUST_A)).isEqualTo(Reason.TRAILING_DATA);
  }

  @Test
  void verify_signedByAWithOnlyBTrusted_refusedNamingKeyId() throws Exception {
    Path file = sign(randomCsv(TestRandom.random(5), 3), "l", 1, KEY_A);
    assertThatThrownBy(() -> ListRelease.verify(file, TRUST_B))
        .isInstanceOf(ReleaseVerificationException.class)
        .hasMessageContaining("signed by key " + KEY_A.keyId())
        .hasMessageContaining(KEY_B.keyId())
        .extracting(e -> ((ReleaseVerificationException) e).reason()).isEqualTo(Reason.UNKNOWN_KEY);
    assertThat(refusal(file, TrustedKeys.of())).isEqualTo(Reason.UNKNOWN_KEY);
    assertThat(refusal(file, TrustedKeys.of(KEY_B.publicKey(), KEY_A.publicKey()))).isNull();
  }

  @Test
  void verify_keyIdOfTrustedKeyOverSignatureByOtherKey_badSignature() throws Exception {
    Path file = sign(randomCsv(TestRandom.random(6), 3), "l", 1, KEY_A);
    byte[] b = Files.readAllBytes(file);
    // Claim key B signed it: B's key is found, but A's signature does not verify against it.
    System.arraycopy(KEY_B.rawKeyId(), 0, b, b.length - ListReleaseFormat.TRAILER_BYTES, ListReleaseFormat.KEY_ID_BYTES);
    Files.write(file, b);
    assertThat(refusal(file, TRUST_B)).isEqualTo(Reason.BAD_SIGNATURE);
  }

  /** A validly signed file with any header and payload, as a broken or hostile signer could make. */
  private Path craft(String list, long count, String payload, Ed25519KeyPair key) throws IOException {
    byte[] p = payload.getBytes(StandardCharsets.UTF_8);
    ReleaseHeader h = new ReleaseHeader(list, 1, 0, count, p.length, ListReleaseFormat.sha256().digest(p));
    byte[] header = ListReleaseFormat.encodeHeader(h);
    ByteBuffer b = ByteBuffer.allocate(header.length + p.length + ListReleaseFormat.TRAILER_BYTES);
    b.put(header).put(p).put(key.rawKeyId()).put(key.sign(header));
    Path f = tmp.resolve("crafted.hdbrel");
    Files.write(f, b.array());
    return f;
  }

  @Test
  void verify_signedCountDiffersFromRows_refused() throws Exception {
    String rows = "md5,d41d8cd98f00b204e9800998ecf8427e,A1,\nsha1,da39a3ee5e6b4b0d3255bfef95601890afd80709,B1,\n";
    assertThat(refusal(craft("l", 2, rows, KEY_A), TRUST_A)).isNull();
    assertThat(refusal(craft("l", 3, rows, KEY_A), TRUST_A)).isEqualTo(Reason.COUNT_MISMATCH);
    assertThat(refusal(craft("l", 1, rows, KEY_A), TRUST_A)).isEqualTo(Reason.COUNT_MISMATCH);
    assertThatThrownBy(() -> ListRelease.verify(craft("l", 3, rows, KEY_A), TRUST_A))
        .hasMessageContaining("signed entry count is 3 but the payload has 2 rows");
  }

  @Test
  void verify_signedBadRowOrInvalidUtf8_refused() throws Exception {
    assertThat(refusal(craft("l", 1, "md5,nothex,,\n", KEY_A), TRUST_A)).isEqualTo(Reason.BAD_ROWS);
    assertThat(refusal(craft("l", 1, "md5,d41d8cd98f00b204e9800998ecf8427e,\u00ff\n", KEY_A), TRUST_A)).isNull();
    byte[] header = ListReleaseFormat.encodeHeader(new ReleaseHeader("l", 1, 0, 0, 1, ListReleaseFormat.sha256().digest(new byte[] {(byte) 0xC3})));
    ByteBuffer b = ByteBuffer.allocate(header.length + 1 + ListReleaseFormat.TRAILER_BYTES);
    b.put(header).put((byte) 0xC3).put(KEY_A.rawKeyId()).put(KEY_A.sign(header));
    Path f = tmp.resolve("utf8.hdbrel");
    Files.write(f, b.array());
    assertThat(refusal(f, TRUST_A)).isEqualTo(Reason.BAD_ROWS);
  }

  @Test
  void verify_otherVersionOrBadListName_refused() throws Exception {
    Path file = sign(randomCsv(TestRandom.random(8), 2), "l", 1, KEY_A);
    byte[] b = Files.readAllBytes(file);
    b[9] = 3; // version 3
    Files.write(file, b);
    assertThat(refusal(file, TRUST_A)).isEqualTo(Reason.UNSUPPORTED_VERSION);
    assertThat(refusal(craft("l", 0, "", KEY_A), TRUST_A)).isNull();
    byte[] c = Files.readAllBytes(craft("l", 0, "", KEY_A));
    c[12] = ' '; // list name "l" -> " "
    Files.write(file, c);
    assertThat(refusal(file, TRUST_A)).isEqualTo(Reason.MALFORMED_HEADER);
  }

  @Test
  void next_originalReplacedAfterVerify_streamsTheVerifiedBytes() throws Exception {
    String csv = randomCsv(TestRandom.random(9), 200);
    Path file = sign(csv, "l", 1, KEY_A);
    try (ListRelease r = ListRelease.verify(file, TRUST_A, tmp)) {
      // Swap in another validly signed release and then garbage: the import still gets what was verified.
      Files.copy(sign(randomCsv(TestRandom.random(10), 200), "l", 2, KEY_A), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.write(file, new byte[] {1, 2, 3});
      assertSameEntries(readAll(r, 50), oracle(csv, "l"));
    }
  }

  @Test
  void next_spooledFileChangedAfterVerify_throwsBeforeFinalBatch() throws Exception {
    String csv = randomCsv(TestRandom.random(11), 100);
    Path file = sign(csv, "l", 1, KEY_A);
    try (ListRelease r = ListRelease.verifySpooled(file, TRUST_A)) {
      byte[] b = Files.readAllBytes(file);
      int payloadByte = ListReleaseFormat.headerLength(ListReleaseFormat.VERSION, 1) + 4; // inside the first hash: still parses
      b[payloadByte] = (byte) (b[payloadByte] == 'a' ? 'b' : 'a');
      Files.write(file, b);
      List<NewEntry> batch = new ArrayList<>();
      assertThatThrownBy(() -> r.next(batch, 1000))
          .isInstanceOf(ReleaseVerificationException.class)
          .hasMessageContaining("changed after verification");
      assertThat(r.next(batch, 1000)).isFalse();
    }
  }

  @Test
  void write_badLine_noFileAndErrorsReported() throws Exception {
    Path out = tmp.resolve("x.hdbrel");
    List<LineError> errors = new ArrayList<>();
    assertThatThrownBy(() -> ListReleaseWriter.write(stream("md5,d41d8cd98f00b204e9800998ecf8427e\nmd5,zz\n"),
        "l", 1, CREATED, KEY_A, out, errors::add))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 bad line; release not written");
    assertThat(errors).extracting(LineError::line).containsExactly(2L);
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files).isEmpty();
    }
    assertThatThrownBy(() -> ListReleaseWriter.write(stream(""), "l", -1, CREATED, KEY_A, out, errors::add))
        .hasMessageContaining("release must be >= 0");
  }

  private Path writePub(Ed25519KeyPair key, String name) throws IOException {
    Path p = tmp.resolve(key.keyId() + ".pub");
    Files.deleteIfExists(p);
    key.writePublicKey(p, name);
    return p;
  }
}
