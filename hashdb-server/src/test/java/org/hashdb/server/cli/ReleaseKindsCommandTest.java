package org.hashdb.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hashdb.server.cli.CliRun.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code release sign --full/--delta} and {@code import --release}: a full release replaces the
 * list, a delta adds and removes, older releases and keys not allowed the list are refused.
 */
class ReleaseKindsCommandTest {
  private static final String A = "aa".repeat(32);
  private static final String B = "bb".repeat(32);
  private static final String C = "cc".repeat(32);
  private static final String D = "dd".repeat(32);

  @TempDir Path tmp;

  private String p(String name) {
    return tmp.resolve(name).toString();
  }

  private Path csv(String name, String... hashes) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String h : hashes) {
      sb.append("sha256,").append(h).append(",A1,police\n");
    }
    Path f = tmp.resolve(name);
    Files.writeString(f, sb.toString(), StandardCharsets.UTF_8);
    return f;
  }

  private CliRun sign(String out, String list, int number, String... args) {
    String[] base = {"release", "sign", "--key", p("sup.key"), "--list", list, "--release", String.valueOf(number),
        "--out", p(out)};
    String[] all = new String[base.length + args.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(args, 0, all, base.length, args.length);
    return run(all);
  }

  private CliRun importRelease(String file, String trust, String... more) {
    String[] base = {"import", "--data", p("data"), "--release", p(file), "--trust", p(trust)};
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return run(all);
  }

  private String lookup(String hash) {
    return run("lookup", "--data", p("data"), "sha256", hash).out();
  }

  @Test
  void fullThenDelta_rollbackCrossListUnscopedAndTamperedKind_refused() throws IOException {
    String id = run("release", "keygen", "--out", p("sup")).printedKeyId();
    String pubLine = Files.readString(tmp.resolve("sup.pub")).strip();
    Files.writeString(tmp.resolve("trusted.keys"), "# EOKM's suppliers\n" + pubLine + " lists=nl\n");

    // A full release, then a full release without A: A is removed from nl only.
    assertThat(sign("r1.hdbrel", "nl", 1, "--full", csv("r1.csv", A, B).toString()).out()).contains("kind:     full");
    CliRun i1 = importRelease("r1.hdbrel", "trusted.keys");
    assertThat(i1.exit()).as(i1.err()).isZero();
    assertThat(i1.out()).contains("added 2, already present 0, removed 0 (list nl, full release 1");
    assertThat(run("import", "--data", p("data"), "--list", "other", csv("o.csv", A).toString()).exit()).isZero();
    assertThat(sign("r2.hdbrel", "nl", 2, "--full", csv("r2.csv", B, C).toString()).exit()).isZero();
    CliRun i2 = importRelease("r2.hdbrel", "trusted.keys");
    assertThat(i2.out()).contains("added 1, already present 1, removed 1 (list nl, full release 2");
    assertThat(lookup(A)).contains("match list=other").doesNotContain("list=nl");
    assertThat(lookup(C)).contains("match list=nl");

    // A delta: adds D, removes B.
    CliRun s3 = sign("r3.hdbrel", "nl", 3, "--delta", "--remove", csv("rm.csv", B).toString(),
        csv("add.csv", D).toString());
    assertThat(s3.out()).contains("kind:     delta").contains("removals: 1");
    assertThat(importRelease("r3.hdbrel", "trusted.keys").out())
        .contains("added 1, already present 0, removed 1 (list nl, delta release 3");
    assertThat(lookup(B)).contains("no-match");
    assertThat(lookup(D)).contains("match list=nl");

    // Replaying release 2 (older) or 3 (equal) is refused, after a restart too (each import reopens).
    String seq = CliRun.sequenceOf(tmp.resolve("data"));
    CliRun old = importRelease("r2.hdbrel", "trusted.keys");
    assertThat(old.exit()).isEqualTo(2);
    assertThat(old.err()).contains("list nl: release 2 signed by key " + id + " is older than release 3")
        .contains("pass --allow-rollback");
    CliRun same = importRelease("r3.hdbrel", "trusted.keys");
    assertThat(same.exit()).isEqualTo(2);
    assertThat(same.err()).contains("release 3").contains("is the same as release 3");
    assertThat(CliRun.sequenceOf(tmp.resolve("data"))).isEqualTo(seq);
    assertThat(lookup(B)).contains("no-match");
    // The override brings release 2 back, and the admin audit log says so.
    CliRun forced = importRelease("r2.hdbrel", "trusted.keys", "--allow-rollback");
    assertThat(forced.exit()).as(forced.err()).isZero();
    assertThat(lookup(B)).contains("match list=nl");
    assertThat(lookup(D)).contains("no-match");
    String audit = Files.readString(tmp.resolve("data").resolve("admin-audit.jsonl"));
    assertThat(audit).contains("\"allowRollback\":true").contains("\"previousRelease\":3")
        .contains("\"kind\":\"full\"").contains("\"signer\":\"" + id + "\"");

    // A release of another list, by a key allowed nl only.
    sign("x.hdbrel", "ncmec", 9, "--full", csv("x.csv", A).toString());
    CliRun cross = importRelease("x.hdbrel", "trusted.keys");
    assertThat(cross.exit()).isEqualTo(2);
    assertThat(cross.err()).contains("release refused (list-not-allowed)").contains("'ncmec'")
        .contains("may sign only nl").contains("nothing imported");
    // The key's .pub as written by keygen: no scope, refused with how to add one.
    CliRun unscoped = importRelease("x.hdbrel", "sup.pub");
    assertThat(unscoped.exit()).isEqualTo(2);
    assertThat(unscoped.err()).contains("release refused (unscoped-key)").contains("lists=ncmec");
    // A delta passed off as a full release: the kind is signed.
    sign("d.hdbrel", "nl", 10, "--delta", csv("d.csv", C).toString());
    byte[] b = Files.readAllBytes(tmp.resolve("d.hdbrel"));
    b[10] = 1; // kind byte after magic and version: delta (2) -> full (1)
    Files.write(tmp.resolve("d-as-full.hdbrel"), b);
    CliRun tampered = importRelease("d-as-full.hdbrel", "trusted.keys");
    assertThat(tampered.exit()).isEqualTo(2);
    assertThat(tampered.err()).contains("release refused (bad-signature)");
    assertThat(lookup(B)).contains("match list=nl");
  }

  @Test
  void signMisuse_exit2() throws IOException {
    run("release", "keygen", "--out", p("sup"));
    CliRun both = sign("a.hdbrel", "nl", 1, "--full", "--delta", csv("a.csv", A).toString());
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).contains("mutually exclusive");
    CliRun fullWithRemovals = sign("a.hdbrel", "nl", 1, "--full", "--remove", csv("r.csv", B).toString(),
        csv("a.csv", A).toString());
    assertThat(fullWithRemovals.exit()).isEqualTo(2);
    assertThat(fullWithRemovals.err()).contains("--remove is for a --delta");
    CliRun rollbackWithoutRelease = run("import", "--data", p("data"), "--list", "nl", "--allow-rollback",
        csv("b.csv", A).toString());
    assertThat(rollbackWithoutRelease.exit()).isEqualTo(2);
    assertThat(rollbackWithoutRelease.err()).contains("--allow-rollback is only for --release");
  }
}
