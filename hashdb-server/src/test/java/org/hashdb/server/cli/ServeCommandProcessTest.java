package org.hashdb.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} as a real process: demo output, key changes while running, SIGTERM exit 0. */
class ServeCommandProcessTest {
  @TempDir Path dir;

  @Test
  void demo_printsWorkingKeys_seesNewKeys_sigtermExits0() throws Exception {
    Path data = dir.resolve("data");
    try (ServerProcess sp = ServerProcess.start(dir, "--demo", "--data", data.toString(),
        "--synthetic", "1000")) {
      String out = Files.readString(sp.stdout);
      Matcher q = Pattern.compile("query key: (hdb_\\S+)").matcher(out);
      assertThat(q.find()).as(out).isTrue();
      Matcher curl = Pattern.compile("curl -s -H 'Authorization: Bearer (\\S+)' (\\S+/v1/hashes/sha256/[0-9a-f]{64})").matcher(out);
      assertThat(curl.find()).as(out).isTrue();
      HttpClient c = HttpClient.newHttpClient();
      HttpResponse<String> r = c.send(HttpRequest.newBuilder(java.net.URI.create(curl.group(2)))
          .header("Authorization", "Bearer " + curl.group(1)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("\"match\":true").contains("\"list\":\"demo\"");

      // a key created by the keys command while the server runs works within a few seconds
      java.io.StringWriter sw = new java.io.StringWriter();
      picocli.CommandLine cl = new picocli.CommandLine(new KeysCommand());
      cl.setOut(new java.io.PrintWriter(sw));
      cl.setErr(new java.io.PrintWriter(new java.io.StringWriter()));
      assertThat(cl.execute("create", "--data", data.toString(), "--role", "query", "--name",
          "late", "--all-lists")).isZero();
      String late = sw.toString().trim();
      assertThat(late).startsWith("hdb_").doesNotContain("\n");
      long deadline = System.currentTimeMillis() + 10_000;
      int status = 0;
      while (System.currentTimeMillis() < deadline && status != 200) {
        status = c.send(HttpRequest.newBuilder(sp.uri("/v1/hashes/md5/" + "00".repeat(16)))
            .header("Authorization", "Bearer " + late).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode();
        Thread.sleep(200);
      }
      assertThat(status).isEqualTo(200);

      // SIGTERM while a request is in flight: it is answered, then exit 0
      CompletableFuture<HttpResponse<String>> inflight = c.sendAsync(
          HttpRequest.newBuilder(sp.uri("/v1/admin/stats"))
              .header("Authorization", "Bearer " + q.group(1)).build(),
          HttpResponse.BodyHandlers.ofString());
      inflight.get(10, TimeUnit.SECONDS);
      sp.process.destroy();
      assertThat(sp.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(sp.process.exitValue()).as(Files.readString(sp.stderr)).isZero();
      String log = Files.readString(sp.stderr);
      assertThat(log).contains("HashDB listening on http://127.0.0.1:" + sp.port)
          .contains("database ready").contains("HashDB stopped")
          .contains("HashDB admin listening on http://127.0.0.1:" + sp.adminPort + " (HTTP/1.1)")
          // the start-up log names the settings that differ from defaults
          .contains(" INFO settings: port=0, adminPort=0\n");
    }
  }

  @Test
  void keys_listAndRevoke_neverPrintSecrets() throws Exception {
    java.io.StringWriter out = new java.io.StringWriter();
    picocli.CommandLine cl = new picocli.CommandLine(new KeysCommand());
    cl.setOut(new java.io.PrintWriter(out, true));
    cl.setErr(new java.io.PrintWriter(new java.io.StringWriter(), true));
    assertThat(cl.execute("create", "--data", dir.toString(), "--role", "query", "--name", "r1",
        "--lists", "a,b", "--rate", "10")).isZero();
    String key = out.toString().trim();
    out.getBuffer().setLength(0);
    assertThat(cl.execute("list", "--data", dir.toString())).isZero();
    assertThat(out.toString()).contains("r1\tquery\ta,b\t10/s").doesNotContain(key.substring(21));
    assertThat(cl.execute("revoke", "--data", dir.toString(), "r1")).isZero();
    assertThat(cl.execute("revoke", "--data", dir.toString(), "r1")).isEqualTo(2);
    assertThat(cl.execute("create", "--data", dir.toString(), "--role", "root", "--name", "x"))
        .isEqualTo(2);
  }

  /** {@code keys revoke} on a running server: refused within the reload interval (1 s here). */
  @Test
  void revoke_takesEffectOnARunningServerWithinTheReloadInterval() throws Exception {
    Path data = dir.resolve("data");
    Path config = dir.resolve("server.properties");
    Files.writeString(config, "keysReloadMillis=1000\nwarmupRequests=0\npsi.enabled=false\n");
    java.io.StringWriter out = new java.io.StringWriter();
    picocli.CommandLine keys = new picocli.CommandLine(new KeysCommand());
    keys.setOut(new java.io.PrintWriter(out, true));
    keys.setErr(new java.io.PrintWriter(new java.io.StringWriter(), true));
    assertThat(keys.execute("create", "--data", data.toString(), "--role", "query", "--name",
        "hoster", "--lists", "l")).isZero();
    String key = out.toString().trim();
    try (ServerProcess sp = ServerProcess.start(dir, "--init", "--data", data.toString(),
        "--config", config.toString())) {
      HttpClient c = HttpClient.newHttpClient();
      HttpRequest lookup = HttpRequest.newBuilder(sp.uri("/v1/hashes/md5/" + "00".repeat(16)))
          .header("Authorization", "Bearer " + key).build();
      assertThat(c.send(lookup, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
      assertThat(keys.execute("revoke", "--data", data.toString(), "hoster")).isZero();
      long revoked = System.nanoTime();
      int status = 200;
      while (status == 200 && System.nanoTime() - revoked < TimeUnit.SECONDS.toNanos(10)) {
        status = c.send(lookup, HttpResponse.BodyHandlers.discarding()).statusCode();
        Thread.sleep(20);
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - revoked);
      assertThat(status).isEqualTo(401);
      // one interval, plus the poll's own sleep and a loaded machine's scheduling delays
      assertThat(millis).as("revocation took " + millis + " ms").isLessThan(1000 + 1500);
    }
  }
}
