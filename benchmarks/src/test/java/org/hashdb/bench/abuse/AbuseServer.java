package org.hashdb.bench.abuse;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.hashdb.server.auth.KeyFile;
import org.hashdb.server.auth.Role;
import org.hashdb.server.cli.ServeCommand;

/**
 * A real server process for the abuse tests: {@code ServeCommand} in a child JVM (serial GC,
 * 512 MiB heap) on a loopback port, with keys for the attacker, the well-behaved client and an
 * admin, 20,000 PDQ entries (so PDQ batches do real work) and one listed SHA-256 value.
 */
final class AbuseServer implements AutoCloseable {
  static final String MATCH_SHA256 = "5a".repeat(32);

  final Process process;
  final URI url;
  final URI adminUrl;
  final String attackKey;
  final String probeKey;

  AbuseServer(Path dir, String settings, boolean tls) throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    KeyFile kf = new KeyFile(data);
    attackKey = kf.create("attacker", Role.QUERY, null, 0);
    probeKey = kf.create("client", Role.QUERY, null, 0);
    String admin = kf.create("admin", Role.ADMIN, null, 0);
    Path config = dir.resolve("server.properties");
    Files.writeString(config, settings);
    Path portFile = dir.resolve("port");
    Path adminPortFile = dir.resolve("admin-port");
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-Xmn64m", "-XX:MinHeapFreeRatio=5",
        "-XX:MaxHeapFreeRatio=10", "-cp", System.getProperty("java.class.path"),
        ServeCommand.class.getName(), "--init", "--data", data.toString(), "--port", "0",
        "--port-file", portFile.toString(), "--admin-port", "0", "--admin-port-file",
        adminPortFile.toString(), "--config", config.toString(), "--no-fsync"));
    if (tls) {
      Path cert = dir.resolve("cert.pem");
      Path key = dir.resolve("key.pem");
      Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
          "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key.toString(), "-out",
          cert.toString(), "-days", "2", "-subj", "/CN=localhost", "-addext",
          "subjectAltName=IP:127.0.0.1,DNS:localhost").redirectErrorStream(true)
          .redirectOutput(dir.resolve("openssl.log").toFile()).start();
      if (p.waitFor() != 0) {
        throw new IllegalStateException("openssl failed: " + Files.readString(
            dir.resolve("openssl.log")));
      }
      cmd.addAll(List.of("--tls-cert", cert.toString(), "--tls-key", key.toString()));
    }
    process = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("server.log").toFile()).start();
    long deadline = System.currentTimeMillis() + 60_000;
    while (!Files.exists(portFile) || Files.readString(portFile).isBlank()) {
      if (!process.isAlive() || System.currentTimeMillis() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException("server did not start: "
            + Files.readString(dir.resolve("server.log")));
      }
      Thread.sleep(20);
    }
    int port = Integer.parseInt(Files.readString(portFile).trim());
    url = URI.create((tls ? "https" : "http") + "://127.0.0.1:" + port);
    // written before the port file; cleartext (no admin TLS here), loopback
    adminUrl = URI.create("http://127.0.0.1:" + Files.readString(adminPortFile).trim());
    seed(admin);
  }

  private void seed(String admin) throws Exception {
    HttpClient c = HttpClient.newBuilder().sslContext(AbuseTarget.trustAll())
        .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    long deadline = System.currentTimeMillis() + 60_000;
    while (true) {
      try {
        if (c.send(HttpRequest.newBuilder(url.resolve("/readyz")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          break;
        }
      } catch (IOException e) {
        if (System.currentTimeMillis() > deadline) {
          throw e;
        }
      }
      Thread.sleep(50);
    }
    HttpResponse<String> res = c.send(HttpRequest.newBuilder(adminUrl.resolve("/v1/admin/entries"))
        .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(AbuseSeed.entries(MATCH_SHA256))).build(),
        HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() != 200) {
      throw new IllegalStateException("seeding failed: " + res.body());
    }
  }

  AbuseTarget target() {
    return new AbuseTarget(url, attackKey, probeKey, MATCH_SHA256, process.pid(), null);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
