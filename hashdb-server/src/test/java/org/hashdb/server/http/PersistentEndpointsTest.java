package org.hashdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.ListFilter;
import org.hashdb.server.service.HashDbService;
import org.hashdb.server.ServerConfig;
import org.hashdb.server.auth.KeyFile;
import org.hashdb.server.auth.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Change feed and snapshot download on a database with a data directory. */
class PersistentEndpointsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void changesAndSnapshot_replicaCanRebuildTheDatabase() throws Exception {
    Path data = dir.resolve("data");
    KeyFile kf = new KeyFile(data);
    String admin = kf.create("admin", Role.ADMIN, null, 0);
    String replica = kf.create("replica", Role.REPLICA, null, 0);
    HashDbService server = HashDbService.builder().dataDir(data).keyPollMillis(0)
        .config(ServerConfig.builder().port(0).adminPort(0).accessLog(false).build()).start();
    try {
      assertThat(server.awaitDatabase(java.time.Duration.ofSeconds(60))).isTrue();
      java.net.http.HttpClient c = java.net.http.HttpClient.newHttpClient();
      String base = server.adminBaseUrl(); // every request here is an admin or replica one
      for (int i = 0; i < 3; i++) {
        String body = "{\"entries\":[{\"type\":\"md5\",\"hash\":\"" + String.format("%032x", i)
            + "\",\"list\":\"l" + i + "\",\"category\":\"c\",\"source\":\"s\"}]}";
        HttpResponse<String> r = c.send(HttpRequest.newBuilder(java.net.URI.create(base + "/v1/admin/entries"))
            .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
      }
      c.send(HttpRequest.newBuilder(java.net.URI.create(base + "/v1/admin/entries/md5/"
          + String.format("%032x", 1))).header("Authorization", "Bearer " + admin).DELETE().build(),
          HttpResponse.BodyHandlers.ofString());

      HttpResponse<String> feed = c.send(HttpRequest.newBuilder(java.net.URI.create(
          base + "/v1/admin/changes?since=1&limit=2")).header("Authorization", "Bearer " + replica)
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(feed.statusCode()).as(feed.body()).isEqualTo(200);
      JsonNode j = JSON.readTree(feed.body());
      assertThat(j.get("changes")).hasSize(2);
      assertThat(j.at("/changes/0/sequence").asLong()).isEqualTo(2);
      assertThat(j.at("/changes/0/kind").asText()).isEqualTo("add");
      assertThat(j.at("/changes/0/entries/0/list").asText()).isEqualTo("l1");
      assertThat(j.get("next").asLong()).isEqualTo(3);
      assertThat(j.get("more").asBoolean()).isTrue();
      JsonNode rest = JSON.readTree(c.send(HttpRequest.newBuilder(java.net.URI.create(
          base + "/v1/admin/changes?since=3")).header("Authorization", "Bearer " + replica)
          .build(), HttpResponse.BodyHandlers.ofString()).body());
      assertThat(rest.at("/changes/0/kind").asText()).isEqualTo("remove");
      assertThat(rest.at("/changes/0/entries/0/list").isNull()).isTrue();
      assertThat(rest.get("more").asBoolean()).isFalse();

      HttpResponse<Path> snap = c.send(HttpRequest.newBuilder(java.net.URI.create(
          base + "/v1/admin/snapshot")).header("Authorization", "Bearer " + replica).build(),
          HttpResponse.BodyHandlers.ofFile(dir.resolve("download.snapshot")));
      assertThat(snap.statusCode()).isEqualTo(200);
      assertThat(snap.headers().firstValue("x-hashdb-sequence")).hasValue("4");
      assertThat(Files.size(snap.body())).isPositive();
      // the downloaded file is a snapshot a replica can start from
      Path replicaDir = dir.resolve("replica");
      Files.createDirectories(replicaDir);
      // saved under the name the server offers, it loads as is
      String disposition = snap.headers().firstValue("content-disposition").orElseThrow();
      assertThat(disposition).isEqualTo("attachment; filename=\"" + String.format("snapshot-%020d.hdb", 4) + "\"");
      String offered = disposition.substring(disposition.indexOf('"') + 1, disposition.lastIndexOf('"'));
      Files.copy(snap.body(), replicaDir.resolve(offered));
      try (HashDatabase copy = HashDatabase.open(replicaDir)) {
        assertThat(copy.sequence()).isEqualTo(4);
        assertThat(copy.lookup(HashType.MD5, Hex.decode(HashType.MD5, String.format("%032x", 2)),
            ListFilter.all())).hasSize(1);
        assertThat(copy.lookup(HashType.MD5, Hex.decode(HashType.MD5, String.format("%032x", 1)),
            ListFilter.all())).isEmpty();
      }
      try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
        assertThat(files.map(p -> p.getFileName().toString())
            .filter(n -> n.startsWith("hashdb-snapshot-")).toList())
            .as("temporary snapshot files are deleted once sent").isEmpty();
      }
    } finally {
      server.stop();
    }
  }
}
