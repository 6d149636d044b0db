package org.hashdb.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encryption at rest through the command line: master-key generate, --master-key on the commands
 * that open a data directory, HASHDB_MASTER_KEY, backup/restore, refusals with exit 2 and a
 * message naming the file and what to do.
 */
class EncryptionAtRestCliTest {
  private static final String HEX =
      "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";

  @TempDir Path tmp;

  private Path importOne(Path data, String... keyArgs) throws IOException {
    Path csv = tmp.resolve("list.csv");
    Files.writeString(csv, "sha256," + HEX + ",A1\n");
    List<String> args = new ArrayList<>(List.of("import", "--data", data.toString(), "--list",
        "eokm", csv.toString()));
    args.addAll(List.of(keyArgs));
    CliRun r = CliRun.run(args.toArray(String[]::new));
    assertThat(r.exit()).as(r.err()).isZero();
    return data;
  }

  private static CliRun lookup(Path data, String... keyArgs) {
    List<String> args = new ArrayList<>(List.of("lookup", "--data", data.toString()));
    args.addAll(List.of(keyArgs));
    args.addAll(List.of("sha256", HEX));
    return CliRun.run(args.toArray(String[]::new));
  }

  @Test
  void generate_createsMode600_refusesOverwrite() throws IOException {
    Path key = tmp.resolve("master.key");
    CliRun r = CliRun.run("master-key", "generate", "--out", key.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("wrote master key k-");
    assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    String before = Files.readString(key);
    CliRun again = CliRun.run("master-key", "generate", "--out", key.toString());
    assertThat(again.exit()).isEqualTo(2);
    assertThat(again.err()).contains("refusing to overwrite");
    assertThat(Files.readString(key)).isEqualTo(before);
  }

  @Test
  void encryptedDirectory_offlineCommands_needTheKey() throws IOException {
    Path key = tmp.resolve("master.key");
    assertThat(CliRun.run("master-key", "generate", "--out", key.toString()).exit()).isZero();
    Path data = importOne(tmp.resolve("data"), "--master-key", key.toString());

    CliRun with = lookup(data, "--master-key", key.toString());
    assertThat(with.exit()).as(with.err()).isZero();
    assertThat(with.out()).contains("eokm");
    CliRun stats = CliRun.run("stats", "--data", data.toString(), "--master-key", key.toString());
    assertThat(stats.exit()).as(stats.err()).isZero();

    CliRun without = lookup(data);
    assertThat(without.exit()).isEqualTo(2);
    assertThat(without.err()).contains(data.toString()).contains("is encrypted")
        .contains("--master-key").doesNotContain("Exception");

    Path other = tmp.resolve("other.key");
    assertThat(CliRun.run("master-key", "generate", "--out", other.toString()).exit()).isZero();
    CliRun wrong = lookup(data, "--master-key", other.toString());
    assertThat(wrong.exit()).isEqualTo(2);
    assertThat(wrong.err()).contains("was written under master key").contains("--old-master-key");
  }

  @Test
  void keyFileReadableByGroup_refusedWithChmodAdvice() throws IOException {
    Path key = tmp.resolve("master.key");
    assertThat(CliRun.run("master-key", "generate", "--out", key.toString()).exit()).isZero();
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    Path csv = tmp.resolve("l.csv");
    Files.writeString(csv, "sha256," + HEX + "\n");
    CliRun r = CliRun.run("import", "--data", tmp.resolve("d").toString(), "--list", "x",
        "--master-key", key.toString(), csv.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("chmod 600 " + key);
    assertThat(tmp.resolve("d").resolve("wal-00000000000000000001.log")).doesNotExist();
  }

  @Test
  void backupAndRestore_ofEncryptedDirectory_keepFilesEncrypted() throws IOException {
    Path key = tmp.resolve("master.key");
    assertThat(CliRun.run("master-key", "generate", "--out", key.toString()).exit()).isZero();
    Path data = importOne(tmp.resolve("data"), "--master-key", key.toString());
    Path backup = tmp.resolve("b.backup");
    CliRun b = CliRun.run("backup", "--data", data.toString(), "--out", backup.toString(),
        "--master-key", key.toString());
    assertThat(b.exit()).as(b.err()).isZero();
    // the archive stores the snapshot as is: encrypted, so the hash is nowhere in clear
    String raw = new String(Files.readAllBytes(backup), StandardCharsets.ISO_8859_1);
    assertThat(raw).contains("HDBX").doesNotContain("eokm");

    CliRun noKey = CliRun.run("restore", backup.toString(), "--data", tmp.resolve("r1").toString());
    assertThat(noKey.exit()).isEqualTo(2);
    assertThat(noKey.err()).contains("is encrypted");

    Path restored = tmp.resolve("r2");
    CliRun r = CliRun.run("restore", backup.toString(), "--data", restored.toString(),
        "--master-key", key.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    CliRun l = lookup(restored, "--master-key", key.toString());
    assertThat(l.exit()).as(l.err()).isZero();
    assertThat(l.out()).contains("eokm");
  }

  @Test
  void plaintextDirectory_withKey_isMigrated() throws IOException {
    Path key = tmp.resolve("master.key");
    assertThat(CliRun.run("master-key", "generate", "--out", key.toString()).exit()).isZero();
    Path data = importOne(tmp.resolve("data"));
    CliRun migrate = CliRun.run("stats", "--data", data.toString(), "--master-key", key.toString());
    assertThat(migrate.exit()).as(migrate.err()).isZero();
    assertThat(lookup(data).exit()).isEqualTo(2); // nothing plaintext is left
    assertThat(lookup(data, "--master-key", key.toString()).out()).contains("eokm");
  }

  @Test
  void rotation_withOldMasterKey_thenNewKeyAlone() throws IOException {
    Path oldKey = tmp.resolve("old.key");
    Path newKey = tmp.resolve("new.key");
    assertThat(CliRun.run("master-key", "generate", "--out", oldKey.toString()).exit()).isZero();
    assertThat(CliRun.run("master-key", "generate", "--out", newKey.toString()).exit()).isZero();
    Path data = importOne(tmp.resolve("data"), "--master-key", oldKey.toString());
    assertThat(lookup(data, "--master-key", newKey.toString()).exit()).isEqualTo(2);
    CliRun rotate = CliRun.run("stats", "--data", data.toString(), "--master-key", newKey.toString(),
        "--old-master-key", oldKey.toString());
    assertThat(rotate.exit()).as(rotate.err()).isZero();
    CliRun after = lookup(data, "--master-key", newKey.toString());
    assertThat(after.exit()).as(after.err()).isZero();
    assertThat(after.out()).contains("eokm");
    assertThat(lookup(data, "--master-key", oldKey.toString()).exit()).isEqualTo(2);
  }

  @Test
  void environmentForm_HASHDB_MASTER_KEY() throws Exception {
    Path key = tmp.resolve("master.key");
    assertThat(CliRun.run("master-key", "generate", "--out", key.toString()).exit()).isZero();
    Path data = importOne(tmp.resolve("data"), "--master-key", key.toString());
    Child c = Child.run(tmp, Map.of("HASHDB_MASTER_KEY", key.toString()),
        "lookup", "--data", data.toString(), "sha256", HEX);
    assertThat(c.exit).as(c.err).isZero();
    assertThat(c.out).contains("eokm");
    Child none = Child.run(tmp, Map.of(), "lookup", "--data", data.toString(), "sha256", HEX);
    assertThat(none.exit).isEqualTo(2);
    assertThat(none.err).contains("is encrypted");
  }

  /** {@code hashdb} in a child JVM with extra environment variables. */
  record Child(int exit, String out, String err) {
    static Child run(Path tmp, Map<String, String> env, String... args) throws Exception {
      List<String> cmd = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
          HashDbCommand.class.getName()));
      cmd.addAll(List.of(args));
      Path out = Files.createTempFile(tmp, "out", ".txt");
      Path err = Files.createTempFile(tmp, "err", ".txt");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.environment().remove("HASHDB_MASTER_KEY");
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("hashdb " + String.join(" ", args) + " did not finish");
      }
      return new Child(p.exitValue(), Files.readString(out), Files.readString(err));
    }
  }
}
