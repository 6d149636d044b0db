package org.hashdb.core.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.hashdb.core.release.ReleaseDecryptionException.Reason;
import org.hashdb.core.db.NewEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hashdb.testing.TestRandom;

class ReleaseEncryptionTest {
  private static final int CHUNK = ReleaseEnvelopeFormat.MIN_CHUNK_SIZE;
  private static final int TAG = 16;
  private static final int HEADER = ReleaseEnvelopeFormat.HEADER_BYTES;
  private static final X25519KeyPair EOKM = X25519KeyPair.fromPrivateKey(filled(7));
  private static final X25519KeyPair OTHER = X25519KeyPair.fromPrivateKey(filled(9));

  @TempDir Path tmp;

  private static byte[] filled(int b) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) b);
    return s;
  }

  private static byte[] random(Random rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }

  private static byte[] encrypt(byte[] plain, int chunkSize) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long n = ReleaseEncryption.encrypt(new ByteArrayInputStream(plain), out, EOKM.publicKey(), chunkSize);
    assertThat(n).isEqualTo(plain.length);
    return out.toByteArray();
  }

  private static byte[] decrypt(byte[] sealed, X25519KeyPair key) throws IOException {
    try (InputStream in = ReleaseEncryption.decrypting(new ByteArrayInputStream(sealed), key)) {
      return in.readAllBytes();
    }
  }

  /** Decrypts expecting failure; checks that what was handed out before it is a prefix of {@code plain}. */
  private static ReleaseDecryptionException failure(byte[] sealed, byte[] plain) {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    ReleaseDecryptionException e = catchThrowableOfType(ReleaseDecryptionException.class, () -> {
      try (InputStream in = ReleaseEncryption.decrypting(new ByteArrayInputStream(sealed), EOKM)) {
        in.transferTo(got);
      }
    });
    assertThat(e).as("decryption must fail").isNotNull();
    byte[] out = got.toByteArray();
    assertThat(out.length).isLessThan(Math.max(1, plain.length));
    assertThat(out).isEqualTo(Arrays.copyOf(plain, out.length));
    return e;
  }

  @Test
  void encryptDecrypt_boundarySizes_roundTripAndLengthAsDocumented() throws IOException {
    Random rnd = TestRandom.random(42);
    int[] sizes = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 3 * CHUNK + 17, 5 * CHUNK - 1,
        rnd.nextInt(10 * CHUNK), rnd.nextInt(10 * CHUNK)};
    for (int size : sizes) {
      byte[] plain = random(rnd, size);
      byte[] sealed = encrypt(plain, CHUNK);
      long chunks = Math.max(1, (size + CHUNK - 1) / CHUNK);
      assertThat(sealed).as("size %d", size).hasSize((int) (HEADER + size + TAG * chunks));
      assertThat(decrypt(sealed, EOKM)).as("size %d", size).isEqualTo(plain);
      // Byte-at-a-time reads take the other path through the stream.
      ByteArrayOutputStream one = new ByteArrayOutputStream();
      try (InputStream in = ReleaseEncryption.decrypting(new ByteArrayInputStream(sealed), EOKM)) {
        for (int b; (b = in.read()) >= 0; ) {
          one.write(b);
        }
        assertThat(in.read()).isEqualTo(-1);
      }
      assertThat(one.toByteArray()).isEqualTo(plain);
    }
  }

  @Test
  void encrypt_randomChunkSizesAndLengths_roundTrip() throws IOException {
    Random rnd = TestRandom.random(7);
    for (int i = 0; i < 20; i++) {
      int chunk = CHUNK + rnd.nextInt(3 * CHUNK);
      byte[] plain = random(rnd, rnd.nextInt(6 * chunk));
      byte[] sealed = encrypt(plain, chunk);
      assertThat(ByteBuffer.wrap(sealed, HEADER - 4, 4).getInt()).isEqualTo(chunk);
      assertThat(decrypt(sealed, EOKM)).isEqualTo(plain);
    }
  }

  @Test
  void encrypt_sameInputTwice_freshEphemeralKeyEachTime() throws IOException {
    byte[] plain = "same release".getBytes(StandardCharsets.US_ASCII);
    byte[] a = encrypt(plain, CHUNK);
    byte[] b = encrypt(plain, CHUNK);
    assertThat(Arrays.copyOfRange(a, 20, 52)).isNotEqualTo(Arrays.copyOfRange(b, 20, 52));
    assertThat(Arrays.copyOfRange(a, HEADER, a.length)).isNotEqualTo(Arrays.copyOfRange(b, HEADER, b.length));
  }

  /** An independent reading of the format javadoc: JDK XDH, HMAC-based HKDF, JDK AES-GCM. */
  @Test
  void encrypt_decryptedBySpecOracle_matchesPlaintext() throws Exception {
    Random rnd = TestRandom.random(11);
    for (int size : new int[] {0, 5, CHUNK, 2 * CHUNK + 3}) {
      byte[] plain = random(rnd, size);
      byte[] sealed = encrypt(plain, CHUNK);
      assertThat(oracleDecrypt(sealed, filled(7), EOKM.publicKey())).isEqualTo(plain);
    }
  }

  private static byte[] oracleDecrypt(byte[] file, byte[] recipientPrivate, byte[] recipientPublic)
      throws GeneralSecurityException {
    ByteBuffer b = ByteBuffer.wrap(file);
    byte[] magic = new byte[8];
    b.get(magic);
    assertThat(new String(magic, StandardCharsets.US_ASCII)).isEqualTo("HDBENCv\n");
    assertThat(b.getShort()).isEqualTo((short) 1);
    assertThat(b.getShort()).isEqualTo((short) 1);
    byte[] keyId = new byte[8];
    b.get(keyId);
    assertThat(keyId).isEqualTo(Arrays.copyOf(ListReleaseFormat.sha256().digest(recipientPublic), 8));
    byte[] eph = new byte[32];
    b.get(eph);
    int chunk = b.getInt();
    byte[] header = Arrays.copyOf(file, b.position());

    KeyFactory kf = KeyFactory.getInstance("XDH");
    byte[] le = eph.clone();
    le[31] &= 0x7f;
    byte[] be = new byte[32];
    for (int i = 0; i < 32; i++) {
      be[i] = le[31 - i];
    }
    KeyAgreement ka = KeyAgreement.getInstance("XDH");
    ka.init(kf.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, recipientPrivate)));
    ka.doPhase(kf.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, be))), true);
    byte[] shared = ka.generateSecret();

    byte[] salt = new byte[64];
    System.arraycopy(eph, 0, salt, 0, 32);
    System.arraycopy(recipientPublic, 0, salt, 32, 32);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(salt, "HmacSHA256"));
    byte[] prk = mac.doFinal(shared);
    mac.init(new SecretKeySpec(prk, "HmacSHA256"));
    mac.update("hashdb release envelope v1".getBytes(StandardCharsets.US_ASCII));
    byte[] fileKey = mac.doFinal(new byte[] {1}); // T(1) is 32 bytes: the whole key

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    int pos = header.length;
    for (long i = 0; ; i++) {
      int len = Math.min(chunk + 16, file.length - pos);
      boolean last = pos + len == file.length;
      ByteBuffer nonce = ByteBuffer.allocate(12).putLong(i).put(new byte[] {0, 0, 0, (byte) (last ? 1 : 0)});
      c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(fileKey, "AES"), new GCMParameterSpec(128, nonce.array()));
      c.updateAAD(header);
      out.writeBytes(c.doFinal(file, pos, len));
      pos += len;
      if (last) {
        return out.toByteArray();
      }
    }
  }

  @Test
  void decrypting_wrongRecipientKey_errorNamesBothKeyIds() throws IOException {
    byte[] sealed = encrypt("x".getBytes(StandardCharsets.US_ASCII), CHUNK);
    assertThatThrownBy(() -> ReleaseEncryption.decrypting(new ByteArrayInputStream(sealed), OTHER))
        .isInstanceOfSatisfying(ReleaseDecryptionException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.WRONG_KEY);
          assertThat(e.chunk()).isEqualTo(-1);
        })
        .hasMessage("release is encrypted for key id " + EOKM.keyId() + ", the private key given is key id "
            + OTHER.keyId());
  }

  @Test
  void decrypting_everySingleByteFlipped_refusedWithoutUnverifiedPlaintext() throws IOException {
    byte[] plain = random(TestRandom.random(3), 2 * CHUNK + 100);
    byte[] sealed = encrypt(plain, CHUNK);
    EnumSet<Reason> seen = EnumSet.noneOf(Reason.class);
    for (int i = 0; i < sealed.length; i++) {
      byte[] bad = sealed.clone();
      bad[i] ^= (byte) (1 << (i % 8)); // one bit, a different one from byte to byte
      ReleaseDecryptionException e = failure(bad, plain);
      seen.add(e.reason());
      if (i < 8) {
        assertThat(e.reason()).isEqualTo(Reason.BAD_MAGIC);
      } else if (i < 10) {
        assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_VERSION);
      } else if (i < 12) {
        assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_SUITE);
      } else if (i < 20) {
        assertThat(e.reason()).isEqualTo(Reason.WRONG_KEY);
      } else if (i < HEADER) { // ephemeral key or chunk size: another file key or layout
        assertThat(e.reason()).isIn(Reason.BAD_TAG, Reason.MALFORMED);
      } else {
        int chunk = (i - HEADER) / (CHUNK + TAG);
        assertThat(e.reason()).isEqualTo(Reason.BAD_TAG);
        assertThat(e.chunk()).isEqualTo(chunk);
        assertThat(e.getMessage()).startsWith("chunk " + chunk + " (file bytes ");
      }
    }
    assertThat(seen).contains(Reason.BAD_MAGIC, Reason.UNSUPPORTED_VERSION, Reason.UNSUPPORTED_SUITE,
        Reason.WRONG_KEY, Reason.MALFORMED, Reason.BAD_TAG);
  }

  @Test
  void decrypting_truncatedAnywhere_refused() throws IOException {
    byte[] plain = random(TestRandom.random(4), 2 * CHUNK + 50);
    byte[] sealed = encrypt(plain, CHUNK);
    for (int cut = 0; cut < sealed.length; cut++) {
      ReleaseDecryptionException e = failure(Arrays.copyOf(sealed, cut), plain);
      int body = cut - HEADER;
      if (cut < HEADER) {
        assertThat(e.reason()).as("cut %d", cut).isIn(Reason.TRUNCATED, Reason.BAD_MAGIC);
      } else if (body % (CHUNK + TAG) == 0) {
        // At a chunk boundary: the chunk before it was not flagged last.
        assertThat(e.reason()).as("cut %d", cut).isEqualTo(Reason.TRUNCATED);
        assertThat(e.getMessage()).contains(body == 0 ? "no chunk after the header"
            : "ends after chunk " + (body / (CHUNK + TAG) - 1) + ", which is not the final chunk");
      } else {
        assertThat(e.reason()).as("cut %d", cut).isIn(Reason.TRUNCATED, Reason.BAD_TAG);
      }
    }
  }

  @Test
  void decrypting_chunksSwappedDroppedOrDuplicated_refused() throws IOException {
    byte[] plain = random(TestRandom.random(5), 3 * CHUNK + 10);
    byte[] sealed = encrypt(plain, CHUNK);
    int c = CHUNK + TAG;
    byte[] swapped = sealed.clone();
    System.arraycopy(sealed, HEADER + c, swapped, HEADER, c);
    System.arraycopy(sealed, HEADER, swapped, HEADER + c, c);
    assertThat(failure(swapped, plain)).satisfies(e -> {
      assertThat(e.reason()).isEqualTo(Reason.BAD_TAG);
      assertThat(e.chunk()).isZero();
    });
    byte[] dropped = new byte[sealed.length - c];
    System.arraycopy(sealed, 0, dropped, 0, HEADER + c);
    System.arraycopy(sealed, HEADER + 2 * c, dropped, HEADER + c, sealed.length - HEADER - 2 * c);
    assertThat(failure(dropped, plain).chunk()).isEqualTo(1);
    byte[] duplicated = new byte[sealed.length + c];
    System.arraycopy(sealed, 0, duplicated, 0, HEADER + c);
    System.arraycopy(sealed, HEADER, duplicated, HEADER + c, sealed.length - HEADER);
    assertThat(failure(duplicated, plain).chunk()).isEqualTo(1);
  }

  @Test
  void decrypting_trailingBytes_refused() throws IOException {
    Random rnd = TestRandom.random(6);
    for (int size : new int[] {0, 10, CHUNK, 2 * CHUNK}) {
      byte[] plain = random(rnd, size);
      byte[] sealed = encrypt(plain, CHUNK);
      for (int extra : new int[] {1, TAG, CHUNK + TAG, CHUNK + TAG + 1}) {
        byte[] longer = Arrays.copyOf(sealed, sealed.length + extra);
        ReleaseDecryptionException e = failure(longer, plain);
        boolean lastWasFull = size > 0 && size % CHUNK == 0;
        assertThat(e.reason()).as("size %d extra %d", size, extra)
            .isEqualTo(lastWasFull ? Reason.TRAILING_DATA : Reason.BAD_TAG);
      }
    }
    byte[] full = random(rnd, CHUNK);
    byte[] plusOne = Arrays.copyOf(encrypt(full, CHUNK), HEADER + CHUNK + TAG + 1);
    assertThat(failure(plusOne, full)).hasMessage("encrypted release has data after its final chunk 0");
  }

  @Test
  void chunkSize_outOfRange_refusedOnWriteAndRead() throws IOException {
    for (int bad : new int[] {0, CHUNK - 1, ReleaseEnvelopeFormat.MAX_CHUNK_SIZE + 1, -1}) {
      assertThatThrownBy(() -> encrypt(new byte[1], bad)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("chunkSize must be in 4096..1048576, got " + bad);
    }
    byte[] sealed = encrypt(new byte[1], CHUNK);
    for (int bad : new int[] {CHUNK - 1, ReleaseEnvelopeFormat.MAX_CHUNK_SIZE + 1, -1}) {
      byte[] patched = sealed.clone();
      ByteBuffer.wrap(patched).putInt(HEADER - 4, bad);
      assertThat(failure(patched, new byte[1])).satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
          .hasMessageContaining("chunk size " + Integer.toUnsignedLong(bad) + " not in 4096..1048576");
    }
    // The largest chunk size works (memory stays bounded by it).
    byte[] plain = random(TestRandom.random(8), ReleaseEnvelopeFormat.MAX_CHUNK_SIZE + 1);
    assertThat(decrypt(encrypt(plain, ReleaseEnvelopeFormat.MAX_CHUNK_SIZE), EOKM)).isEqualTo(plain);
  }

  @Test
  void decrypting_emptyFinalChunkAfterFullOne_refusedAsMalformed() throws Exception {
    // Built by hand with a known ephemeral key: a full chunk flagged not-last, then an empty last one.
    byte[] ephPrivate = filled(3);
    byte[] ephPublic = X25519KeyPair.fromPrivateKey(ephPrivate).publicKey();
    byte[] shared = new byte[32];
    assertThat(X25519KeyPair.fromPrivateKey(ephPrivate).agree(EOKM.publicKey(), shared)).isTrue();
    byte[] header = ReleaseEnvelopeFormat.encodeHeader(ListReleaseFormat.keyId(EOKM.publicKey()), ephPublic, CHUNK);
    SecretKeySpec key = new SecretKeySpec(ReleaseEnvelopeFormat.fileKey(shared, ephPublic, EOKM.publicKey()), "AES");
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.writeBytes(header);
    byte[] plain = random(TestRandom.random(9), CHUNK);
    byte[] nonce = new byte[12];
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    ReleaseEnvelopeFormat.nonce(0, false, nonce);
    c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
    c.updateAAD(header);
    file.writeBytes(c.doFinal(plain));
    ReleaseEnvelopeFormat.nonce(1, true, nonce);
    c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
    c.updateAAD(header);
    file.writeBytes(c.doFinal(new byte[0]));
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    assertThatThrownBy(() -> {
      try (InputStream in = ReleaseEncryption.decrypting(new ByteArrayInputStream(file.toByteArray()), EOKM)) {
        in.transferTo(got);
      }
    }).isInstanceOfSatisfying(ReleaseDecryptionException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
        .hasMessage("empty final chunk 1 after a full one");
    assertThat(got.toByteArray()).isEqualTo(plain); // chunk 0 itself verified
  }

  @Test
  void encrypt_smallOrderRecipientKey_refused() {
    assertThatThrownBy(() -> ReleaseEncryption.encrypt(new ByteArrayInputStream(new byte[1]),
        new ByteArrayOutputStream(), new byte[32])).hasMessageContaining("small-order point");
  }

  @Test
  void signedRelease_encryptedThenDecryptedInStream_verifiesAndImports() throws Exception {
    Ed25519KeyPair signer = Ed25519KeyPair.fromSeed(filled(1));
    Path csv = tmp.resolve("l.csv");
    StringBuilder sb = new StringBuilder();
    Random rnd = TestRandom.random(10);
    for (int i = 0; i < 500; i++) {
      sb.append("md5,").append(org.hashdb.core.hash.Hex.encode(random(rnd, 16))).append(",A1,police\n");
    }
    Files.writeString(csv, sb);
    Path rel = tmp.resolve("l.hdbrel");
    try (InputStream in = Files.newInputStream(csv)) {
      ListReleaseWriter.write(in, "nl", 3, Instant.parse("2026-11-28T00:00:00Z"), signer, rel, e -> {});
    }
    Path enc = tmp.resolve("l.hdbrel.enc");
    ReleaseEncryption.encrypt(rel, enc, EOKM.publicKey(), CHUNK);
    assertThat(ReleaseEnvelopeFormat.isEncrypted(enc)).isTrue();
    assertThat(ReleaseEnvelopeFormat.isEncrypted(rel)).isFalse();
    assertThat(ListReleaseFormat.isRelease(enc)).isFalse();
    Path spool = Files.createDirectory(tmp.resolve("spool"));
    List<NewEntry> all = new ArrayList<>();
    try (InputStream in = ReleaseEncryption.decrypting(Files.newInputStream(enc), EOKM);
        ListRelease r = ListRelease.verify(in, -1, TrustedKeys.of(signer.publicKey()), spool)) {
      assertThat(r.header().entryCount()).isEqualTo(500);
      while (r.next(all, 100)) {
        // collect
      }
    }
    assertThat(all).hasSize(500);

    Path dec = tmp.resolve("back.hdbrel");
    assertThat(ReleaseEncryption.decrypt(enc, dec, EOKM)).isEqualTo(Files.size(rel));
    assertThat(Files.readAllBytes(dec)).isEqualTo(Files.readAllBytes(rel));

    // Tampered: verification fails in the decrypting stream, no spool is left, no output file appears.
    byte[] bad = Files.readAllBytes(enc);
    bad[bad.length / 2] ^= 1;
    Files.write(enc, bad);
    assertThatThrownBy(() -> {
      try (InputStream in = ReleaseEncryption.decrypting(Files.newInputStream(enc), EOKM)) {
        ListRelease.verify(in, -1, TrustedKeys.of(signer.publicKey()), spool).close();
      }
    }).isInstanceOfSatisfying(ReleaseDecryptionException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_TAG));
    try (Stream<Path> s = Files.list(spool)) {
      assertThat(s).isEmpty();
    }
    Path dec2 = tmp.resolve("never.hdbrel");
    assertThatThrownBy(() -> ReleaseEncryption.decrypt(enc, dec2, EOKM)).isInstanceOf(ReleaseDecryptionException.class);
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("never"));
    }
  }

  @Test
  void decrypting_headerOnlyOrEmptyInput_truncated() {
    assertThat(failure(new byte[0], new byte[0]).reason()).isEqualTo(Reason.TRUNCATED);
    assertThat(failure("HDBENCv\n".getBytes(StandardCharsets.US_ASCII), new byte[0]).getMessage())
        .contains("truncated in the header (8 of " + HEADER + " bytes)");
    assertThat(failure("HDBRELv\n".getBytes(StandardCharsets.US_ASCII), new byte[0]).reason()).isEqualTo(Reason.BAD_MAGIC);
  }
}
