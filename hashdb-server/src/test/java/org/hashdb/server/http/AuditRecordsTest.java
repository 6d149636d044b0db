package org.hashdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;
import org.hashdb.server.audit.AdminAuditLog;
import org.hashdb.server.audit.AuditLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit trail over HTTP: one match record per request whatever the number of matching
 * hashes in it, and admin changes in their own file, present as soon as they are acknowledged.
 */
class AuditRecordsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  private static List<JsonNode> records(Path file) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    if (Files.exists(file)) {
      for (String l : Files.readAllLines(file)) {
        out.add(JSON.readTree(l));
      }
    }
    return out;
  }

  @Test
  void bulkRepeatingAMatch_oneRecord_batchAndSingleOneEach_adminSeparate() throws Exception {
    TestServer ts = new TestServer(dir);
    byte[] hit = Hex.decode(HashType.SHA256, TestServer.SHA256_B);
    int copies = 10_000;
    byte[] body = new byte[copies * 32];
    for (int i = 0; i < copies; i++) {
      System.arraycopy(hit, 0, body, i * 32, 32);
    }
    assertThat(ts.postBytes("/v1/lookup/bulk?type=sha256", ts.queryKey,
        "application/octet-stream", body).statusCode()).isEqualTo(200);
    String batch = "{\"queries\":[" + ("{\"type\":\"md5\",\"hash\":\"" + TestServer.MD5_A
        + "\"},").repeat(3) + "{\"type\":\"md5\",\"hash\":\"" + "9f".repeat(16) + "\"}]}";
    assertThat(ts.postJson("/v1/lookup", ts.queryKey, batch).statusCode()).isEqualTo(200);
    assertThat(ts.get("/v1/hashes/md5/" + TestServer.MD5_A, ts.listAKey).statusCode())
        .isEqualTo(200);
    assertThat(ts.get("/v1/hashes/md5/" + "9f".repeat(16), ts.queryKey).statusCode())
        .isEqualTo(200); // a miss: no record
    String add = "{\"entries\":[{\"type\":\"md5\",\"hash\":\"" + "11".repeat(16)
        + "\",\"list\":\"list-c\",\"category\":\"X\"}]}";
    assertThat(ts.postJson("/v1/admin/entries", ts.adminKey, add).statusCode()).isEqualTo(200);
    // acknowledged: the admin record is already on disk, before the server is closed
    List<JsonNode> admin = records(dir.resolve(AdminAuditLog.FILE_NAME));
    assertThat(admin).hasSize(1);
    assertThat(admin.get(0).get("event").asText()).isEqualTo("add");
    assertThat(admin.get(0).get("key").asText()).isEqualTo("admin");
    assertThat(admin.get(0).get("added").asInt()).isEqualTo(1);
    ts.close();

    List<JsonNode> matches = records(dir.resolve(AuditLog.FILE_NAME));
    assertThat(matches).hasSize(3);
    JsonNode bulk = matches.get(0);
    assertThat(bulk.get("route").asText()).isEqualTo("bulk");
    assertThat(bulk.get("hashes").asLong()).isEqualTo(copies);
    assertThat(bulk.get("matches").asLong()).isEqualTo(copies);
    assertThat(bulk.get("keyId").asText()).isEqualTo(ts.queryKey.substring(4, 20));
    assertThat(bulk.at("/lists/0/list").asText()).isEqualTo("list-b");
    assertThat(bulk.at("/lists/0/category").asText()).isEqualTo("B2");
    assertThat(bulk.at("/lists/0/matches").asLong()).isEqualTo(copies);
    assertThat(bulk.get("digest").asText()).startsWith("sha256:").hasSize(7 + 64);
    JsonNode lookup = matches.get(1);
    assertThat(lookup.get("route").asText()).isEqualTo("lookup");
    assertThat(lookup.get("hashes").asLong()).isEqualTo(3);
    assertThat(lookup.at("/lists/0/list").asText()).isEqualTo("list-a");
    JsonNode single = matches.get(2);
    assertThat(single.get("route").asText()).isEqualTo("hash");
    assertThat(single.get("key").asText()).isEqualTo("list-a-only");
    String all = Files.readString(dir.resolve(AuditLog.FILE_NAME));
    assertThat(all).doesNotContain("9f".repeat(16)).doesNotContain(TestServer.SHA256_B)
        .doesNotContain(ts.queryKey).doesNotContain("\"add\"");
  }
}
