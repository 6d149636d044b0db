package org.hashdb.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hashdb release keygen-encryption/encrypt/decrypt, verify --decrypt-key and import --decrypt-key,
 * through the real command line. Every output is checked not to contain the private keys.
 */
class EncryptedReleaseCommandTest {
  private static final String MD5_A = "d41d8cd98f00b204e9800998ecf8427e";
  private static final String MD5_B = "0cc175b9c0f1b6a831c399e269772661";
  private static final String SHA1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709";

  @TempDir Path tmp;
  private final List<CliRun> runs = new ArrayList<>();
  private final List<String> secrets = new ArrayList<>();

  private CliRun run(String... args) {
    CliRun r = CliRun.run(args);
    runs.add(r);
    return r;
  }

  @AfterEach
  void noOutputContainsAPrivateKey() {
    for (CliRun r : runs) {
      for (String s : secrets) {
        assertThat(r.out() + r.err()).doesNotContain(s);
      }
    }
  }

  private String p(String name) {
    return tmp.resolve(name).toString();
  }

  /** Generates an encryption key pair; returns its key id and remembers its secret. */
  private String encryptionKey(String name) throws IOException {
    String id = run("release", "keygen-encryption", "--out", p(name)).printedKeyId();
    String text = Files.readString(tmp.resolve(name + ".key")).strip();
    assertThat(text).startsWith("x25519-private:");
    secrets.add(text.substring("x25519-private:".length()));
    return id;
  }

  /** A signing key "sup", a release of list nl with MD5_A and SHA1, encrypted to "eokm". */
  private Path signedAndEncrypted() throws IOException {
    run("release", "keygen", "--out", p("sup")).printedKeyId();
    Files.writeString(tmp.resolve("sup.pub"), Files.readString(tmp.resolve("sup.pub")).strip() + " lists=nl\n");
    Path csv = tmp.resolve("l.csv");
    Files.writeString(csv, "md5," + MD5_A + ",A1,police\nsha1," + SHA1 + ",B1,police\n");
    CliRun sign = run("release", "sign", "--key", p("sup.key"), "--list", "nl", "--release", "4", csv.toString(),
        "--out", p("l.hdbrel"));
    assertThat(sign.exit()).as(sign.err()).isZero();
    CliRun enc = run("release", "encrypt", "--to", p("eokm.pub"), "--out", p("l.hdbrel.enc"), p("l.hdbrel"));
    assertThat(enc.exit()).as(enc.err()).isZero();
    return tmp.resolve("l.hdbrel.enc");
  }

