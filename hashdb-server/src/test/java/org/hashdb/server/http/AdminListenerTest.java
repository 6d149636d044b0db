package org.hashdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.hashdb.server.ServerConfig;
import org.hashdb.server.api.Route;
import org.hashdb.server.auth.KeyFile;
import org.hashdb.server.auth.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two listeners of a real server: the public one answers lookups and health only, and 404
 * (as for an unknown path) on every admin, replica, metrics and OpenAPI route, whatever the
 * key; the admin one serves those and health, and no lookup. Both enforce the same limits.
 */
class AdminListenerTest {
  @TempDir Path dir;

  private static HttpResponse<String> send(TestServer ts, String method, URI uri, String key)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).method(method,
        method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    if (method.equals("POST")) {
      b.header("Content-Type", "application/json");
    }
    return ts.client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String concrete(Route r) {
    return r.template().replace("{type}", "md5").replace("{hash}", TestServer.MD5_A);
  }

  @Test
  void publicListener_hidesEveryAdminRoute_adminListener_servesNoLookup() throws Exception {
    try (TestServer ts = new TestServer(dir)) {
      assertThat(ts.server.adminPort()).isNotEqualTo(ts.server.port());
      String unknown = send(ts, "GET", ts.publicUri("/no/such/path"), ts.adminKey).body();
      for (Route r : Route.values()) {
        String path = concrete(r);
        String method = r.method().name();
        HttpResponse<String> pub = send(ts, method, ts.publicUri(path), ts.adminKey);
        HttpResponse<String> adm = send(ts, method, ts.adminUri(path), ts.adminKey);
        switch (r.plane()) {
          case ADMIN -> {
            assertThat(pub.statusCode()).as(r + " on the public listener").isEqualTo(404);
            assertThat(pub.body()).as(r.name()).isEqualTo(unknown); // nothing tells it exists
            assertThat(pub.headers().firstValue("Allow")).isEmpty();
            if (r != Route.PSI_ROTATE) { // private lookups are off here
              assertThat(adm.statusCode()).as(r + " on the admin listener").isNotEqualTo(404);
            }
          }
          case PUBLIC -> {
            assertThat(adm.statusCode()).as(r + " on the admin listener").isEqualTo(404);
            if (r != Route.PSI_CONFIG && r != Route.PSI_LOOKUP) { // private lookups are off here
              assertThat(pub.statusCode()).as(r + " on the public listener").isNotEqualTo(404);
            }
          }
          case HEALTH -> {
            assertThat(pub.statusCode()).as(r.name()).isEqualTo(200);
            assertThat(adm.statusCode()).as(r.name()).isEqualTo(200);
          }
        }
      }
      // another method on an admin path: still 404 on the public listener, never 405
      assertThat(send(ts, "GET", ts.publicUri("/v1/admin/entries"), ts.adminKey).statusCode()).isEqualTo(404);
      assertThat(send(ts, "GET", ts.adminUri("/v1/admin/entries"), ts.adminKey).statusCode()).isEqualTo(405);
      // the admin listener serves what an operator needs
      assertThat(send(ts, "GET", ts.adminUri("/v1/admin/stats"), ts.adminKey).body()).contains("\"sequence\"");
      assertThat(send(ts, "GET", ts.adminUri("/metrics"), ts.adminKey).body()).contains("hashdb_ready 1");
      // (an in-memory database keeps no log: 410 snapshot_required, an answer of the route)
      assertThat(send(ts, "GET", ts.adminUri("/v1/admin/changes?since=0"), ts.replicaKey).statusCode())
          .isIn(200, 410);
    }
  }

  @Test
  void adminListener_sameLimitsAsThePublicOne() throws Exception {
    try (TestServer ts = new TestServer(dir, b -> b.maxHeaderFields(5))) {
      for (URI uri : List.of(ts.publicUri("/healthz"), ts.adminUri("/healthz"))) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        for (int i = 0; i < 8; i++) {
          b.header("X-Filler-" + i, "x");
        }
        assertThat(ts.client.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode())
            .as(uri.toString()).isEqualTo(431);
      }
    }
  }

  @Test
  void config_defaultsLoopbackAndOwnPort_samePortRefused() {
    ServerConfig d = ServerConfig.defaults();
    assertThat(d.adminBind()).isEqualTo("127.0.0.1");
    assertThat(d.adminPort()).isEqualTo(8081).isNotEqualTo(d.port());
    assertThatThrownBy(() -> ServerConfig.builder().port(9000).adminPort(9000).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("its own port");
    assertThat(ServerConfig.builder().port(0).adminPort(0).build().adminPort()).isZero();
  }

  /**
   * A key limited to some lists, as an older keys file may hold for an admin or replica key
   * (keys create refuses that now): refused on every route acting on all lists.
   */
  @Test
  void scopedKeyFromAnOlderKeysFile_refusedOnFeedSnapshotStatsAndWrites() throws Exception {
    KeyFile kf = new KeyFile(dir);
    String replica = kf.create("old-replica", Role.REPLICA, null, 0);
    String admin = kf.create("old-admin", Role.ADMIN, null, 0);
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = (ObjectNode) json.readTree(kf.path().toFile());
    for (var k : root.get("keys")) {
      ((ObjectNode) k).set("lists", ((ArrayNode) json.createArrayNode()).add("list-a"));
    }
    json.writeValue(kf.path().toFile(), root);
    try (TestServer ts = new TestServer(dir)) {
      for (String path : List.of("/v1/admin/changes?since=0", "/v1/admin/snapshot")) {
        HttpResponse<String> r = ts.get(path, replica);
        assertThat(r.statusCode()).as(path).isEqualTo(403);
        assertThat(r.body()).contains("limited to some lists");
      }
      assertThat(ts.get("/v1/admin/stats", admin).statusCode()).isEqualTo(403);
      assertThat(ts.postJson("/v1/admin/entries", admin, "{\"entries\":[]}").statusCode()).isEqualTo(403);
      // its lookups see its list only, as any scoped key's
      assertThat(ts.get("/v1/hashes/sha256/" + TestServer.SHA256_B, admin).body()).contains("\"match\":false");
      assertThat(ts.get("/v1/hashes/md5/" + TestServer.MD5_A, admin).body()).contains("\"match\":true");
    }
  }

  /**
   * A keys file that stops parsing keeps the keys read before (a revocation in the bad version is
   * not in force) and says so: the metric, the body of /readyz (still 200: the node stays in
   * service), until a good version is read.
   */
  @Test
  void keysFileThatDoesNotParse_metricAndReadyzSaySo_untilFixed() throws Exception {
    try (TestServer ts = new TestServer(dir)) { // no polling: reloads called here
      assertThat(ts.get("/readyz", null).body()).isEqualTo("{\"status\":\"ready\"}");
      Path file = dir.resolve(KeyFile.FILE_NAME);
      String good = Files.readString(file);
      Files.writeString(file, good.replaceFirst("\"keys\"", "\"keys\" oops"));
      Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 2000));
      ts.api.keys().reloadIfChanged();
      for (URI uri : List.of(ts.publicUri("/readyz"), ts.adminUri("/readyz"))) {
        HttpResponse<String> r = ts.client.send(HttpRequest.newBuilder(uri).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"ready\",\"warnings\":[\"keys_file_unreadable\"]}");
      }
      String metrics = ts.get("/metrics", ts.adminKey).body(); // the previous keys still work
      assertThat(metrics).contains("hashdb_keys_reload_failed 1.0")
          .contains("hashdb_keys_reload_failures_total 1.0");
      Files.writeString(file, good);
      Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 4000));
      assertThat(ts.api.keys().reloadIfChanged()).isTrue();
      assertThat(ts.get("/readyz", null).body()).isEqualTo("{\"status\":\"ready\"}");
      assertThat(ts.get("/metrics", ts.adminKey).body()).contains("hashdb_keys_reload_failed 0.0")
          .contains("hashdb_keys_reload_failures_total 1.0");
    }
  }
}
