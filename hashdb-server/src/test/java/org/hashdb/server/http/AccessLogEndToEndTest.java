package org.hashdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;
import org.hashdb.server.logs.AccessLog;
import org.hashdb.server.auth.KeyFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hashdb.testing.TestRandom;

/** The access log of a real server: one line per request, routes not paths, no miss hashes. */
class AccessLogEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static List<JsonNode> lines(Path file) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      out.add(JSON.readTree(l));
    }
    return out;
  }

  private static void assertLine(JsonNode l, String route, int status, String keyId,
      long reqBytes, long respBytes) {
    assertThat(l.get("route").asText()).as(l.toString()).isEqualTo(route);
    assertThat(l.get("status").asInt()).as(l.toString()).isEqualTo(status);
    if (keyId == null) {
      assertThat(l.get("keyId").isNull()).as(l.toString()).isTrue();
    } else {
      assertThat(l.get("keyId").asText()).as(l.toString()).isEqualTo(keyId);
    }
    assertThat(l.get("reqBytes").asLong()).as(l.toString()).isEqualTo(reqBytes);
    assertThat(l.get("respBytes").asLong()).as(l.toString()).isEqualTo(respBytes);
    assertThat(l.get("protocol").asText()).isEqualTo("http/1.1");
    assertThat(l.get("remote").asText()).isEqualTo("127.0.0.1");
    assertThat(l.get("micros").asLong()).isGreaterThanOrEqualTo(0);
    assertThat(l.get("time").asText()).endsWith("Z");
    assertThat(l.get("conn").asText()).isNotEmpty();
    assertThat(l.get("req").asLong()).isPositive();
    assertThat(l.has("aborted")).isFalse();
  }

  @Test
  void requests_eachWriteOneLineWithRouteStatusKeyAndSizes() throws Exception {
    String miss = "9f".repeat(16);
    String missUpper = "C3".repeat(16);
    byte[] bulk = new byte[3 * 32];
    TestRandom.random(11).nextBytes(bulk);
    String add = "{\"entries\":[{\"type\":\"sha1\",\"hash\":\"" + "12".repeat(20)
        + "\",\"list\":\"eokm-nl\",\"category\":\"A1\",\"source\":\"test\"}]}";
    List<HttpResponse<?>> rs = new ArrayList<>();
    String queryId;
    String adminId;
    String[] keys;
    try (TestServer ts = new TestServer(dir)) {
      queryId = KeyFile.idOf(ts.queryKey);
      adminId = KeyFile.idOf(ts.adminKey);
      keys = new String[] {ts.queryKey, ts.adminKey};
      rs.add(ts.get("/v1/hashes/md5/" + miss, ts.queryKey));
      rs.add(ts.get("/v1/hashes/md5/" + missUpper, ts.queryKey));
      rs.add(ts.get("/v1/hashes/md5/" + TestServer.MD5_A, ts.queryKey));
      rs.add(ts.get("/v1/hashes/md5/" + miss, null));
      rs.add(ts.get("/v2/hashes/md5/" + miss + "?hash=" + miss, ts.queryKey));
      rs.add(ts.postBytes("/v1/lookup/bulk?type=sha256", ts.queryKey, "application/octet-stream",
          bulk));
      rs.add(ts.postJson("/v1/admin/entries", ts.adminKey, add));
      ts.client.send(java.net.http.HttpRequest.newBuilder(ts.uri("/healthz"))
          .header("User-Agent", "probe/" + "x".repeat(300)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    }
    int[] statuses = rs.stream().mapToInt(HttpResponse::statusCode).toArray();
    assertThat(statuses).containsExactly(200, 200, 200, 401, 404, 200, 200);

    Path file = dir.resolve(AccessLog.FILE_NAME);
    List<JsonNode> lines = lines(file);
    assertThat(lines).hasSize(8);
    String single = "GET /v1/hashes/{type}/{hash}";
    assertLine(lines.get(0), single, 200, queryId, 0, bodyBytes(rs.get(0)));
    assertLine(lines.get(1), single, 200, queryId, 0, bodyBytes(rs.get(1)));
    assertLine(lines.get(2), single, 200, queryId, 0, bodyBytes(rs.get(2)));
    assertLine(lines.get(3), single, 401, null, 0, bodyBytes(rs.get(3)));
    assertLine(lines.get(4), AccessLog.UNKNOWN_ROUTE, 404, null, 0, bodyBytes(rs.get(4)));
    assertLine(lines.get(5), "POST /v1/lookup/bulk", 200, queryId, bulk.length, 1);
    assertLine(lines.get(6), "POST /v1/admin/entries", 200, adminId,
        add.getBytes(StandardCharsets.UTF_8).length, bodyBytes(rs.get(6)));
    assertLine(lines.get(7), "GET /healthz", 200, null, 0, lines.get(7).get("respBytes").asLong());
    for (int i = 0; i < 5; i++) {
      assertThat(lines.get(i).get("method").asText()).isEqualTo("GET");
    }
    assertThat(lines.get(6).get("method").asText()).isEqualTo("POST");
    assertThat(lines.get(0).get("conn").asText()).isEqualTo(lines.get(1).get("conn").asText());
    assertThat(lines.get(1).get("req").asLong()).isGreaterThan(lines.get(0).get("req").asLong());
    assertThat(lines.get(7).get("userAgent").asText())
        .hasSize(AccessLog.MAX_USER_AGENT).startsWith("probe/xxx");

    // the raw bytes: no queried miss in any case or form, no path, no key secret
    String raw = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    for (String h : new String[] {miss, missUpper}) {
      assertThat(raw).doesNotContain(h.toLowerCase(Locale.ROOT))
          .doesNotContain(h.toUpperCase(Locale.ROOT));
      assertThat(raw).doesNotContain(new String(Hex.decode(HashType.MD5, h.toLowerCase(Locale.ROOT)),
          StandardCharsets.ISO_8859_1));
    }
    assertThat(raw).doesNotContain(TestServer.MD5_A).doesNotContain("/v2/").doesNotContain("?")
        .doesNotContain("/v1/hashes/md5");
    for (String key : keys) {
      assertThat(raw).doesNotContain(key.substring(key.lastIndexOf('_') + 1));
    }
  }

  private static long bodyBytes(HttpResponse<?> r) {
    Object b = r.body();
    return b instanceof byte[] a ? a.length : ((String) b).getBytes(StandardCharsets.UTF_8).length;
  }

  @Test
  void unknownPath_withHashLikeSegments_isLoggedAsUnknown() throws Exception {
    String hashy = "ab".repeat(32);
    try (TestServer ts = new TestServer(dir)) {
      assertThat(ts.get("/v1/hashes/sha256/" + hashy + "/extra", ts.queryKey).statusCode())
          .isEqualTo(404);
      assertThat(ts.get("/" + hashy, null).statusCode()).isEqualTo(404);
      // a known path with a wrong method: the route is unknown too, the method is standard
      assertThat(ts.client.send(java.net.http.HttpRequest.newBuilder(
          ts.uri("/v1/hashes/sha256/" + hashy)).DELETE().build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
    }
    Path file = dir.resolve(AccessLog.FILE_NAME);
    List<JsonNode> lines = lines(file);
    assertThat(lines).extracting(l -> l.get("route").asText())
        .containsExactly("unknown", "unknown", "unknown");
    assertThat(lines).extracting(l -> l.get("status").asInt()).containsExactly(404, 404, 405);
    assertThat(lines.get(2).get("method").asText()).isEqualTo("DELETE");
    assertThat(Files.readString(file)).doesNotContain(hashy).doesNotContain("extra");
  }

  @Test
  void nonStandardMethod_isLoggedAsOther() throws Exception {
    try (TestServer ts = new TestServer(dir)) {
      assertThat(ts.client.send(java.net.http.HttpRequest.newBuilder(ts.uri("/healthz"))
          .method("SECRETDEADBEEF", java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
    }
    List<JsonNode> lines = lines(dir.resolve(AccessLog.FILE_NAME));
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).get("method").asText()).isEqualTo("OTHER");
    assertThat(Files.readString(dir.resolve(AccessLog.FILE_NAME))).doesNotContain("DEADBEEF");
  }

  @Test
  void accessLogOff_writesNoFile() throws Exception {
    try (TestServer ts = new TestServer(dir, b -> b.accessLog(false))) {
      assertThat(ts.get("/v1/hashes/md5/" + TestServer.MD5_A, ts.queryKey).statusCode())
          .isEqualTo(200);
      assertThat(ts.get("/healthz", null).statusCode()).isEqualTo(200);
    }
    assertThat(dir.resolve(AccessLog.FILE_NAME)).doesNotExist();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("access"));
    }
  }

  @Test
  void rotation_keepsConfiguredNumberOfFiles() throws Exception {
    try (TestServer ts = new TestServer(dir, b -> b.accessMaxBytes(4096).accessFiles(2))) {
      for (int i = 0; i < 120; i++) {
        assertThat(ts.get("/healthz", null).statusCode()).isEqualTo(200);
      }
    }
    assertThat(dir.resolve("access.jsonl")).exists();
    assertThat(dir.resolve("access.jsonl.1")).exists();
    assertThat(dir.resolve("access.jsonl.2")).exists();
    assertThat(dir.resolve("access.jsonl.3")).doesNotExist();
    for (String f : new String[] {"access.jsonl", "access.jsonl.1", "access.jsonl.2"}) {
      assertThat(Files.size(dir.resolve(f))).isLessThanOrEqualTo(4096);
      assertThat(lines(dir.resolve(f))).allSatisfy(
          l -> assertThat(l.get("route").asText()).isEqualTo("GET /healthz"));
    }
  }
}
