package org.hashdb.server.psi;

import org.hashdb.server.PsiSettings;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.util.encoders.Hex;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.psi.PsiInput;
import org.hashdb.core.psi.Voprf;
import org.hashdb.core.psi.VoprfClient;
import org.hashdb.server.http.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hashdb.testing.TestRandom;

/** The private lookup routes over a real socket: shape, validation, padding, limits, keys. */
class PsiEndpointsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path dir;
  private TestServer ts;
  private PsiService psi;

  private void start(PsiSettings settings) throws Exception {
    ts = new TestServer(dir);
    psi = PsiService.open(dir, settings, ts.api::database);
    ts.api.privateLookups(psi);
    awaitReady(psi);
  }

  static void awaitReady(PsiService p) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (!p.ready() && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    assertThat(p.ready()).as("precomputation finished").isTrue();
  }

  @AfterEach
  void stop() {
    if (ts != null) {
      ts.close();
    }
  }

  private JsonNode config() throws Exception {
    HttpResponse<String> r = ts.get("/v1/psi/config", ts.queryKey);
    assertThat(r.statusCode()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  @Test
  void config_describesSuiteAndKey_keyFileIsPrivate() throws Exception {
    start(PsiSettings.defaults());
    JsonNode c = config();
    assertThat(c.get("suite").asText()).isEqualTo("P256-SHA256");
    assertThat(c.get("mode").asText()).isEqualTo("voprf");
    assertThat(c.get("bucketBits").asInt()).isEqualTo(16);
    assertThat(c.get("bucketSize").asInt()).isEqualTo(512);
    assertThat(c.get("maxQueries").asInt()).isEqualTo(1000);
    assertThat(c.get("publicKey").asText()).matches("0[23][0-9a-f]{64}");
    Path keyFile = dir.resolve("psi").resolve(OprfKeyStore.FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
        .isEqualTo("rw-------");
    assertThat(ts.get("/v1/psi/config", null).statusCode()).isEqualTo(401);
  }

  @Test
  void lookup_presentHash_matchesAfterFinalize_absentDoesNot() throws Exception {
    start(PsiSettings.defaults());
    JsonNode c = config();
    VoprfClient client = new VoprfClient(Hex.decode(c.get("publicKey").asText()));
    byte[] present = PsiInput.of(HashType.MD5, Hex.decode(TestServer.MD5_A));
    byte[] absent = PsiInput.of(HashType.MD5, new byte[16]);
    VoprfClient.Blinded b0 = client.blind(present, RANDOM);
    VoprfClient.Blinded b1 = client.blind(absent, RANDOM);
    long k0 = PsiInput.bucket(present, 16);
    long k1 = PsiInput.bucket(absent, 16);
    String body = "{\"queries\":[" + query(k0, b0.serialized()) + "," + query(k1, b1.serialized())
        + "," + query(k0, b0.serialized()) + "]}";
    HttpResponse<String> r = ts.postJson("/v1/psi/lookup", ts.queryKey, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode a = JSON.readTree(r.body());
    assertThat(a.get("evaluatedElements")).hasSize(3);
    assertThat(a.get("proof").asText()).matches("[0-9a-f]{128}");
    assertThat(a.get("publicKey").asText()).isEqualTo(c.get("publicKey").asText());
    Set<String> keys = new HashSet<>();
    a.get("buckets").fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactlyInAnyOrder(Long.toString(k0), Long.toString(k1));
    for (String k : keys) {
      assertThat(a.get("buckets").get(k)).hasSize(512);
    }
    byte[][] ev = new byte[3][];
    for (int i = 0; i < 3; i++) {
      ev[i] = Hex.decode(a.get("evaluatedElements").get(i).asText());
    }
    byte[][] out = client.finalizeBatch(new VoprfClient.Blinded[] {b0, b1, b0}, ev,
        Hex.decode(a.get("proof").asText()));
    assertThat(values(a, k0)).contains(Hex.toHexString(out[0]));
    assertThat(values(a, k1)).doesNotContain(Hex.toHexString(out[1]));

    // The list-a key sees MD5_A; a key limited to another list would not: SHA256_B is on list-b.
    byte[] onB = PsiInput.of(HashType.SHA256, Hex.decode(TestServer.SHA256_B));
    VoprfClient.Blinded bb = client.blind(onB, RANDOM);
    long kb = PsiInput.bucket(onB, 16);
    String bodyB = "{\"queries\":[" + query(kb, bb.serialized()) + "]}";
    for (String key : List.of(ts.queryKey, ts.listAKey)) {
      JsonNode ab = JSON.readTree(ts.postJson("/v1/psi/lookup", key, bodyB).body());
      byte[] o = client.finalizeBatch(new VoprfClient.Blinded[] {bb},
          new byte[][] {Hex.decode(ab.get("evaluatedElements").get(0).asText())},
          Hex.decode(ab.get("proof").asText()))[0];
      assertThat(values(ab, kb).contains(Hex.toHexString(o))).as(key).isEqualTo(key.equals(ts.queryKey));
      assertThat(values(ab, kb)).hasSize(512);
    }
  }

  @Test
  void lookup_sameBucketTwice_equalAnswersAsSets() throws Exception {
    start(PsiSettings.defaults());
    VoprfClient client = new VoprfClient(Hex.decode(config().get("publicKey").asText()));
    byte[] in = PsiInput.of(HashType.MD5, Hex.decode(TestServer.MD5_A));
    long k = PsiInput.bucket(in, 16);
    String body = "{\"queries\":[" + query(k, client.blind(in, RANDOM).serialized()) + "]}";
    List<String> first = values(JSON.readTree(ts.postJson("/v1/psi/lookup", ts.queryKey, body).body()), k);
    List<String> second = values(JSON.readTree(ts.postJson("/v1/psi/lookup", ts.queryKey, body).body()), k);
    assertThat(new HashSet<>(first)).isEqualTo(new HashSet<>(second)).hasSize(512);
    // An empty bucket is padding only, and just as large.
    long empty = (k + 1) % 65536;
    String body2 = "{\"queries\":[" + query(empty, client.blind(in, RANDOM).serialized()) + "]}";
    assertThat(values(JSON.readTree(ts.postJson("/v1/psi/lookup", ts.queryKey, body2).body()), empty))
        .hasSize(512).doesNotHaveDuplicates();
  }

  @Test
  void lookup_hostileInput_400NamingTheIndex() throws Exception {
    start(new PsiSettings(true, 16, 512, 3, 60, 1));
    String good = Hex.toHexString(Voprf.P256_SHA256.serializeElement(
        Voprf.P256_SHA256.multiplyGenerator(java.math.BigInteger.TEN).normalize()));
    String notOnCurve = notOnCurve();
    String[][] cases = {
        {"{\"queries\":[]}", "at least one"},
        {"{}", "queries: required"},
        {"[]", "JSON object"},
        {"{\"queries\":[{\"bucket\":1,\"blindedElement\":\"" + good + "\"},{\"bucket\":65536,\"blindedElement\":\"" + good + "\"}]}", "queries[1].bucket"},
        {"{\"queries\":[{\"bucket\":-1,\"blindedElement\":\"" + good + "\"}]}", "queries[0].bucket"},
        {"{\"queries\":[{\"bucket\":1.5,\"blindedElement\":\"" + good + "\"}]}", "queries[0].bucket"},
        {"{\"queries\":[{\"bucket\":1,\"blindedElement\":\"" + good.substring(2) + "\"}]}", "queries[0].blindedElement: must be 66"},
        {"{\"queries\":[{\"bucket\":1,\"blindedElement\":\"" + good + "00\"}]}", "queries[0].blindedElement: must be 66"},
        {"{\"queries\":[{\"bucket\":1,\"blindedElement\":\"" + "00".repeat(33) + "\"}]}", "queries[0].blindedElement: not a compressed point"},
        {"{\"queries\":[{\"bucket\":1,\"blindedElement\":\"04" + good.substring(2) + "\"}]}", "queries[0].blindedElement: not a compressed point"},
        {"{\"queries\":[{\"bucket\":1,\"blindedElement\":\"02" + "ff".repeat(32) + "\"}]}", "queries[0].blindedElement: x coordinate out of range"},
        {"{\"queries\":[{\"bucket\":1,\"blindedElement\":\"" + good + "\"},{\"bucket\":1,\"blindedElement\":\"" + notOnCurve + "\"}]}", "queries[1].blindedElement: not a point"},
        {"{\"queries\":[{\"bucket\":1,\"blindedElement\":\"zz" + good.substring(2) + "\"}]}", "not hexadecimal"},
        {"{\"queries\":[{\"bucket\":1}]}", "queries[0].blindedElement: required"},
        {"{\"queries\":[{\"bucket\":\"1\",\"blindedElement\":\"" + good + "\"}]}", "queries[0].bucket"},
        {"{\"queries\":[{\"bucket\":1,\"blindedElement\":\"" + good + "\"}],\"publicKey\":\"" + good + "\"}", "publicKey: not a key"},
    };
    for (String[] c : cases) {
      HttpResponse<String> r = ts.postJson("/v1/psi/lookup", ts.queryKey, c[0]);
      assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
      assertThat(r.body()).as(c[0]).contains("invalid_request").contains(c[1]);
    }
    for (String bad : new String[] {"", "{\"queries\":[}", "{\"queries\":[{\"bucket\":1,\"blindedElement\":\"" + good + "\"}]} {}"}) {
      HttpResponse<String> r = ts.postJson("/v1/psi/lookup", ts.queryKey, bad);
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(r.body()).as(bad).contains("invalid_json");
    }
    HttpResponse<String> unknown = ts.postJson("/v1/psi/lookup", ts.queryKey,
        "{\"x\":[1,{\"y\":2}],\"queries\":[{\"bucket\":1,\"z\":{},\"blindedElement\":\"" + good + "\"}]}");
    assertThat(unknown.statusCode()).as("unknown fields are ignored").isEqualTo(200);
    StringBuilder four = new StringBuilder("{\"queries\":[");
    for (int i = 0; i < 4; i++) {
      four.append(i == 0 ? "" : ",").append("{\"bucket\":1,\"blindedElement\":\"").append(good).append("\"}");
    }
    HttpResponse<String> r = ts.postJson("/v1/psi/lookup", ts.queryKey, four.append("]}").toString());
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.body()).contains("payload_too_large");
  }

  @Test
  void lookup_rateLimitedKey_429AsForOtherLookups() throws Exception {
    start(PsiSettings.defaults());
    String good = Hex.toHexString(Voprf.P256_SHA256.serializeElement(
        Voprf.P256_SHA256.multiplyGenerator(java.math.BigInteger.TWO).normalize()));
    String body = "{\"queries\":[" + "{\"bucket\":1,\"blindedElement\":\"" + good + "\"}]}";
    List<Integer> codes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      codes.add(ts.postJson("/v1/psi/lookup", ts.limitedKey, body).statusCode());
    }
    assertThat(codes).contains(429);
  }

  @Test
  void disabled_routes404_statsSayOff() throws Exception {
    ts = new TestServer(dir);
    assertThat(ts.get("/v1/psi/config", ts.queryKey).statusCode()).isEqualTo(404);
    assertThat(ts.postJson("/v1/psi/lookup", ts.queryKey, "{}").statusCode()).isEqualTo(404);
    JsonNode st = JSON.readTree(ts.get("/v1/admin/stats", ts.adminKey).body());
    assertThat(st.get("psi").get("enabled").asBoolean()).isFalse();
  }

  @Test
  void stats_reportProgressAndTable() throws Exception {
    start(PsiSettings.defaults());
    JsonNode st = JSON.readTree(ts.get("/v1/admin/stats", ts.adminKey).body()).get("psi");
    assertThat(st.get("enabled").asBoolean()).isTrue();
    assertThat(st.get("pending").asLong()).isZero();
    assertThat(st.get("ready").asBoolean()).isTrue();
    assertThat(st.get("values").asLong()).isEqualTo(2); // md5 + sha256; pdq never takes part
  }

  @Test
  void rotate_newKeyServedAfterPrecompute_oldStillAnswersDuringOverlap() throws Exception {
    start(PsiSettings.defaults());
    String oldKey = config().get("publicKey").asText();
    HttpResponse<String> r = ts.post("/v1/admin/psi/rotate", ts.adminKey, "application/json", new byte[0]);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String newKey = JSON.readTree(r.body()).get("nextPublicKey").asText();
    assertThat(newKey).isNotEqualTo(oldKey);
    assertThat(ts.get("/v1/psi/config", ts.queryKey).statusCode()).isEqualTo(200);
    long deadline = System.currentTimeMillis() + 30_000;
    JsonNode c = config();
    while (!c.get("publicKey").asText().equals(newKey) && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
      c = config();
    }
    assertThat(c.get("publicKey").asText()).isEqualTo(newKey);
    assertThat(c.get("previousPublicKey").asText()).isEqualTo(oldKey);
    assertThat(c.has("previousKeyRetires")).isTrue();

    // A client pinned to the old key still gets verifiable answers by naming it.
    VoprfClient old = new VoprfClient(Hex.decode(oldKey));
    byte[] in = PsiInput.of(HashType.MD5, Hex.decode(TestServer.MD5_A));
    long k = PsiInput.bucket(in, 16);
    VoprfClient.Blinded b = old.blind(in, RANDOM);
    JsonNode a = JSON.readTree(ts.postJson("/v1/psi/lookup", ts.queryKey, "{\"queries\":["
        + query(k, b.serialized()) + "],\"publicKey\":\"" + oldKey + "\"}").body());
    assertThat(a.get("publicKey").asText()).isEqualTo(oldKey);
    byte[] o = old.finalizeBatch(new VoprfClient.Blinded[] {b},
        new byte[][] {Hex.decode(a.get("evaluatedElements").get(0).asText())},
        Hex.decode(a.get("proof").asText()))[0];
    assertThat(values(a, k)).contains(Hex.toHexString(o));
    // Default: the new key.
    JsonNode d = JSON.readTree(ts.postJson("/v1/psi/lookup", ts.queryKey, "{\"queries\":["
        + query(k, b.serialized()) + "]}").body());
    assertThat(d.get("publicKey").asText()).isEqualTo(newKey);
    // The key file now holds both, and survives a reload.
    OprfKeyStore.Keys keys = new OprfKeyStore(dir.resolve("psi")).read();
    assertThat(Hex.toHexString(keys.current().publicKey())).isEqualTo(newKey);
    assertThat(Hex.toHexString(keys.previous().publicKey())).isEqualTo(oldKey);
  }

  static String query(long bucket, byte[] blinded) {
    return "{\"bucket\":" + bucket + ",\"blindedElement\":\"" + Hex.toHexString(blinded) + "\"}";
  }

  static List<String> values(JsonNode answer, long bucket) {
    List<String> out = new ArrayList<>();
    answer.get("buckets").get(Long.toString(bucket)).forEach(v -> out.add(v.asText()));
    return out;
  }

  /** A compressed encoding whose x has no point on P-256. */
  static String notOnCurve() {
    java.util.Random r = TestRandom.random(3);
    while (true) {
      byte[] b = new byte[33];
      r.nextBytes(b);
      b[0] = 2;
      b[1] &= 0x7F;
      try {
        Voprf.P256_SHA256.deserializeElement(b);
      } catch (IllegalArgumentException e) {
        if (e.getMessage().contains("not a point")) {
          return Hex.toHexString(b);
        }
      }
    }
  }
}
