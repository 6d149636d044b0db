package org.hashdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.db.NewEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hashdb.testing.TestRandom;

class ServerEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private TestServer ts;

  @BeforeEach
  void start() throws Exception {
    ts = new TestServer(dir);
  }

  @AfterEach
  void stop() {
    ts.close();
    assertThat(ts.server.inFlight()).isZero();
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  private static void assertError(HttpResponse<String> r, int status, String code)
      throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(json(r).at("/error/code").asText()).isEqualTo(code);
    assertThat(json(r).at("/error/message").asText()).isNotEmpty();
  }

  @Test
  void healthzAndReadyz_noKey_ok() throws Exception {
    assertThat(ts.get("/healthz", null).statusCode()).isEqualTo(200);
    HttpResponse<String> r = ts.get("/readyz", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).get("status").asText()).isEqualTo("ready");
  }

  @Test
  void single_hit_returnsMatchOnVisibleList() throws Exception {
    HttpResponse<String> r = ts.get("/v1/hashes/md5/" + TestServer.MD5_A.toUpperCase(), ts.queryKey);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode j = json(r);
    assertThat(j.get("type").asText()).isEqualTo("md5");
    assertThat(j.get("hash").asText()).isEqualTo(TestServer.MD5_A);
    assertThat(j.get("match").asBoolean()).isTrue();
    assertThat(j.at("/matches/0/list").asText()).isEqualTo("list-a");
    assertThat(j.at("/matches/0/category").asText()).isEqualTo("A1");
    assertThat(j.at("/matches/0/distance").asInt()).isZero();
    assertThat(j.at("/matches/0/entry").asText()).isNotEmpty();
  }

  @Test
  void single_miss_is200WithMatchFalse() throws Exception {
    HttpResponse<String> r = ts.get("/v1/hashes/sha1/" + "01".repeat(20), ts.queryKey);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"type\":\"sha1\",\"hash\":\"" + "01".repeat(20)
        + "\",\"match\":false,\"matches\":[]}");
  }

  @Test
  void single_listOutsideKeyVisibility_isMiss() throws Exception {
    HttpResponse<String> r = ts.get("/v1/hashes/sha256/" + TestServer.SHA256_B, ts.listAKey);
    assertThat(json(r).get("match").asBoolean()).isFalse();
    r = ts.get("/v1/hashes/sha256/" + TestServer.SHA256_B, ts.queryKey);
    assertThat(json(r).get("match").asBoolean()).isTrue();
  }

  @Test
  void single_badInput_isJson400() throws Exception {
    assertError(ts.get("/v1/hashes/md5/abc", ts.queryKey), 400, "invalid_hash");
    assertError(ts.get("/v1/hashes/md5/" + "zz".repeat(16), ts.queryKey), 400, "invalid_hash");
    assertError(ts.get("/v1/hashes/crc32/" + "00".repeat(16), ts.queryKey), 400,
        "unknown_hash_type");
    assertError(ts.get("/v1/hashes/pdq/" + TestServer.PDQ_A + "?maxDistance=65", ts.queryKey),
        400, "invalid_request");
    assertError(ts.get("/v1/hashes/pdq/" + TestServer.PDQ_A + "?maxDistance=1.5", ts.queryKey),
        400, "invalid_request");
    assertError(ts.get("/v1/hashes/pdq/" + TestServer.PDQ_A + "?maxDistance=-1", ts.queryKey),
        400, "invalid_request");
  }

  @Test
  void single_pdqNearDuplicate_matchesWithinDistance() throws Exception {
    byte[] q = Hex.decode(HashType.PDQ, TestServer.PDQ_A);
    q[0] ^= 0x07; // 3 bits
    q[5] ^= 0x01; // 4 bits
    String hex = Hex.encode(q);
    JsonNode j = json(ts.get("/v1/hashes/pdq/" + hex, ts.queryKey));
    assertThat(j.at("/matches/0/distance").asInt()).isEqualTo(4);
    j = json(ts.get("/v1/hashes/pdq/" + hex + "?maxDistance=3", ts.queryKey));
    assertThat(j.get("match").asBoolean()).isFalse();
    j = json(ts.get("/v1/hashes/pdq/" + hex + "?maxDistance=4", ts.queryKey));
    assertThat(j.get("match").asBoolean()).isTrue();
  }

  @Test
  void auth_missingUnknownWrongRole_401_401_403() throws Exception {
    HttpResponse<String> r = ts.get("/v1/hashes/md5/" + TestServer.MD5_A, null);
    assertError(r, 401, "unauthorized");
    assertThat(r.headers().firstValue("www-authenticate")).hasValue("Bearer");
    String forged = ts.queryKey.substring(0, ts.queryKey.length() - 1)
        + (ts.queryKey.endsWith("0") ? "1" : "0");
    assertError(ts.get("/v1/hashes/md5/" + TestServer.MD5_A, forged), 401, "unauthorized");
    assertError(ts.get("/v1/hashes/md5/" + TestServer.MD5_A, ts.replicaKey), 403, "forbidden");
    assertError(ts.get("/v1/admin/stats", ts.queryKey), 403, "forbidden");
    assertThat(ts.get("/v1/admin/changes?since=0", ts.replicaKey).statusCode()).isNotIn(401, 403);
  }

  @Test
  void auth_checkedBeforeBody_invalidJsonWithoutKeyIs401() throws Exception {
    assertError(ts.postJson("/v1/lookup", null, "{not json"), 401, "unauthorized");
    assertError(ts.postJson("/v1/admin/entries", ts.queryKey, "{not json"), 403, "forbidden");
  }

  @Test
  void routes_unknownAndWrongMethod_404_405() throws Exception {
    assertError(ts.get("/v1/psi/config", ts.queryKey), 404, "not_found");
    assertError(ts.postJson("/v1/psi/lookup", ts.queryKey, "{}"), 404, "not_found");
    assertError(ts.get("/nope", null), 404, "not_found");
    HttpResponse<String> r = ts.get("/v1/lookup", ts.queryKey);
    assertError(r, 405, "method_not_allowed");
    assertThat(r.headers().firstValue("allow")).hasValue("POST");
  }

  @Test
  void batch_mixedQueries_resultsInOrder() throws Exception {
    byte[] near = Hex.decode(HashType.PDQ, TestServer.PDQ_A);
    near[31] ^= 0x03;
    String body = "{\"queries\":[{\"type\":\"sha256\",\"hash\":\"" + "00".repeat(32) + "\"},"
        + "{\"type\":\"pdq\",\"hash\":\"" + Hex.encode(near) + "\",\"maxDistance\":20},"
        + "{\"hash\":\"" + TestServer.MD5_A + "\",\"type\":\"MD5\",\"unknown\":[1,{\"x\":2}]}],"
        + "\"extra\":true}";
    HttpResponse<String> r = ts.postJson("/v1/lookup", ts.queryKey, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode res = json(r).get("results");
    assertThat(res).hasSize(3);
    assertThat(res.get(0).get("match").asBoolean()).isFalse();
    assertThat(res.get(0).get("matches")).isEmpty();
    assertThat(res.get(1).at("/matches/0/distance").asInt()).isEqualTo(2);
    assertThat(res.get(2).at("/matches/0/list").asText()).isEqualTo("list-a");
  }

  @Test
  void batch_badQuery_400NamesIndex() throws Exception {
    String body = "{\"queries\":[{\"type\":\"md5\",\"hash\":\"" + TestServer.MD5_A + "\"},"
        + "{\"type\":\"md5\",\"hash\":\"xyz\"}]}";
    HttpResponse<String> r = ts.postJson("/v1/lookup", ts.queryKey, body);
    assertError(r, 400, "invalid_hash");
    assertThat(json(r).at("/error/message").asText()).startsWith("queries[1].hash: ");
    assertError(ts.post("/v1/lookup", ts.queryKey, "text/plain", "{}".getBytes()), 415,
        "unsupported_media_type");
  }

  @Test
  void batch_exactlyLimitAccepted_oneMore413() throws Exception {
    StringBuilder sb = new StringBuilder("{\"queries\":[");
    for (int i = 0; i < 10_000; i++) {
      sb.append(i == 0 ? "" : ",").append("{\"type\":\"md5\",\"hash\":\"")
          .append(String.format("%032x", i)).append("\"}");
    }
    String ok = sb + "]}";
    HttpResponse<String> r = ts.postJson("/v1/lookup", ts.queryKey, ok);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).get("results")).hasSize(10_000);
    String tooMany = sb + ",{\"type\":\"md5\",\"hash\":\"" + "00".repeat(16) + "\"}]}";
    assertError(ts.postJson("/v1/lookup", ts.queryKey, tooMany), 413, "payload_too_large");
  }

  @Test
  void body_exactly16MiBAccepted_oneByteMore413() throws Exception {
    int limit = 16 << 20;
    String head = "{\"queries\":[],\"pad\":\"";
    String tail = "\"}";
    byte[] body = new byte[limit];
    byte[] h = head.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(h, 0, body, 0, h.length);
    java.util.Arrays.fill(body, h.length, limit - 2, (byte) 'x');
    body[limit - 2] = '"';
    body[limit - 1] = '}';
    HttpResponse<String> r = ts.post("/v1/lookup", ts.queryKey, "application/json", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"results\":[]}");
    byte[] over = new byte[limit + 1];
    System.arraycopy(body, 0, over, 0, limit - 2);
    over[limit - 2] = 'x';
    over[limit - 1] = '"';
    over[limit] = '}';
    assertError(ts.post("/v1/lookup", ts.queryKey, "application/json", over), 413,
        "payload_too_large");
    assertThat(ts.get("/healthz", null).statusCode()).isEqualTo(200);
    assertThat(tail).isNotEmpty();
  }

  @Test
  void bulk_randomQueries_matchOracleForKeyVisibility() throws Exception {
    Random rnd = TestRandom.random(7);
    List<NewEntry> entries = new ArrayList<>();
    Set<String> visibleToA = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      byte[] v = new byte[32];
      rnd.nextBytes(v);
      String list = i % 2 == 0 ? "list-a" : "list-b";
      entries.add(new NewEntry(HashType.SHA256, v, list, "", ""));
      if (list.equals("list-a")) {
        visibleToA.add(Hex.encode(v));
      }
    }
    ts.db.add(entries);
    int n = 5003;
    byte[] body = new byte[n * 32];
    boolean[] expect = new boolean[n];
    for (int i = 0; i < n; i++) {
      byte[] v;
      if (rnd.nextBoolean()) {
        v = entries.get(rnd.nextInt(entries.size())).value();
      } else {
        v = new byte[32];
        rnd.nextBytes(v);
      }
      System.arraycopy(v, 0, body, i * 32, 32);
      expect[i] = visibleToA.contains(Hex.encode(v));
    }
    HttpResponse<byte[]> r = ts.postBytes("/v1/lookup/bulk?type=sha256", ts.listAKey,
        "application/octet-stream", body);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/octet-stream");
    byte[] bits = r.body();
    assertThat(bits).hasSize((n + 7) / 8);
    for (int i = 0; i < n; i++) {
      assertThat((bits[i >>> 3] >>> (i & 7) & 1) == 1).as("hash %d", i).isEqualTo(expect[i]);
    }
    assertThat(bits[bits.length - 1] & 0xf8).as("padding bits").isZero();
  }

  @Test
  void bulk_exactlyMillionAccepted_oneMore413() throws Exception {
    byte[] body = new byte[1_000_000 * 32];
    HttpResponse<byte[]> r = ts.postBytes("/v1/lookup/bulk?type=sha256", ts.queryKey,
        "application/octet-stream", body);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).hasSize(125_000);
    byte[] over = new byte[1_000_001 * 32];
    HttpResponse<String> e = ts.post("/v1/lookup/bulk?type=sha256", ts.queryKey,
        "application/octet-stream", over);
    assertError(e, 413, "payload_too_large");
  }

  @Test
  void bulk_badRequests_400_415() throws Exception {
    assertError(ts.post("/v1/lookup/bulk?type=sha256", ts.queryKey, "application/octet-stream",
        new byte[33]), 400, "invalid_request");
    assertError(ts.post("/v1/lookup/bulk?type=pdq", ts.queryKey, "application/octet-stream",
        new byte[32]), 400, "invalid_request");
    assertError(ts.post("/v1/lookup/bulk", ts.queryKey, "application/octet-stream",
        new byte[32]), 400, "invalid_request");
    assertError(ts.post("/v1/lookup/bulk?type=sha512", ts.queryKey, "application/octet-stream",
        new byte[32]), 400, "unknown_hash_type");
    assertError(ts.post("/v1/lookup/bulk?type=md5", ts.queryKey, "application/json",
        new byte[32]), 415, "unsupported_media_type");
  }

  @Test
  void admin_addLookupDelete_roundTrip() throws Exception {
    String hash = "12".repeat(20);
    String add = "{\"entries\":[{\"type\":\"sha1\",\"hash\":\"" + hash
        + "\",\"list\":\"eokm-nl\",\"category\":\"A1\",\"source\":\"test\"}]}";
    HttpResponse<String> r = ts.postJson("/v1/admin/entries", ts.adminKey, add);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).get("added").asInt()).isEqualTo(1);
    long seq = json(r).get("sequence").asLong();
    assertThat(seq).isEqualTo(ts.db.sequence());
    r = ts.postJson("/v1/admin/entries", ts.adminKey, add);
    assertThat(json(r).get("alreadyPresent").asInt()).isEqualTo(1);
    assertThat(json(ts.get("/v1/hashes/sha1/" + hash, ts.queryKey)).get("match").asBoolean())
        .isTrue();
    HttpResponse<String> del = ts.client.send(java.net.http.HttpRequest.newBuilder(
        ts.uri("/v1/admin/entries/sha1/" + hash + "?list=eokm-nl")).DELETE()
        .header("Authorization", "Bearer " + ts.adminKey).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(del.statusCode()).as(del.body()).isEqualTo(200);
    assertThat(json(del).get("removed").asInt()).isEqualTo(1);
    assertThat(json(ts.get("/v1/hashes/sha1/" + hash, ts.queryKey)).get("match").asBoolean())
        .isFalse();
    HttpResponse<String> again = ts.client.send(java.net.http.HttpRequest.newBuilder(
        ts.uri("/v1/admin/entries/sha1/" + hash)).DELETE()
        .header("Authorization", "Bearer " + ts.adminKey).build(),
        HttpResponse.BodyHandlers.ofString());
    assertError(again, 404, "not_found");
  }

  @Test
  void admin_addWithOneBadEntry_rejectsAll() throws Exception {
    String good = "34".repeat(16);
    String body = "{\"entries\":[{\"type\":\"md5\",\"hash\":\"" + good + "\",\"list\":\"x\"},"
        + "{\"type\":\"md5\",\"hash\":\"" + good + "\",\"list\":\"bad list\"}]}";
    HttpResponse<String> r = ts.postJson("/v1/admin/entries", ts.adminKey, body);
    assertError(r, 400, "invalid_request");
    assertThat(json(r).at("/error/message").asText()).startsWith("entries[1]");
    assertThat(json(ts.get("/v1/hashes/md5/" + good, ts.queryKey)).get("match").asBoolean())
        .isFalse();
  }

  @Test
  void import_csvWithBadLines_addsGoodReportsBad() throws Exception {
    String csv = "type,hash,category,source\n"
        + "md5," + "56".repeat(16) + ",A1,police\n"
        + "md5,nothex\n"
        + "\n# comment\n"
        + "sha256," + "78".repeat(32) + ",B1\n"
        + "crc," + "00".repeat(4) + "\n";
    HttpResponse<String> r = ts.post("/v1/admin/import?list=imported", ts.adminKey, "text/csv",
        csv.getBytes(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode j = json(r);
    assertThat(j.get("added").asInt()).isEqualTo(2);
    assertThat(j.get("rejected").asInt()).isEqualTo(2);
    assertThat(j.at("/rejectedLines/0/line").asInt()).isEqualTo(3);
    assertThat(j.at("/rejectedLines/1/line").asInt()).isEqualTo(7);
    assertThat(j.get("sequence").asLong()).isEqualTo(ts.db.sequence());
    JsonNode m = json(ts.get("/v1/hashes/md5/" + "56".repeat(16), ts.queryKey));
    assertThat(m.at("/matches/0/list").asText()).isEqualTo("imported");
    assertThat(m.at("/matches/0/category").asText()).isEqualTo("A1");
  }

  @Test
  void import_largeHexStream_allAdded() throws Exception {
    int n = 150_000; // 9.75 MB: several batches, and more than the import queue holds
    StringBuilder sb = new StringBuilder(n * 65);
    Random rnd = TestRandom.random(3);
    byte[] v = new byte[32];
    for (int i = 0; i < n; i++) {
      rnd.nextBytes(v);
      sb.append(Hex.encode(v)).append('\n');
    }
    HttpResponse<String> r = ts.post("/v1/admin/import?list=big&format=hex&type=sha256",
        ts.adminKey, "text/plain", sb.toString().getBytes(StandardCharsets.US_ASCII));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).get("added").asInt()).isEqualTo(n);
    assertThat(ts.db.stats().lists().get("big")).isEqualTo(n);
  }

  @Test
  void stats_reportsCountsMemoryAndKeys() throws Exception {
    HttpResponse<String> r = ts.get("/v1/admin/stats", ts.adminKey);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode j = json(r);
    assertThat(j.get("entries").asLong()).isEqualTo(3);
    assertThat(j.at("/types/md5/live").asLong()).isEqualTo(1);
    assertThat(j.at("/lists/list-a").asLong()).isEqualTo(2);
    assertThat(j.at("/memory/databaseBytes").asLong()).isPositive();
    assertThat(j.get("sequence").asLong()).isEqualTo(ts.db.sequence());
    assertThat(j.at("/keys/query").asInt()).isEqualTo(3);
  }

  @Test
  void changes_upToDateIsEmpty_olderThanLogIs410() throws Exception {
    long seq = ts.db.sequence();
    HttpResponse<String> r = ts.get("/v1/admin/changes?since=" + seq, ts.replicaKey);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).get("changes")).isEmpty();
    assertThat(json(r).get("next").asLong()).isEqualTo(seq);
    if (ts.db.firstAvailableChange() > 1) {
      assertError(ts.get("/v1/admin/changes?since=0", ts.replicaKey), 410, "snapshot_required");
    }
    assertError(ts.get("/v1/admin/changes?since=-1", ts.replicaKey), 400, "invalid_request");
    assertError(ts.get("/v1/admin/changes?since=0&limit=0", ts.replicaKey), 400,
        "invalid_request");
  }

  @Test
  void metricsAndOpenApi_served() throws Exception {
    ts.get("/v1/hashes/md5/" + TestServer.MD5_A, ts.queryKey);
    System.gc(); // gauges must survive a collection (Micrometer holds gauge state weakly by default)
    HttpResponse<String> m = ts.get("/metrics", ts.adminKey);
    assertThat(m.statusCode()).isEqualTo(200);
    assertThat(m.body()).contains("hashdb_http_requests_seconds_count{route=\"hash\",status=\"200\"}")
        .contains("hashdb_lookups_total{type=\"md5\"}")
        .contains("hashdb_matches_total{list=\"list-a\",type=\"md5\"}")
        .contains("hashdb_entries{type=\"sha256\"} 1.0")
        .contains("hashdb_wal_write_seconds")
        .contains("hashdb_audit_dropped_total 0.0")
        .contains("hashdb_access_dropped_total 0.0");
    HttpResponse<String> o = ts.get("/openapi.json", ts.queryKey);
    assertThat(json(o).get("openapi").asText()).startsWith("3.");
  }

  @Test
  void rateLimit_burstExceeded_429WithRetryAfter() throws Exception {
    int limited = 0;
    String retry = null;
    for (int i = 0; i < 6; i++) {
      HttpResponse<String> r = ts.get("/v1/hashes/md5/" + TestServer.MD5_A, ts.limitedKey);
      if (r.statusCode() == 429) {
        limited++;
        assertThat(json(r).at("/error/code").asText()).isEqualTo("rate_limited");
        retry = r.headers().firstValue("retry-after").orElse(null);
      }
    }
    assertThat(limited).isGreaterThanOrEqualTo(3);
    assertThat(retry).isEqualTo("1");
  }

  @Test
  void audit_recordsMatchesNotMisses() throws Exception {
    ts.get("/v1/hashes/md5/" + TestServer.MD5_A, ts.queryKey);
    String miss = "9f".repeat(16);
    ts.get("/v1/hashes/md5/" + miss, ts.queryKey);
    ts.close();
    String audit = Files.readString(dir.resolve("audit.jsonl"));
    assertThat(audit).contains("\"event\":\"match\"").contains("\"key\":\"query\"")
        .contains("\"list\":\"list-a\"").doesNotContain(miss).doesNotContain(ts.queryKey);
  }
}
