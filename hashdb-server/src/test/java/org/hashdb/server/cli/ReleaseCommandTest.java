package org.hashdb.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hashdb release keygen/sign/verify and import --release, through the real command line. */
class ReleaseCommandTest {
  private static final String MD5_A = "d41d8cd98f00b204e9800998ecf8427e";
  private static final String MD5_B = "0cc175b9c0f1b6a831c399e269772661";
  private static final String SHA1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
  private static final String PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";

  @TempDir Path tmp;

  private static CliRun run(String... args) {
    return CliRun.run(args);
  }

  /** A key pair; its .pub is scoped to every list, as an operator's trust file line must be. */
  private String keygen(String name) throws IOException {
    String prefix = tmp.resolve(name).toString();
    String id = run("release", "keygen", "--out", prefix).printedKeyId();
    Path pub = tmp.resolve(name + ".pub");
    Files.writeString(pub, Files.readString(pub).strip() + " lists=*\n");
    return id;
  }

  private Path csv(String name, String text) throws IOException {
    Path p = tmp.resolve(name);
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  @Test
  void keygenSignVerifyImport_endToEnd_lookupFindsEntries() throws IOException {
    String keyId = keygen("eokm");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("eokm.key")))).isEqualTo("rw-------");
    assertThat(Files.readString(tmp.resolve("eokm.pub"))).startsWith("ed25519:").contains(" eokm");
    Path list = csv("list.csv", "type,hash,category,source\nmd5," + MD5_A + ",A1,police\nsha1," + SHA1
        + ",\"B1, extra\",\npdq," + PDQ + ",A1,,100\n");
    Path rel = tmp.resolve("eokm-nl-7.hdbrel");
    CliRun sign = run("release", "sign", "--key", tmp.resolve("eokm.key").toString(), "--list", "eokm-nl",
        "--release", "7", list.toString(), "--out", rel.toString());
    assertThat(sign.exit()).as(sign.err()).isZero();
    assertThat(sign.out()).contains("entries:  3").contains("key id:   " + keyId);

    CliRun verify = run("release", "verify", "--trust", tmp.resolve("eokm.pub").toString(), rel.toString());
    assertThat(verify.exit()).as(verify.err()).isZero();
    assertThat(verify.out()).contains("list:     eokm-nl").contains("release:  7").contains("entries:  3")
        .contains("signed by: " + keyId + " (eokm)").contains("OK");

    Path data = tmp.resolve("data");
    CliRun imp = run("import", "--data", data.toString(), "--release", rel.toString(),
        "--trust", tmp.resolve("eokm.pub").toString());
    assertThat(imp.exit()).as(imp.err()).isZero();
    assertThat(imp.err()).contains("verified delta release 7 of list eokm-nl (3 entries, 0 removals), signed by " + keyId);
    assertThat(imp.out()).contains("added 3, already present 0, removed 0 (list eokm-nl, delta release 7");

    CliRun look = run("lookup", "--data", data.toString(), "md5", MD5_A, MD5_B);
    assertThat(look.out()).contains(MD5_A + " match list=eokm-nl category=A1").contains(MD5_B + " no-match");
    assertThat(run("lookup", "--data", data.toString(), "sha1", SHA1).out())
        .contains("match list=eokm-nl category=B1, extra");
    assertThat(run("lookup", "--data", data.toString(), "pdq", PDQ).out()).contains("match list=eokm-nl");

    CliRun again = run("import", "--data", data.toString(), "--list", "eokm-nl", "--release", rel.toString(),
        "--trust", tmp.resolve("eokm.pub").toString());
    assertThat(again.exit()).isEqualTo(2);
    assertThat(again.err()).contains("list eokm-nl: release 7 signed by key " + keyId
        + " is the same as release 7").contains("--allow-rollback");
    CliRun forced = run("import", "--data", data.toString(), "--list", "eokm-nl", "--release", rel.toString(),
        "--trust", tmp.resolve("eokm.pub").toString(), "--allow-rollback");
    assertThat(forced.out()).contains("added 0, already present 3");
    try (Stream<Path> files = Files.list(data)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".spool"));
    }
  }

  @Test
  void importRelease_tamperedUntrustedOrOtherList_exit2AndDatabaseUnchanged() throws IOException {
    keygen("a");
    String idB = keygen("b");
    String idA = keygen("a2");
    Path data = tmp.resolve("data");
    Path first = csv("first.csv", "md5," + MD5_A + ",A1\n");
    Path firstRel = tmp.resolve("first.hdbrel");
    assertThat(run("release", "sign", "--key", tmp.resolve("a2.key").toString(), "--list", "l", "--release", "1",
        first.toString(), "--out", firstRel.toString()).exit()).isZero();
    String pubA = tmp.resolve("a2.pub").toString();
    assertThat(run("import", "--data", data.toString(), "--release", firstRel.toString(), "--trust", pubA).exit()).isZero();
    String before = CliRun.sequenceOf(data);

    Path second = csv("second.csv", "md5," + MD5_B + ",A1\nsha1," + SHA1 + ",B1\n");
    Path rel = tmp.resolve("second.hdbrel");
    assertThat(run("release", "sign", "--key", tmp.resolve("a2.key").toString(), "--list", "l", "--release", "2",
        second.toString(), "--out", rel.toString()).exit()).isZero();
    byte[] good = Files.readAllBytes(rel);

    // One flipped payload byte: the hash of the first row still parses, the digest does not match.
    byte[] bad = good.clone();
    int at = new String(good, StandardCharsets.ISO_8859_1).indexOf(MD5_B) + 5;
    bad[at] = (byte) (bad[at] == 'a' ? 'b' : 'a');
    Path tampered = tmp.resolve("tampered.hdbrel");
    Files.write(tampered, bad);
    CliRun imp = run("import", "--data", data.toString(), "--release", tampered.toString(), "--trust", pubA);
    assertThat(imp.exit()).isEqualTo(2);
    assertThat(imp.err()).contains("release refused (digest-mismatch)").contains("nothing imported");
    CliRun ver = run("release", "verify", "--trust", pubA, tampered.toString());
    assertThat(ver.exit()).isEqualTo(2);
    assertThat(ver.out()).isEmpty();

    // Truncated.
    Files.write(tampered, java.util.Arrays.copyOf(good, good.length - 1));
    assertThat(run("import", "--data", data.toString(), "--release", tampered.toString(), "--trust", pubA).err())
        .contains("release refused (truncated)");

    // Signed by a, only b trusted.
    CliRun untrusted = run("import", "--data", data.toString(), "--release", rel.toString(),
        "--trust", tmp.resolve("b.pub").toString());
    assertThat(untrusted.exit()).isEqualTo(2);
    assertThat(untrusted.err()).contains("release refused (unknown-key)").contains("signed by key " + idA)
        .contains(idB);

    // Another list than the operator expects.
    CliRun other = run("import", "--data", data.toString(), "--list", "m", "--release", rel.toString(), "--trust", pubA);
    assertThat(other.exit()).isEqualTo(2);
    assertThat(other.err()).contains("release is of list 'l', not 'm'; nothing imported");

    assertThat(CliRun.sequenceOf(data)).isEqualTo(before);
    assertThat(run("lookup", "--data", data.toString(), "md5", MD5_B).out()).contains("no-match");
    assertThat(run("lookup", "--data", data.toString(), "md5", MD5_A).out()).contains("match list=l");
    try (Stream<Path> files = Files.list(data)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".spool"));
    }

    // The untampered release goes in.
    CliRun ok = run("import", "--data", data.toString(), "--release", rel.toString(), "--trust",
        tmp.resolve("b.pub").toString(), "--trust", pubA);
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("added 2");
  }

  @Test
  void releaseCommands_misuse_exit2WithReason() throws IOException {
    keygen("k");
    CliRun twice = run("release", "keygen", "--out", tmp.resolve("k").toString());
    assertThat(twice.exit()).isEqualTo(2);
    assertThat(twice.err()).contains("exists; not overwriting a key");

    Path bad = csv("bad.csv", "md5," + MD5_A + "\nmd5,nothex\n");
    Path out = tmp.resolve("bad.hdbrel");
    CliRun sign = run("release", "sign", "--key", tmp.resolve("k.key").toString(), "--list", "l", bad.toString(),
        "--out", out.toString());
    assertThat(sign.exit()).isEqualTo(2);
    assertThat(sign.err()).contains("line 2:").contains("1 bad line; release not written");
    assertThat(out).doesNotExist();

    CliRun signWithPub = run("release", "sign", "--key", tmp.resolve("k.pub").toString(), "--list", "l",
        csv("ok.csv", "md5," + MD5_A + "\n").toString(), "--out", out.toString());
    assertThat(signWithPub.exit()).isEqualTo(2);

    Path data = tmp.resolve("d");
    CliRun noTrust = run("import", "--data", data.toString(), "--release", out.toString());
    assertThat(noTrust.err()).contains("--release needs --trust");
    CliRun both = run("import", "--data", data.toString(), "--release", out.toString(), "--trust",
        tmp.resolve("k.pub").toString(), bad.toString());
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).contains("--release takes no list FILE");
    CliRun trustWithoutRelease = run("import", "--data", data.toString(), "--list", "l", "--trust",
        tmp.resolve("k.pub").toString(), bad.toString());
    assertThat(trustWithoutRelease.err()).contains("--trust is only for --release");
    CliRun privateAsTrust = run("release", "verify", "--trust", tmp.resolve("k.key").toString(), out.toString());
    assertThat(privateAsTrust.exit()).isEqualTo(2);
    assertThat(privateAsTrust.err()).contains("this is a private key");
  }
}