  @Test
  void keygenSignEncryptImport_endToEnd_entriesAdded() throws IOException {
    String eokm = encryptionKey("eokm");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("eokm.key")))).isEqualTo("rw-------");
    assertThat(Files.readString(tmp.resolve("eokm.pub"))).startsWith("x25519:").contains(" eokm");
    Path enc = signedAndEncrypted();
    assertThat(runs.get(runs.size() - 1).out()).contains("for key id " + eokm);
    byte[] sealed = Files.readAllBytes(enc);
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).startsWith("HDBENCv\n").doesNotContain(MD5_A).doesNotContain("nl");

    CliRun verify = run("release", "verify", "--trust", p("sup.pub"), "--decrypt-key", p("eokm.key"), enc.toString());
    assertThat(verify.exit()).as(verify.err()).isZero();
    assertThat(verify.out()).contains("list:     nl").contains("entries:  2").contains("encrypted for: " + eokm)
        .contains("OK");

    Path data = tmp.resolve("data");
    CliRun imp = run("import", "--data", data.toString(), "--release", enc.toString(), "--trust", p("sup.pub"),
        "--decrypt-key", p("eokm.key"));
    assertThat(imp.exit()).as(imp.err()).isZero();
    assertThat(imp.err()).contains("verified delta release 4 of list nl (2 entries, 0 removals)");
    assertThat(imp.out()).contains("added 2, already present 0, removed 0 (list nl, delta release 4");
    assertThat(run("lookup", "--data", data.toString(), "md5", MD5_A, MD5_B).out())
        .contains(MD5_A + " match list=nl category=A1").contains(MD5_B + " no-match");
    try (Stream<Path> files = Files.list(data)) {
      assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".spool"));
    }

    CliRun dec = run("release", "decrypt", "--key", p("eokm.key"), "--out", p("back.hdbrel"), enc.toString());
    assertThat(dec.exit()).as(dec.err()).isZero();
    assertThat(Files.readAllBytes(tmp.resolve("back.hdbrel"))).isEqualTo(Files.readAllBytes(tmp.resolve("l.hdbrel")));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("back.hdbrel")))).isEqualTo("rw-------");

    // A plain release is still accepted with --decrypt-key (the signature is what is trusted).
    CliRun plain = run("import", "--data", data.toString(), "--release", p("l.hdbrel"), "--trust", p("sup.pub"),
        "--decrypt-key", p("eokm.key"), "--allow-rollback"); // release 4 again
    assertThat(plain.exit()).as(plain.err()).isZero();
    assertThat(plain.err()).contains("not encrypted");
    assertThat(plain.out()).contains("added 0, already present 2");
  }

  @Test
  void importEncrypted_fromStandardInput_entriesAdded() throws IOException {
    encryptionKey("eokm");
    Path enc = signedAndEncrypted();
    InputStream saved = System.in;
    try {
      System.setIn(new ByteArrayInputStream(Files.readAllBytes(enc)));
      CliRun imp = run("import", "--data", p("data"), "--release", "-", "--trust", p("sup.pub"),
          "--decrypt-key", p("eokm.key"));
      assertThat(imp.exit()).as(imp.err()).isZero();
      assertThat(imp.out()).contains("added 2");
    } finally {
      System.setIn(saved);
    }
  }

  @Test
  void importEncrypted_tamperedTruncatedOrWrongKey_exit2AndNothingAdded() throws IOException {
    String eokm = encryptionKey("eokm");
    String other = encryptionKey("other");
    Path enc = signedAndEncrypted();
    byte[] good = Files.readAllBytes(enc);
    Path data = tmp.resolve("data");
    Path csv = tmp.resolve("first.csv");
    Files.writeString(csv, "md5," + MD5_B + "\n");
    assertThat(run("import", "--data", data.toString(), "--list", "x", csv.toString()).exit()).isZero();
    String before = CliRun.sequenceOf(data);
    Path bad = tmp.resolve("bad.hdbrel.enc");

    byte[] flipped = good.clone();
    flipped[good.length - 20] ^= 1;
    Files.write(bad, flipped);
    CliRun tampered = run("import", "--data", data.toString(), "--release", bad.toString(), "--trust", p("sup.pub"),
        "--decrypt-key", p("eokm.key"));
    assertThat(tampered.exit()).isEqualTo(2);
    assertThat(tampered.err()).contains("encrypted release refused (bad-tag): chunk 0").contains("nothing imported");
    assertThat(tampered.out()).isEmpty();

    Files.write(bad, Arrays.copyOf(good, good.length - 1));
    CliRun truncated = run("import", "--data", data.toString(), "--release", bad.toString(), "--trust", p("sup.pub"),
        "--decrypt-key", p("eokm.key"));
    assertThat(truncated.exit()).isEqualTo(2);
    assertThat(truncated.err()).contains("encrypted release refused").contains("nothing imported");

    CliRun wrongKey = run("import", "--data", data.toString(), "--release", enc.toString(), "--trust", p("sup.pub"),
        "--decrypt-key", p("other.key"));
    assertThat(wrongKey.exit()).isEqualTo(2);
    assertThat(wrongKey.err()).contains("encrypted release refused (wrong-key): release is encrypted for key id "
        + eokm + ", the private key given is key id " + other);

    CliRun noKey = run("import", "--data", data.toString(), "--release", enc.toString(), "--trust", p("sup.pub"));
    assertThat(noKey.exit()).isEqualTo(2);
    assertThat(noKey.err()).contains("the release is encrypted; pass --decrypt-key KEYFILE");

    // Decrypts fine but the signer is not trusted: the signature check still applies.
    run("release", "keygen", "--out", p("stranger")).printedKeyId();
    CliRun untrusted = run("import", "--data", data.toString(), "--release", enc.toString(), "--trust",
        p("stranger.pub"), "--decrypt-key", p("eokm.key"));
    assertThat(untrusted.exit()).isEqualTo(2);
    assertThat(untrusted.err()).contains("release refused (unknown-key)").contains("nothing imported");

    assertThat(CliRun.sequenceOf(data)).isEqualTo(before);
    assertThat(run("lookup", "--data", data.toString(), "md5", MD5_A).out()).contains("no-match");
    try (Stream<Path> files = Files.list(data)) {
      assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".spool"));
    }

    Files.write(bad, flipped);
    CliRun dec = run("release", "decrypt", "--key", p("eokm.key"), "--out", p("never.hdbrel"), bad.toString());
    assertThat(dec.exit()).isEqualTo(2);
    assertThat(dec.err()).contains("encrypted release refused (bad-tag)").contains("nothing written");
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith("never"));
    }
    CliRun ver = run("release", "verify", "--trust", p("sup.pub"), "--decrypt-key", p("eokm.key"), bad.toString());
    assertThat(ver.exit()).isEqualTo(2);
    assertThat(ver.out()).isEmpty();
  }

  @Test
  void encryptionCommands_misuse_exit2WithReason() throws IOException {
    encryptionKey("eokm");
    Path enc = signedAndEncrypted();
    CliRun twice = run("release", "keygen-encryption", "--out", p("eokm"));
    assertThat(twice.exit()).isEqualTo(2);
    assertThat(twice.err()).contains("exists; not overwriting a key");

    CliRun notRelease = run("release", "encrypt", "--to", p("eokm.pub"), "--out", p("x.enc"), p("l.csv"));
    assertThat(notRelease.exit()).isEqualTo(2);
    assertThat(notRelease.err()).contains("is not a signed release; sign it first");
    CliRun again = run("release", "encrypt", "--to", p("eokm.pub"), "--out", p("x.enc"), enc.toString());
    assertThat(again.exit()).isEqualTo(2);
    assertThat(again.err()).contains("is already encrypted");
    CliRun chunk = run("release", "encrypt", "--to", p("eokm.pub"), "--chunk-size", "100", "--out", p("x.enc"),
        p("l.hdbrel"));
    assertThat(chunk.exit()).isEqualTo(2);
    assertThat(chunk.err()).contains("--chunk-size must be in 4096..1048576, got 100");
    CliRun toPrivate = run("release", "encrypt", "--to", p("eokm.key"), "--out", p("x.enc"), p("l.hdbrel"));
    assertThat(toPrivate.exit()).isEqualTo(2);
    assertThat(toPrivate.err()).contains("this is a private key");
    CliRun toSigningKey = run("release", "encrypt", "--to", p("sup.pub"), "--out", p("x.enc"), p("l.hdbrel"));
    assertThat(toSigningKey.exit()).isEqualTo(2);
    assertThat(toSigningKey.err()).contains("signing key, not an encryption key");
    assertThat(tmp.resolve("x.enc")).doesNotExist();

    CliRun keyWithoutRelease = run("import", "--data", p("d"), "--list", "l", "--decrypt-key", p("eokm.key"),
        p("l.csv"));
    assertThat(keyWithoutRelease.exit()).isEqualTo(2);
    assertThat(keyWithoutRelease.err()).contains("--decrypt-key is only for --release");
    CliRun verifyNoKey = run("release", "verify", "--trust", p("sup.pub"), enc.toString());
    assertThat(verifyNoKey.exit()).isEqualTo(2);
    assertThat(verifyNoKey.err()).contains("is an encrypted release; pass --decrypt-key");
    CliRun signingKeyToDecrypt = run("release", "decrypt", "--key", p("sup.key"), "--out", p("y"), enc.toString());
    assertThat(signingKeyToDecrypt.exit()).isEqualTo(2);
    assertThat(signingKeyToDecrypt.err()).contains("is not an x25519 private key file");

    Files.setPosixFilePermissions(tmp.resolve("eokm.key"), PosixFilePermissions.fromString("rw-r--r--"));
    CliRun open = run("import", "--data", p("d"), "--release", enc.toString(), "--trust", p("sup.pub"),
        "--decrypt-key", p("eokm.key"));
    assertThat(open.exit()).isEqualTo(2);
    assertThat(open.err()).contains("is readable by others");
    assertThat(tmp.resolve("d")).doesNotExist();
  }

  @Test
  void serve_badReleaseDecryptKey_exit2BeforeListening() throws IOException {
    encryptionKey("eokm");
    run("release", "keygen", "--out", p("sup")).printedKeyId();
    Files.writeString(tmp.resolve("sup.pub"), Files.readString(tmp.resolve("sup.pub")).strip() + " lists=nl\n");
    Files.setPosixFilePermissions(tmp.resolve("eokm.key"), PosixFilePermissions.fromString("rw-r--r--"));
    // Each of these fails in configuration, before a server would start (a timeout guards a regression).
    CliRun readable = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> run("serve", "--data", p("d"), "--port", "0",
        "--trust", p("sup.pub"), "--release-decrypt-key", p("eokm.key")));
    assertThat(readable.exit()).isEqualTo(2);
    assertThat(readable.err()).contains("is readable by others");
    CliRun missing = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> run("serve", "--data", p("d"), "--port", "0",
        "--trust", p("sup.pub"), "--release-decrypt-key", p("missing.key")));
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("missing.key");
    CliRun noTrust = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> run("serve", "--data", p("d"), "--port", "0",
        "--release-decrypt-key", p("eokm.key")));
    assertThat(noTrust.exit()).isEqualTo(2);
    assertThat(noTrust.err()).contains("releaseDecryptKey needs trustedKeys");
  }

  @Test
  void help_everyEncryptionCommand_describesItsOptions() {
    assertThat(run("release", "--help").out()).contains("keygen-encryption").contains("encrypt").contains("decrypt");
    assertThat(run("release", "keygen-encryption", "--help").out()).contains("--out=PREFIX").contains("X25519");
    assertThat(run("release", "encrypt", "--help").out()).contains("--to=PUBFILE").contains("--chunk-size=BYTES");
    assertThat(run("release", "decrypt", "--help").out()).contains("--key=KEYFILE").contains("--out=FILE");
    assertThat(run("import", "--help").out()).contains("--decrypt-key=KEYFILE");
    assertThat(run("serve", "--help").out()).contains("--release-decrypt-key=KEYFILE");
    assertThat(run("release", "encrypt").exit()).isEqualTo(2); // missing required options: picocli usage error
  }
}
