package org.hashdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hashdb.core.db.NewEntry;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.lists.ListReader;
import org.hashdb.core.release.Ed25519KeyPair;
import org.hashdb.core.release.ListReleaseWriter;
import org.hashdb.core.release.ReleaseKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/admin/import?format=release} with full and delta releases: one sequence number
 * per release (its feed entry: ChangeFeedListTest), rollbacks refused unless
 * {@code allowRollback=true}, trust scoped by list.
 */
class ReleaseKindsImportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PATH = "/v1/admin/import?format=release";
  private static final String A = "a1".repeat(32);
  private static final String B = "b2".repeat(32);
  private static final String C = "c3".repeat(32);
  private static final String D = "d4".repeat(32);

  @TempDir Path dir;

  private static ListReader rows(String list, String... hashes) {
    StringBuilder sb = new StringBuilder();
    for (String h : hashes) {
      sb.append("sha256,").append(h).append(",A1,police\n");
    }
    return ListReader.builder(new ByteArrayInputStream(sb.toString().getBytes(StandardCharsets.UTF_8)), list).build();
  }

  private byte[] release(Ed25519KeyPair key, ReleaseKind kind, String list, long number, String[] adds,
      String... removes) throws Exception {
    Path out = dir.resolve(list + "-" + number + "-" + kind.apiName() + ".hdbrel");
    ListReleaseWriter.write(kind, rows(list, adds), removes.length == 0 ? null : rows(list, removes), list, number,
        Instant.parse("2026-12-01T00:00:00Z"), key, out, e -> {
          throw new AssertionError(e.toString());
        });
    return Files.readAllBytes(out);
  }

  private static boolean matches(TestServer ts, String hash) throws Exception {
    return ts.get("/v1/hashes/sha256/" + hash, ts.adminKey).body().contains("\"list\":\"nl\"");
  }

  @Test
  void fullAndDeltaReleases_oneSequenceEach_rollbackAndCrossListRefused() throws Exception {
    byte[] seed = new byte[32];
    seed[0] = 13;
    Ed25519KeyPair supplier = Ed25519KeyPair.fromSeed(seed);
    seed[0] = 14;
    Ed25519KeyPair unscoped = Ed25519KeyPair.fromSeed(seed);
    Path trust = dir.resolve("trusted.keys");
    Path other = dir.resolve("other.pub");
    supplier.writePublicKey(trust, "supplier lists=nl,nl-video");
    unscoped.writePublicKey(other, "old");
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    try (TestServer ts = new TestServer(data, b -> b.trustedKeys(List.of(trust, other)))) {
      ts.db.add(List.of(new NewEntry(HashType.SHA256, Hex.decode(A), "other", "", "")));
      HttpResponse<String> r = ts.post(PATH, ts.adminKey, "application/octet-stream",
          release(supplier, ReleaseKind.FULL, "nl", 1, new String[] {A, B}));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode j = JSON.readTree(r.body());
      assertThat(j.get("kind").asText()).isEqualTo("full");
      assertThat(j.get("added").asLong()).isEqualTo(2);

      long before = ts.db.sequence();
      r = ts.post(PATH, ts.adminKey, "application/octet-stream",
          release(supplier, ReleaseKind.FULL, "nl", 2, new String[] {B, C}));
      j = JSON.readTree(r.body());
      assertThat(j.get("added").asLong()).isEqualTo(1);
      assertThat(j.get("removed").asLong()).isEqualTo(1);
      assertThat(j.get("sequence").asLong()).isEqualTo(before + 1);
      assertThat(ts.db.sequence()).isEqualTo(before + 1);
      assertThat(matches(ts, A)).isFalse();
      assertThat(ts.get("/v1/hashes/sha256/" + A, ts.adminKey).body()).contains("\"list\":\"other\"");

      // A delta adds D and removes B.
      r = ts.post(PATH, ts.adminKey, "application/octet-stream",
          release(supplier, ReleaseKind.DELTA, "nl", 3, new String[] {D}, B));
      assertThat(JSON.readTree(r.body()).get("removed").asLong()).as(r.body()).isEqualTo(1);
      assertThat(matches(ts, B)).isFalse();
      assertThat(matches(ts, D)).isTrue();

      // Older and equal releases: 409, nothing changed; allowRollback=true imports and is audited.
      byte[] two = release(supplier, ReleaseKind.FULL, "nl", 2, new String[] {B, C});
      long seq = ts.db.sequence();
      r = ts.post(PATH, ts.adminKey, "application/octet-stream", two);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
      assertThat(JSON.readTree(r.body()).at("/error/code").asText()).isEqualTo("release_rollback");
      assertThat(JSON.readTree(r.body()).at("/error/message").asText())
          .contains("list nl: release 2 signed by key " + supplier.keyId() + " is older than release 3")
          .contains("allowRollback=true");
      r = ts.post(PATH, ts.adminKey, "application/octet-stream",
          release(supplier, ReleaseKind.DELTA, "nl", 3, new String[] {A}));
      assertThat(r.statusCode()).isEqualTo(409);
      assertThat(r.body()).contains("the same as release 3");
      assertThat(ts.db.sequence()).isEqualTo(seq);
      r = ts.post(PATH + "&allowRollback=yes", ts.adminKey, "application/octet-stream", two);
      assertThat(r.statusCode()).isEqualTo(400);
      r = ts.post(PATH + "&allowRollback=true", ts.adminKey, "application/octet-stream", two);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(matches(ts, B)).isTrue();
      assertThat(matches(ts, D)).isFalse();
      List<String> audit = new ArrayList<>();
      for (String line : Files.readAllLines(data.resolve("admin-audit.jsonl"))) {
        if (line.contains("\"allowRollback\":true")) {
          audit.add(line);
        }
      }
      assertThat(audit).hasSize(1);
      assertThat(audit.get(0)).contains("\"previousRelease\":3").contains("\"release\":2");

      // Trust is scoped: a list the key may not sign, and a key whose line names no lists.
      r = ts.post(PATH, ts.adminKey, "application/octet-stream",
          release(supplier, ReleaseKind.FULL, "ncmec", 1, new String[] {A}));
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).contains("release_refused").contains("may sign only nl,nl-video");
      r = ts.post(PATH, ts.adminKey, "application/octet-stream",
          release(unscoped, ReleaseKind.FULL, "nl", 99, new String[] {A}));
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).contains("names no lists").contains("lists=nl");
      assertThat(matches(ts, A)).isFalse();
    }
  }
}
