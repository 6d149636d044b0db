package org.hashdb.core.lists;

import org.hashdb.core.release.Ed25519KeyPair;
import org.hashdb.core.release.ListRelease;
import org.hashdb.core.release.ReleaseDecryptionException;
import org.hashdb.core.release.ReleaseEncryption;
import org.hashdb.core.release.ReleaseVerificationException;
import org.hashdb.core.release.TrustedKeys;
import org.hashdb.core.release.X25519KeyPair;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hashdb.core.FuzzTempDir;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.db.NewEntry;

/**
 * Every list-file parser of untrusted bytes: CSV and hex imports, signed and encrypted releases,
 * key files. Each may only reject its input with its documented exceptions, never crash or hang.
 */
class ListFilesFuzzTest {
  /** Fixed keys, so that the committed seeds (made with them) stay valid. */
  static final Ed25519KeyPair SIGNER = Ed25519KeyPair.fromSeed(seed(1));
  static final X25519KeyPair RECIPIENT = X25519KeyPair.fromPrivateKey(seed(2));
  private static final Path TMP = FuzzTempDir.create("hashdb-fuzz-lists");

  static byte[] seed(int b) {
    byte[] s = new byte[32];
    java.util.Arrays.fill(s, (byte) b);
    return s;
  }

  private static void readAll(ListReader r) throws IOException {
    List<NewEntry> batch = new ArrayList<>();
    while (r.next(batch, 1000, e -> {})) {
      batch.clear();
    }
  }

  @FuzzTest(maxDuration = "2m")
  void csvImport(byte[] input) throws IOException {
    try (ListReader r = ListReader.builder(new ByteArrayInputStream(input), "fuzz").build()) {
      readAll(r);
    } catch (java.nio.charset.CharacterCodingException expected) {
      // invalid UTF-8 stops the import with its line number
    }
  }

  @FuzzTest(maxDuration = "2m")
  void hexImport(byte[] input) throws IOException {
    HashType type = HashType.values()[input.length % HashType.values().length];
    try (ListReader r = ListReader.builder(new ByteArrayInputStream(input), "fuzz")
        .format(ListFormat.HEX).type(type).category("c").build()) {
      readAll(r);
    } catch (java.nio.charset.CharacterCodingException expected) {
      // invalid UTF-8
    }
  }

  @FuzzTest(maxDuration = "2m")
  void signedRelease(byte[] input) throws IOException {
    verify(new ByteArrayInputStream(input), input.length);
  }

  @FuzzTest(maxDuration = "2m")
  void encryptedRelease(byte[] input) throws IOException {
    try (InputStream plain = ReleaseEncryption.decrypting(new ByteArrayInputStream(input), RECIPIENT)) {
      verify(plain, -1);
    } catch (ReleaseDecryptionException expected) {
      // not sealed for this key, or tampered
    }
  }

  private static void verify(InputStream in, long size) throws IOException {
    try (ListRelease r = ListRelease.verify(in, size, TrustedKeys.of(SIGNER.publicKey()), TMP)) {
      List<NewEntry> batch = new ArrayList<>();
      while (r.next(batch, 1000)) {
        batch.clear();
      }
    } catch (ReleaseVerificationException expected) {
      // does not verify: nothing is used
    }
  }

  @FuzzTest(maxDuration = "2m")
  void keyFiles(byte[] input) throws IOException {
    String text = new String(input, java.nio.charset.StandardCharsets.UTF_8);
    try {
      TrustedKeys.parse(text, "fuzz.pub");
    } catch (IllegalArgumentException expected) {
      // not a trusted-keys file
    }
    try {
      X25519KeyPair.parsePublicKey(text, "fuzz.pub");
    } catch (IllegalArgumentException expected) {
      // not a public key
    }
    Path f = TMP.resolve("fuzz.key");
    Files.write(f, input);
    Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    try {
      X25519KeyPair.readPrivateKey(f);
    } catch (IOException | IllegalArgumentException expected) {
      // not a private key file
    }
    try {
      Ed25519KeyPair.readPrivateKey(f);
    } catch (IOException | IllegalArgumentException expected) {
      // not a private key file
    }
  }
}
