package org.hashdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;
import org.hashdb.server.auth.KeyFile;
import org.hashdb.server.auth.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-key PDQ distance ceiling over HTTP: a query key (default 31) cannot ask for 48 and
 * learn of a match 40 bits away; an admin key (64) can; a key created with a ceiling of 8 is
 * held to it on the single GET and in JSON batches, and its default distance is capped.
 */
class PdqDistanceCeilingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private TestServer ts;
  private String tightKey; // query key, --max-distance 8
  private String far; // PDQ_A with 40 bits flipped
  private String near; // PDQ_A with 6 bits flipped

  @BeforeEach
  void start() throws Exception {
    ts = new TestServer(dir);
    tightKey = new KeyFile(dir).create("tight", Role.QUERY, null, 0, 8);
    ts.api.keys().reloadIfChanged();
    far = flip(40);
    near = flip(6);
  }

  @AfterEach
  void stop() {
    ts.close();
  }

  private static String flip(int bits) {
    byte[] q = Hex.decode(HashType.PDQ, TestServer.PDQ_A);
    for (int i = 0; i < bits; i++) {
      q[i / 8] ^= (byte) (1 << (i % 8));
    }
    return Hex.encode(q);
  }

  private static void assertCeilingError(HttpResponse<String> r, int ceiling) throws Exception {
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode e = JSON.readTree(r.body()).get("error");
    assertThat(e.get("code").asText()).isEqualTo("invalid_request");
    assertThat(e.get("message").asText()).contains("ceiling of " + ceiling);
  }

  @Test
  void single_queryKeyAboveDefaultCeiling_400NamingIt_adminAnswered() throws Exception {
    assertCeilingError(ts.get("/v1/hashes/pdq/" + far + "?maxDistance=48", ts.queryKey), 31);
    assertCeilingError(ts.get("/v1/hashes/pdq/" + far + "?maxDistance=32", ts.queryKey), 31);
    HttpResponse<String> ok = ts.get("/v1/hashes/pdq/" + far + "?maxDistance=31", ts.queryKey);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(ok.body()).get("match").asBoolean()).isFalse();
    JsonNode admin = JSON.readTree(
        ts.get("/v1/hashes/pdq/" + far + "?maxDistance=48", ts.adminKey).body());
    assertThat(admin.at("/matches/0/distance").asInt()).isEqualTo(40);
    // above the server's own limit the message gives the usable range
    HttpResponse<String> r = ts.get("/v1/hashes/pdq/" + far + "?maxDistance=65", ts.queryKey);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("0..31");
  }

  @Test
  void single_keyWithOwnCeiling_heldToIt_defaultCapped() throws Exception {
    assertCeilingError(ts.get("/v1/hashes/pdq/" + near + "?maxDistance=9", tightKey), 8);
    JsonNode j = JSON.readTree(ts.get("/v1/hashes/pdq/" + near + "?maxDistance=8", tightKey)
        .body());
    assertThat(j.at("/matches/0/distance").asInt()).isEqualTo(6);
    // no maxDistance: the server default (31) capped at the key's 8, not an error
    HttpResponse<String> dflt = ts.get("/v1/hashes/pdq/" + flip(12), tightKey);
    assertThat(dflt.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(dflt.body()).get("match").asBoolean()).isFalse();
    assertThat(JSON.readTree(ts.get("/v1/hashes/pdq/" + flip(12), ts.queryKey).body())
        .get("match").asBoolean()).isTrue();
  }

  @Test
  void batch_queryAboveCeiling_400NamingIndexAndCeiling() throws Exception {
    String body = "{\"queries\":[{\"type\":\"pdq\",\"hash\":\"" + near + "\",\"maxDistance\":8},"
        + "{\"type\":\"pdq\",\"hash\":\"" + far + "\",\"maxDistance\":9}]}";
    HttpResponse<String> r = ts.postJson("/v1/lookup", tightKey, body);
    assertCeilingError(r, 8);
    assertThat(r.body()).contains("queries[1].maxDistance");
    assertCeilingError(ts.postJson("/v1/lookup", ts.queryKey, "{\"queries\":[{\"type\":\"pdq\","
        + "\"hash\":\"" + far + "\",\"maxDistance\":48}]}"), 31);
    JsonNode ok = JSON.readTree(ts.postJson("/v1/lookup", ts.adminKey, "{\"queries\":[{\"type\":"
        + "\"pdq\",\"hash\":\"" + far + "\",\"maxDistance\":48}]}").body());
    assertThat(ok.at("/results/0/matches/0/distance").asInt()).isEqualTo(40);
    // without maxDistance the batch default is capped too
    JsonNode capped = JSON.readTree(ts.postJson("/v1/lookup", tightKey, "{\"queries\":[{\"type\":"
        + "\"pdq\",\"hash\":\"" + flip(12) + "\"}]}").body());
    assertThat(capped.at("/results/0/match").asBoolean()).isFalse();
  }
}
