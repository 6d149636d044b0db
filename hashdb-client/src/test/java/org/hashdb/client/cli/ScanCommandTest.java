package org.hashdb.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Random;
import org.hashdb.client.FakeApiServer;
import org.hashdb.core.hash.HashType;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import org.hashdb.testing.TestRandom;

class ScanCommandTest {
  @TempDir Path tmp;
  @AutoClose private final FakeApiServer server = FakeApiServer.start();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private Map<String, String> env = Map.of(ScanCommand.KEY_ENV, FakeApiServer.KEY);
  private final Random random = TestRandom.random(5);


  private int run(String... args) {
    ScanCommand cmd = new ScanCommand();
    cmd.env = env::get;
    return new CommandLine(cmd).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
  }

  private Path tree(int files, int planted) throws Exception {
    Path root = Files.createDirectories(tmp.resolve("tree"));
    for (int i = 0; i < files; i++) {
      byte[] b = new byte[100 + random.nextInt(5000)];
      random.nextBytes(b);
      Path f = root.resolve("f" + i + ".dat");
      Files.write(f, b);
      if (i < planted) {
        server.list(HashType.SHA256, MessageDigest.getInstance("SHA-256").digest(b));
      }
    }
    return root;
  }

  @Test
  void call_plantedFilesOnServer_printsMatchesWritesReportExitsOne() throws Exception {
    Path root = tree(30, 2);
    Path report = tmp.resolve("report.json");
    int code = run(root.toString(), "--server", server.url(), "--types", "md5,sha256", "--report", report.toString(),
        "--threads", "2");
    assertThat(code).as(err.toString()).isEqualTo(1);
    assertThat(out.toString()).contains(root.resolve("f0.dat") + ": MATCH sha256").contains(root.resolve("f1.dat") + ": MATCH sha256")
        .doesNotContain("f2.dat").contains("Files checked: 30").contains("Matches: 2 in 2 files");
    String json = Files.readString(report);
    assertThat(json).contains("\"matchedFiles\" : 2").contains("\"exitCode\" : 1").contains("f0.dat");
    assertThat(server.received).allSatisfy(r -> assertThat(r.headers().get("Authorization")).containsExactly("Bearer " + FakeApiServer.KEY));
  }

  @Test
  void call_cleanTree_csvReportExitsZero() throws Exception {
    Path root = tree(5, 0);
    Path report = tmp.resolve("r.csv");
    assertThat(run(root.toString(), "--server", server.url(), "--types", "sha1", "--report", report.toString())).isZero();
    assertThat(Files.readAllLines(report)).startsWith("kind,path,path_uri,size,type,hash,list,category,distance,entry,message")
        .contains("summary,files,,,,,,,,,5", "summary,complete,,,,,,,,,true", "summary,exitCode,,,,,,,,,0")
        .noneMatch(l -> l.startsWith("match,") || l.startsWith("error,"));
  }

  @Test
  void call_keyFromFile_isUsedInsteadOfEnvironment() throws Exception {
    Path root = tree(1, 1);
    Path keyFile = tmp.resolve("key");
    Files.writeString(keyFile, FakeApiServer.KEY + "\n");
    env = Map.of();
    assertThat(run(root.toString(), "--server", server.url(), "--key-file", keyFile.toString(), "--types", "sha256")).isEqualTo(1);
  }

  @Test
  void call_noKeyAnywhere_isUsageErrorExitTwo() throws Exception {
    env = Map.of();
    assertThat(run(tree(1, 0).toString(), "--server", server.url())).isEqualTo(2);
    assertThat(err.toString()).contains("needs an API key");
    assertThat(server.received).isEmpty();
  }

