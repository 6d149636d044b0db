package org.hashdb.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hashdb.server.audit.AdminAuditLog;
import org.hashdb.server.audit.AuditLog;
import org.hashdb.server.auth.KeyFile;
import org.hashdb.server.auth.Role;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An audit flood against a real server process: concurrent bulk requests, each repeating one
 * matching hash 100,000 times (formerly one audit line per copy: 2,000,000 lines), then an
 * admin add. The match audit grows by one line per request, and the admin change is on disk
 * in its own file as soon as it is acknowledged.
 */
@Tag("slow")
class AuditFloodProcessTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int THREADS = 4;
  private static final int REQUESTS_PER_THREAD = 5;
  private static final int COPIES = 100_000;
  @TempDir Path dir;

  @Test
  void bulkFlood_oneAuditLinePerRequest_thenAdminAddRecorded() throws Exception {
    Path data = dir.resolve("data");
    KeyFile kf = new KeyFile(data);
    String admin = kf.create("ops", Role.ADMIN, null, 0);
    String query = kf.create("hoster", Role.QUERY, null, 0);
    String hit = "ab".repeat(32);
    try (ServerProcess sp = ServerProcess.start(dir, "--init", "--data", data.toString(), "--no-fsync")) {
      HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      assertThat(add(c, sp, admin, hit).statusCode()).isEqualTo(200);
      byte[] one = org.hashdb.core.hash.Hex.decode(org.hashdb.core.hash.HashType.SHA256, hit);
      byte[] body = new byte[COPIES * 32];
      for (int i = 0; i < COPIES; i++) {
        System.arraycopy(one, 0, body, i * 32, 32);
      }
      List<CompletableFuture<Void>> flood = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        flood.add(CompletableFuture.runAsync(() -> {
          for (int i = 0; i < REQUESTS_PER_THREAD; i++) {
            try {
              HttpResponse<byte[]> r = c.send(HttpRequest.newBuilder(
                      sp.uri("/v1/lookup/bulk?type=sha256"))
                  .header("Authorization", "Bearer " + query)
                  .header("Content-Type", "application/octet-stream")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                  HttpResponse.BodyHandlers.ofByteArray());
              assertThat(r.statusCode()).isEqualTo(200);
              assertThat(r.body()[0]).isEqualTo((byte) 0xff);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }
        }));
      }
      CompletableFuture.allOf(flood.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);

      String second = "cd".repeat(32);
      assertThat(add(c, sp, admin, second).statusCode()).isEqualTo(200);
      // acknowledged, so already in the admin stream (the server is still running)
      List<String> adminLines = Files.readAllLines(data.resolve(AdminAuditLog.FILE_NAME));
      assertThat(adminLines).hasSize(2);
      JsonNode last = JSON.readTree(adminLines.get(1));
      assertThat(last.get("event").asText()).isEqualTo("add");
      assertThat(last.get("key").asText()).isEqualTo("ops");
      assertThat(last.get("added").asInt()).isEqualTo(1);

      sp.process.destroy(); // SIGTERM: the match queue is written out
      assertThat(sp.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    Path audit = data.resolve(AuditLog.FILE_NAME);
    List<String> lines = Files.readAllLines(audit);
    int requests = THREADS * REQUESTS_PER_THREAD;
    assertThat(lines).hasSize(requests);
    assertThat(Files.size(audit)).isLessThan(requests * 1024L);
    assertThat(data.resolve(AuditLog.FILE_NAME + ".1")).doesNotExist(); // nothing rotated away
    long hashes = 0;
    for (String l : lines) {
      JsonNode r = JSON.readTree(l);
      assertThat(r.get("event").asText()).isEqualTo("match");
      assertThat(r.get("key").asText()).isEqualTo("hoster");
      hashes += r.get("hashes").asLong();
    }
    assertThat(hashes).isEqualTo((long) requests * COPIES);
    assertThat(Files.readString(audit)).doesNotContain("audit_dropped").doesNotContain(hit);
  }

  private static HttpResponse<String> add(HttpClient c, ServerProcess sp, String key, String hex)
      throws Exception {
    String json = "{\"entries\":[{\"type\":\"sha256\",\"hash\":\"" + hex
        + "\",\"list\":\"flood\",\"category\":\"A1\"}]}";
    return c.send(HttpRequest.newBuilder(sp.uri("/v1/admin/entries"))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
