package org.hashdb.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hashdb.server.cli.CliRun.run;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands that read a data directory refuse a missing or empty one (exit 2) and create nothing. */
class DataDirectoryRequiredTest {
  @TempDir Path tmp;

  @Test
  void lookup_missingDirectory_exit2AndNothingCreated() {
    Path typo = tmp.resolve("typo");
    CliRun r = run("lookup", "--data", typo.toString(), "md5", "d41d8cd98f00b204e9800998ecf8427e");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).doesNotContain("no-match");
    assertThat(r.err()).contains("no HashDB database in " + typo).contains("does not exist");
    assertThat(typo).doesNotExist();
  }

  @Test
  void stats_emptyDirectory_exit2AndLeftEmpty() throws Exception {
    Path empty = Files.createDirectory(tmp.resolve("empty"));
    CliRun r = run("stats", "--data", empty.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("holds no snapshot and no write-ahead log").contains("hashdb import");
    try (var files = Files.list(empty)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void serve_withoutInit_refusesMissingDirectoryBeforeListening() {
    Path typo = tmp.resolve("typo");
    CliRun r = run("serve", "--data", typo.toString(), "--port", "0");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("no HashDB database in " + typo).contains("serve --init");
    assertThat(typo).doesNotExist();
  }

  @Test
  void serveInit_createsAnEmptyDatabaseThatLookupThenReads() throws Exception {
    Path data = tmp.resolve("fresh");
    try (ServerProcess sp = ServerProcess.start(tmp, "--init", "--data", data.toString())) {
      sp.process.destroy(); // SIGTERM: graceful stop
      sp.process.waitFor();
    }
    CliRun r = run("lookup", "--data", data.toString(), "md5", "d41d8cd98f00b204e9800998ecf8427e");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("no-match");
  }

  @Test
  void importAndKeysCreate_mayCreateTheDirectory() throws Exception {
    Path list = tmp.resolve("list.csv");
    Files.writeString(list, "md5,d41d8cd98f00b204e9800998ecf8427e\n");
    Path data = tmp.resolve("new");
    assertThat(run("import", "--data", data.toString(), "--list", "l", list.toString()).exit()).isZero();
    assertThat(run("lookup", "--data", data.toString(), "md5", "d41d8cd98f00b204e9800998ecf8427e").out())
        .contains("match list=l");
    Path keysOnly = tmp.resolve("keys-only");
    assertThat(run("keys", "create", "--data", keysOnly.toString(), "--role", "query", "--name", "a", "--lists", "l").exit()).isZero();
    assertThat(keysOnly.resolve("keys.json")).exists();
  }

  @Test
  void keysCreateHelp_saysItWorksWhileAServerRuns() {
    CliRun r = run("keys", "create", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("Not locked").contains("while a server runs").doesNotContain("Locked while in use");
  }
}