  @Test
  void call_serverAndDataTogether_isUsageError() throws Exception {
    assertThat(run(tree(1, 0).toString(), "--server", server.url(), "--data", tmp.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("mutually exclusive");
  }

  @Test
  void call_wrongKey_exitsTwoBeforeHashingAnything() throws Exception {
    env = Map.of(ScanCommand.KEY_ENV, "wrong-key");
    assertThat(run(tree(3, 0).toString(), "--server", server.url(), "--types", "md5")).isEqualTo(2);
    assertThat(err.toString()).contains("cannot use").contains("401");
    assertThat(out.toString()).doesNotContain("SCAN SUMMARY");
    assertThat(server.received).hasSize(1); // the preflight lookup only
  }

  @Test
  void call_serverFailsMidScan_reportsIncompleteAndExitsTwo() throws Exception {
    Path root = tree(20, 0);
    server.enqueue(200, "{\"results\":[{\"match\":false,\"matches\":[]}]}", Map.of()); // preflight (a one-query POST /v1/lookup)
    for (int i = 0; i < 100; i++) { // more than every batch's every attempt
      server.enqueueError(503, "unavailable", "going down", Map.of());
    }
    Path report = tmp.resolve("partial.json");
    int code = run(root.toString(), "--server", server.url(), "--types", "md5", "--batch-size", "5", "--report", report.toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("lookup failed").contains("503");
    assertThat(out.toString()).contains("Incomplete");
    assertThat(Files.readString(report)).contains("\"failure\"").contains("\"exitCode\" : 2");
  }

  @Test
  void call_serverDown_exitsTwo() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    assertThat(run(tree(2, 0).toString(), "--server", "http://127.0.0.1:" + port, "--types", "md5")).isEqualTo(2);
    assertThat(err.toString()).contains("cannot use").contains("attempt");
  }

  @Test
  void call_embeddedDataDirectoryWithCache_rescanHashesNothingUnchanged() throws Exception {
    Path root = tmp.resolve("files");
    Files.createDirectories(root.resolve("sub"));
    byte[] listed = "known content".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Files.write(root.resolve("sub/copy.txt"), listed);
    Files.writeString(root.resolve("other.txt"), "unrelated");
    Path data = tmp.resolve("data");
    try (org.hashdb.core.db.HashDatabase db = org.hashdb.core.db.HashDatabase.open(data)) {
      db.add(java.util.List.of(new org.hashdb.core.db.NewEntry(HashType.MD5,
          MessageDigest.getInstance("MD5").digest(listed), "test", "A1", "unit")));
    }
    Path cache = tmp.resolve("scan.cache");
    String[] args = {root.toString(), "--data", data.toString(), "--types", "md5,sha1", "--cache", cache.toString()};
    assertThat(run(args)).as(err.toString()).isEqualTo(1);
    assertThat(out.toString()).contains("copy.txt: MATCH md5").contains("category=A1").contains("hashed 2, unchanged from cache 0");
    out.getBuffer().setLength(0);
    assertThat(run(args)).isEqualTo(1);
    assertThat(out.toString()).contains("hashed 0, unchanged from cache 2").contains("Matches: 1 in 1 files");
  }

  @Test
  void call_keyWithData_isUsageError() throws Exception {
    assertThat(run(tree(1, 0).toString(), "--data", tmp.resolve("d").toString(), "--key", "x")).isEqualTo(2);
    assertThat(err.toString()).contains("--key");
  }

  @Test
  void call_unknownType_isUsageErrorNamingOption() throws Exception {
    assertThat(run(tree(1, 0).toString(), "--server", server.url(), "--types", "crc32")).isEqualTo(2);
    assertThat(err.toString()).contains("--types").contains("crc32");
  }

  @Test
  void call_dataDirectoryMistyped_exitsTwoCreatesNothingAndNeverSaysClean() throws Exception {
    Path typo = tmp.resolve("typo");
    assertThat(run(tree(2, 0).toString(), "--data", typo.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("no HashDB database in " + typo).contains("does not exist");
    assertThat(out.toString()).doesNotContain("Matches: 0");
    assertThat(typo).doesNotExist();
  }

  @Test
  void call_missingRootBesideAGoodOne_exitsTwoAndSaysSo() throws Exception {
    Path root = tree(3, 0);
    Path report = tmp.resolve("r.json");
    int code = run(root.toString(), tmp.resolve("gone").toString(), "--server", server.url(), "--types", "md5",
        "--report", report.toString());
    assertThat(code).isEqualTo(2);
    assertThat(out.toString()).contains("Files checked: 3").contains("Errors: 1").contains("NOT EVERYTHING WAS CHECKED (exit 2)");
    assertThat(err.toString()).contains("gone: ERROR");
    assertThat(Files.readString(report)).contains("\"errors\" : 1").contains("\"exitCode\" : 2");
  }

  @Test
  void call_matchAndError_exitsOneAndCountsTheErrors() throws Exception {
    Path root = tree(3, 1);
    int code = run(root.toString(), tmp.resolve("gone").toString(), "--server", server.url(), "--types", "sha256");
    assertThat(code).isEqualTo(1);
    assertThat(out.toString()).contains("Errors: 1").contains("MATCHES FOUND (exit 1); also 1 errors");
  }

  @Test
  void call_symlinksAndExclusions_areExplainedInTheSummary() throws Exception {
    Path root = tree(2, 0);
    Files.createSymbolicLink(root.resolve("link"), root.resolve("f0.dat"));
    Files.writeString(root.resolve("x.log"), "log");
    assertThat(run(root.toString(), "--server", server.url(), "--types", "md5", "--exclude", "*.log")).isZero();
    assertThat(out.toString()).contains("Skipped: 2 (")
        .contains("1 symbolic link, not followed (--follow-symlinks follows links)")
        .contains("1 excluded by --exclude").contains("clean: every file checked, no match (exit 0)");
    assertThat(err.toString()).contains("link: SKIPPED symbolic link");
  }

  @Test
  void call_firstUrlDead_failsOverAndChecksTheTree() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String dead = "http://127.0.0.1:" + port;
    Path root = tree(20, 2);
    assertThat(run(root.toString(), "--server", dead + "," + server.url(), "--types", "sha256", "--batch-size", "3"))
        .as(err.toString()).isEqualTo(1);
    assertThat(out.toString()).contains("Files checked: 20").contains("Matches: 2 in 2 files");
    out.getBuffer().setLength(0);
    // the same, repeating --url (an alias of --server)
    assertThat(run(root.toString(), "--url", dead, "--url", server.url(), "--types", "sha256")).as(err.toString()).isEqualTo(1);
    assertThat(out.toString()).contains("Matches: 2 in 2 files");
  }

  @Test
  void call_clientCertificateOptions_misused_areUsageErrors() throws Exception {
    Path root = tree(1, 0);
    Path p12 = Files.write(tmp.resolve("c.p12"), new byte[] {0x30, 0x01, 0x02});
    assertThat(run(root.toString(), "--server", server.url(), "--client-cert", p12.toString())).isEqualTo(2);
    assertThat(err.toString()).contains(ClientTlsOptions.PASSWORD_ENV);
    Path pem = Files.writeString(tmp.resolve("c.pem"), "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
    assertThat(run(root.toString(), "--server", server.url(), "--client-cert", pem.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--client-key");
    assertThat(run(root.toString(), "--data", tmp.toString(), "--client-cert", pem.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("go with --server");
    assertThat(server.received).isEmpty();
  }

  @Test
  void help_documentsFailoverAndClientCertificates() {
    StringWriter help = new StringWriter();
    new CommandLine(new ScanCommand()).usage(new PrintWriter(help));
    assertThat(help.toString()).contains("--url, --server=URL[,URL...]").contains("Repeat it or separate URLs")
        .contains("--client-cert=FILE").contains("--client-key=FILE").contains("--client-cert-password-file")
        .contains(ClientTlsOptions.PASSWORD_ENV).contains("inode");
  }

  @Test
  void help_documentsEveryExitCode() {
    StringWriter help = new StringWriter();
    new CommandLine(new ScanCommand()).usage(new PrintWriter(help));
    assertThat(help.toString()).contains("Exit codes").contains("0   every file was checked and none matched")
        .contains("1   something matched").contains("2   nothing matched, but something could not be checked")
        .contains("SIGINT");
  }
}
