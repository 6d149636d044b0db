package org.hashdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without a key only {@code /healthz} and {@code /readyz} answer, and they name nothing;
 * {@code /metrics} and {@code /openapi.json} need a key of any role, and per-list series are
 * cut to the lists the key may see (admin keys see all).
 */
class KeyFreeSurfaceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private TestServer ts;

  @BeforeEach
  void start() throws Exception {
    ts = new TestServer(dir);
    // one match on each list, so both per-list series exist
    assertThat(ts.get("/v1/hashes/md5/" + TestServer.MD5_A, ts.queryKey).body())
        .contains("list-a");
    assertThat(ts.get("/v1/hashes/sha256/" + TestServer.SHA256_B, ts.queryKey).body())
        .contains("list-b");
  }

  @AfterEach
  void stop() {
    ts.close();
  }

  @Test
  void withoutKey_onlyHealthAndReadiness_namingNothing() throws Exception {
    HttpResponse<String> h = ts.get("/healthz", null);
    assertThat(h.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(h.body())).isEqualTo(JSON.readTree("{\"status\":\"ok\"}"));
    HttpResponse<String> r = ts.get("/readyz", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(r.body())).isEqualTo(JSON.readTree("{\"status\":\"ready\"}"));
    for (HttpResponse<String> x : List.of(h, r)) {
      assertThat(x.headers().map().keySet()).doesNotContain("server", "x-powered-by");
      assertThat(x.body()).doesNotContain("list-a", "list-b");
    }
    for (String path : List.of("/metrics", "/openapi.json", "/v1/admin/stats",
        "/v1/hashes/md5/" + TestServer.MD5_A)) {
      HttpResponse<String> u = ts.get(path, null);
      assertThat(u.statusCode()).as(path).isEqualTo(401);
      assertThat(JSON.readTree(u.body()).at("/error/code").asText()).isEqualTo("unauthorized");
      assertThat(u.body()).as(path).doesNotContain("list-a", "list-b", "hashdb_", "openapi");
    }
    assertThat(ts.get("/metrics", "hdb_" + "0".repeat(16) + "_" + "0".repeat(64)).statusCode())
        .isEqualTo(401);
  }

  @Test
  void anyRole_getsMetricsAndOpenApi() throws Exception {
    for (String key : List.of(ts.queryKey, ts.adminKey, ts.replicaKey, ts.listAKey)) {
      assertThat(ts.get("/metrics", key).statusCode()).isEqualTo(200);
      HttpResponse<String> o = ts.get("/openapi.json", key);
      assertThat(o.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(o.body()).get("openapi").asText()).startsWith("3.");
    }
  }

  @Test
  void metrics_perListSeriesOnlyForVisibleLists() throws Exception {
    String admin = ts.get("/metrics", ts.adminKey).body();
    assertThat(admin).contains("hashdb_matches_total{list=\"list-a\",type=\"md5\"}")
        .contains("hashdb_matches_total{list=\"list-b\",type=\"sha256\"}");
    String listA = ts.get("/metrics", ts.listAKey).body();
    assertThat(listA).contains("hashdb_matches_total{list=\"list-a\",type=\"md5\"}")
        .doesNotContain("list-b")
        .contains("hashdb_lookups_total{type=\"md5\"}"); // figures without a list stay
    // a query key without a list restriction sees every list
    assertThat(ts.get("/metrics", ts.queryKey).body()).contains("list=\"list-b\"");
  }

  @Test
  void metricsAndOpenApi_answerWhileLoading() throws Exception {
    ts.close();
    try (TestServer loading = new TestServer(dir.resolve("loading"), b -> {}, false)) {
      assertThat(loading.get("/readyz", null).statusCode()).isEqualTo(503);
      assertThat(loading.get("/metrics", null).statusCode()).isEqualTo(401);
      assertThat(loading.get("/metrics", loading.adminKey).statusCode()).isEqualTo(200);
      assertThat(loading.get("/openapi.json", loading.queryKey).statusCode()).isEqualTo(200);
    }
  }
}
