package org.hashdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.hashdb.core.release.Ed25519KeyPair;
import org.hashdb.core.release.ListReleaseWriter;
import org.hashdb.core.release.ReleaseEncryption;
import org.hashdb.core.release.X25519KeyPair;
import org.hashdb.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/admin/import?format=release} with a release encrypted to the server's key. */
class EncryptedReleaseImportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PATH = "/v1/admin/import?format=release";
  @TempDir Path dir;

  private static byte[] encrypt(byte[] plain, X25519KeyPair to) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ReleaseEncryption.encrypt(new ByteArrayInputStream(plain), out, to.publicKey());
    return out.toByteArray();
  }

  @Test
  void encryptedRelease_rightKeyImported_tamperedWrongKeyOrNoKeyAddsNothing() throws Exception {
    Ed25519KeyPair supplier = Ed25519KeyPair.fromSeed(new byte[32]);
    Path pub = dir.resolve("supplier.pub");
    supplier.writePublicKey(pub, "supplier lists=eokm-nl"); // scoped, as a trust file must be
    X25519KeyPair eokm = X25519KeyPair.generate();
    Path eokmKey = dir.resolve("eokm.key");
    eokm.writePrivateKey(eokmKey);
    String h1 = "ab".repeat(16);
    String csv = "md5," + h1 + ",A1,police\nsha256," + "cd".repeat(32) + ",B1,\n";
    Path rel = dir.resolve("r.hdbrel");
    ListReleaseWriter.write(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "eokm-nl", 9,
        Instant.parse("2026-11-01T00:00:00Z"), supplier, rel, e -> {
          throw new AssertionError(e.toString());
        });
    byte[] plain = Files.readAllBytes(rel);
    byte[] good = encrypt(plain, eokm);
    byte[] toOther = encrypt(plain, X25519KeyPair.generate());
    byte[] tampered = good.clone();
    tampered[tampered.length - 1] ^= 1;

    Path data = dir.resolve("data");
    Files.createDirectories(data);
    try (TestServer ts = new TestServer(data, b -> b.trustedKeys(List.of(pub)).releaseDecryptKey(eokmKey))) {
      HttpResponse<String> r = ts.post(PATH, ts.adminKey, "application/octet-stream", tampered);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
      JsonNode err = JSON.readTree(r.body()).get("error");
      assertThat(err.get("code").asText()).isEqualTo("release_refused");
      assertThat(err.get("message").asText()).contains("encrypted release: chunk 0").contains("nothing imported");
      r = ts.post(PATH, ts.adminKey, "application/octet-stream", toOther);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
      assertThat(r.body()).contains("release is encrypted for key id").contains(eokm.keyId());
      assertThat(ts.get("/v1/hashes/md5/" + h1, ts.queryKey).body()).contains("\"match\":false");

      r = ts.post(PATH, ts.adminKey, "application/octet-stream", good);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode j = JSON.readTree(r.body());
      assertThat(j.get("list").asText()).isEqualTo("eokm-nl");
      assertThat(j.get("release").asLong()).isEqualTo(9);
      assertThat(j.get("added").asInt()).isEqualTo(2);
      assertThat(ts.get("/v1/hashes/md5/" + h1, ts.queryKey).body()).contains("\"match\":true");
      // A plain signed release is still accepted (the same number again: only with allowRollback).
      r = ts.post(PATH, ts.adminKey, "application/octet-stream", plain);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
      r = ts.post(PATH + "&allowRollback=true", ts.adminKey, "application/octet-stream", plain);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(JSON.readTree(r.body()).get("alreadyPresent").asInt()).isEqualTo(2);
    }
    try (TestServer noKey = new TestServer(dir.resolve("other"), b -> b.trustedKeys(List.of(pub)))) {
      HttpResponse<String> r = noKey.post(PATH, noKey.adminKey, "application/octet-stream", good);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
      assertThat(r.body()).contains("the release is encrypted and this server has no decryption key");
    }
  }

  @Test
  void releaseDecryptKey_withoutTrustedKeys_refusedByConfig() {
    assertThatThrownBy(() -> ServerConfig.builder().releaseDecryptKey(dir.resolve("k")).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("releaseDecryptKey needs trustedKeys");
    java.util.Properties p = new java.util.Properties();
    p.setProperty("trustedKeys", "a.pub");
    p.setProperty("releaseDecryptKey", "eokm.key");
    assertThat(ServerConfig.fromProperties(p, ServerConfig.defaults()).releaseDecryptKey()).isEqualTo(Path.of("eokm.key"));
  }
}
