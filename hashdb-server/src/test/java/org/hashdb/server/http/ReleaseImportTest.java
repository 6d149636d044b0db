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
import java.util.List;
import org.hashdb.core.release.Ed25519KeyPair;
import org.hashdb.core.release.ListReleaseWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/admin/import?format=release}: signed releases verified before any add. */
class ReleaseImportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  private static byte[] release(Ed25519KeyPair key, String list, String csv, Path out)
      throws Exception {
    ListReleaseWriter.write(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), list,
        7, Instant.parse("2026-11-01T00:00:00Z"), key, out, e -> {
          throw new AssertionError(e.toString());
        });
    return Files.readAllBytes(out);
  }

  @Test
  void signedRelease_trustedImported_tamperedOrUntrustedAddsNothing() throws Exception {
    Ed25519KeyPair supplier = Ed25519KeyPair.fromSeed(new byte[32]);
    byte[] seed2 = new byte[32];
    seed2[0] = 1;
    Ed25519KeyPair stranger = Ed25519KeyPair.fromSeed(seed2);
    Path pub = dir.resolve("supplier.pub");
    supplier.writePublicKey(pub, "supplier lists=eokm-nl"); // scoped, as a trust file must be
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    String h1 = "ab".repeat(16);
    String h2 = "cd".repeat(32);
    String csv = "md5," + h1 + ",A1,police\nsha256," + h2 + ",B1,\n";
    byte[] good = release(supplier, "eokm-nl", csv, dir.resolve("good.hdbrel"));
    byte[] untrusted = release(stranger, "eokm-nl", csv, dir.resolve("bad.hdbrel"));
    byte[] tampered = good.clone();
    int at = indexOf(tampered, h1.getBytes(StandardCharsets.US_ASCII));
    tampered[at] = 'c';
    try (TestServer ts = new TestServer(data, b -> b.trustedKeys(List.of(pub)))) {
      String path = "/v1/admin/import?format=release";
      HttpResponse<String> r = ts.post(path, ts.adminKey, "application/octet-stream", untrusted);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
      assertThat(JSON.readTree(r.body()).at("/error/code").asText()).isEqualTo("release_refused");
      assertThat(JSON.readTree(r.body()).at("/error/message").asText()).contains("nothing imported");
      r = ts.post(path, ts.adminKey, "application/octet-stream", tampered);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
      assertThat(ts.get("/v1/hashes/md5/" + h1, ts.queryKey).body()).contains("\"match\":false");
      r = ts.post(path + "&list=other", ts.adminKey, "application/octet-stream", good);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
      assertThat(r.body()).contains("not 'other'");

      r = ts.post(path, ts.adminKey, "application/octet-stream", good);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode j = JSON.readTree(r.body());
      assertThat(j.get("list").asText()).isEqualTo("eokm-nl");
      assertThat(j.get("release").asLong()).isEqualTo(7);
      assertThat(j.get("added").asInt()).isEqualTo(2);
      JsonNode m = JSON.readTree(ts.get("/v1/hashes/md5/" + h1, ts.queryKey).body());
      assertThat(m.at("/matches/0/list").asText()).isEqualTo("eokm-nl");
      assertThat(m.at("/matches/0/category").asText()).isEqualTo("A1");
    }
    try (TestServer plain = new TestServer(dir.resolve("plain"))) {
      HttpResponse<String> r = plain.post("/v1/admin/import?format=release", plain.adminKey,
          "application/octet-stream", good);
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).contains("trusts no release signing keys");
    }
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int k = 0; k < needle.length; k++) {
        if (hay[i + k] != needle[k]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
