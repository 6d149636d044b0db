package org.hashdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.hashdb.core.disk.FaultInjectingFileIo;
import org.hashdb.core.db.CapacityExceededException;
import org.hashdb.core.db.DatabaseOptions;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.server.service.HashDbService;
import org.hashdb.server.ServerConfig;
import org.hashdb.server.ApiException;
import org.hashdb.server.api.ApiService;
import org.hashdb.server.auth.KeyFile;
import org.hashdb.server.auth.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full disk refuses admin writes with 507 while lookups go on; writes resume without a restart. */
class DiskFullEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void diskFull_writes507_lookupsGoOn_writesResumeWhenSpaceIsBack() throws Exception {
    Path data = dir.resolve("data");
    KeyFile kf = new KeyFile(data);
    String admin = kf.create("admin", Role.ADMIN, null, 0);
    String query = kf.create("query", Role.QUERY, null, 0);
    FaultInjectingFileIo io = new FaultInjectingFileIo();
    HashDbService server = HashDbService.builder().dataDir(data).keyPollMillis(0)
        .databaseOptions(DatabaseOptions.defaults().withFileIo(io))
        .config(ServerConfig.builder().port(0).adminPort(0).accessLog(false).build()).start();
    HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String base = server.baseUrl();
    String adminBase = server.adminBaseUrl(); // writes, imports and metrics
    try {
      assertThat(server.awaitDatabase(java.time.Duration.ofSeconds(60))).isTrue();
      HashDatabase db = server.database();
      assertThat(add(c, adminBase, admin, 1).statusCode()).isEqualTo(200);

      io.diskFullAfter(0);
      HttpResponse<String> refused = add(c, adminBase, admin, 2);
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(507);
      JsonNode err = JSON.readTree(refused.body()).get("error");
      assertThat(err.get("code").asText()).isEqualTo("insufficient_storage");
      assertThat(err.get("message").asText()).contains("disk full").contains("nothing of it was stored");
      HttpResponse<String> imp = c.send(HttpRequest.newBuilder(URI.create(adminBase
              + "/v1/admin/import?type=md5&list=l&format=hex"))
          .header("Authorization", "Bearer " + admin).header("Content-Type", "text/plain")
          .POST(HttpRequest.BodyPublishers.ofString(String.format("%032x%n%032x%n", 7, 8))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(imp.statusCode()).as(imp.body()).isEqualTo(507);
      assertThat(imp.body()).contains("this import added 0 entries");

      // lookups go on
      assertThat(lookup(c, base, query, 1).body()).contains("\"match\":true");
      assertThat(lookup(c, base, query, 2).body()).contains("\"match\":false");

      // a snapshot on the full disk fails, and is counted
      org.assertj.core.api.Assertions.assertThatThrownBy(db::checkpoint)
          .isInstanceOf(java.io.IOException.class);
      HttpResponse<String> metrics = c.send(HttpRequest.newBuilder(URI.create(adminBase + "/metrics"))
          .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.body()).contains("hashdb_snapshot_failures_total 1.0");

      // space is back: the next write succeeds, no restart
      io.freeSpace();
      assertThat(add(c, adminBase, admin, 2).statusCode()).isEqualTo(200);
      assertThat(lookup(c, base, query, 2).body()).contains("\"match\":true");
    } finally {
      server.stop(); // closes the database
    }
    try (HashDatabase reopened = HashDatabase.open(data)) {
      assertThat(reopened.stats().liveEntries()).isEqualTo(2);
    }
  }

  @Test
  void capacityExceeded_is507WithItsOwnCode() {
    ApiException a = ApiService.toApiException(new CapacityExceededException("md5 is full"));
    assertThat(a.status().code()).isEqualTo(507);
    assertThat(a.code()).isEqualTo("capacity_exceeded");
    assertThat(a.getMessage()).isEqualTo("md5 is full");
  }

  private static HttpResponse<String> add(HttpClient c, String base, String key, int i)
      throws Exception {
    String body = "{\"entries\":[{\"type\":\"md5\",\"hash\":\"" + String.format("%032x", i)
        + "\",\"list\":\"l\",\"category\":\"c\",\"source\":\"s\"}]}";
    return c.send(HttpRequest.newBuilder(URI.create(base + "/v1/admin/entries"))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> lookup(HttpClient c, String base, String key, int i)
      throws Exception {
    return c.send(HttpRequest.newBuilder(URI.create(base + "/v1/hashes/md5/" + String.format("%032x", i)))
        .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
  }
}
