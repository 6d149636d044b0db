package org.hashdb.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.db.Hit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
  @TempDir Path dir;

  private static MatchSummary summary(int copies) {
    MatchSummary s = new MatchSummary();
    byte[] md5 = new byte[16];
    md5[0] = 1;
    List<Hit> found = List.of(new Hit(7, HashType.MD5, "eokm-nl", "A1", "src", 0, 0),
        new Hit(8, HashType.MD5, "ncmec", "B", "src", 0, 0));
    for (int i = 0; i < copies; i++) {
      s.add(HashType.MD5, md5, 0, found);
    }
    return s;
  }

  @Test
  void matches_oneRecordPerRequest_countsPerListAndDigest() throws Exception {
    AuditLog log = AuditLog.open(dir, 1 << 20, 2, n -> {});
    log.matches("acme", "0123456789abcdef", "bulk", summary(20_000));
    log.matches("acme", "0123456789abcdef", "bulk", new MatchSummary()); // nothing matched
    log.close();
    List<String> lines = Files.readAllLines(dir.resolve(AuditLog.FILE_NAME));
    assertThat(lines).hasSize(1);
    JsonNode m = new ObjectMapper().readTree(lines.get(0));
    assertThat(m.get("event").asText()).isEqualTo("match");
    assertThat(m.get("key").asText()).isEqualTo("acme");
    assertThat(m.get("keyId").asText()).isEqualTo("0123456789abcdef");
    assertThat(m.get("route").asText()).isEqualTo("bulk");
    assertThat(m.get("hashes").asLong()).isEqualTo(20_000);
    assertThat(m.get("matches").asLong()).isEqualTo(40_000);
    assertThat(m.get("lists")).hasSize(2);
    assertThat(m.at("/lists/0/list").asText()).isEqualTo("eokm-nl");
    assertThat(m.at("/lists/0/category").asText()).isEqualTo("A1");
    assertThat(m.at("/lists/0/matches").asLong()).isEqualTo(20_000);
    assertThat(m.at("/lists/1/list").asText()).isEqualTo("ncmec");
    assertThat(m.get("time").asText()).endsWith("Z");
    // the digest: SHA-256 of "md5:<hex>\n" per matched queried hash, in order
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    byte[] line = ("md5:01" + "00".repeat(15) + "\n").getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < 20_000; i++) {
      md.update(line);
    }
    assertThat(m.get("digest").asText()).isEqualTo("sha256:" + Hex.encode(md.digest()));
    assertThat(lines.get(0)).hasSizeLessThan(1000);
  }

  @Test
  void matchSummary_manyCategories_itemisesAtMostMaxGroups() {
    MatchSummary s = new MatchSummary();
    byte[] v = new byte[16];
    for (int i = 0; i < MatchSummary.MAX_GROUPS + 10; i++) {
      s.add(HashType.MD5, v, 0, List.of(new Hit(i, HashType.MD5, "l", "c" + i, "", 0, 0)));
    }
    assertThat(s.hashes()).isEqualTo(MatchSummary.MAX_GROUPS + 10);
    assertThat(s.otherMatches()).isEqualTo(10);
    s.reset();
    assertThat(s.isEmpty()).isTrue();
    assertThat(s.matches()).isZero();
  }

  @Test
  void event_goesToAdminStream_durableWhenItReturns_neverToMatchFile() throws Exception {
    AuditLog log = AuditLog.open(dir, 1 << 20, 2, n -> {});
    log.event("add", "admin", "fedcba9876543210", g -> g.writeNumberField("added", 3));
    // written (and fsynced) before event() returned: readable without closing the log
    List<String> admin = Files.readAllLines(dir.resolve(AdminAuditLog.FILE_NAME));
    assertThat(admin).hasSize(1);
    JsonNode e = new ObjectMapper().readTree(admin.get(0));
    assertThat(e.get("event").asText()).isEqualTo("add");
    assertThat(e.get("keyId").asText()).isEqualTo("fedcba9876543210");
    assertThat(e.get("added").asInt()).isEqualTo(3);
    log.close();
    assertThat(Files.readString(dir.resolve(AuditLog.FILE_NAME))).doesNotContain("\"add\"");
  }

  @Test
  void adminStream_neitherRotatedNorMixedWithMatches() throws Exception {
    java.util.concurrent.atomic.AtomicLong dropped = new java.util.concurrent.atomic.AtomicLong();
    AuditLog log = AuditLog.open(dir, 4096, 1, dropped::addAndGet);
    MatchSummary s = summary(1);
    for (int i = 0; i < 2_000; i++) {
      s.reset();
      s.add(HashType.MD5, new byte[16], 0,
          List.of(new Hit(1, HashType.MD5, "l", "c", "", 0, 0)));
      log.matches("q", "0000000000000000", "bulk", s);
    }
    for (int i = 0; i < 20; i++) {
      log.event("add", "admin", g -> g.writeStringField("pad", "x".repeat(300)));
    }
    log.close();
    List<String> admin = Files.readAllLines(dir.resolve(AdminAuditLog.FILE_NAME));
    assertThat(admin).hasSize(20); // 20 * ~370 bytes: above the 4096-byte match rotation
    assertThat(dir.resolve(AdminAuditLog.FILE_NAME + ".1")).doesNotExist();
    assertThat(dir.resolve(AuditLog.FILE_NAME + ".1")).exists(); // the match stream did rotate
    assertThat(dropped.get()).isZero();
  }

  @Test
  void recordOffline_appendsToAdminStream() throws Exception {
    AuditLog.recordOffline(dir, "key_created", "cli", g -> g.writeStringField("name", "k"));
    AuditLog.recordOffline(dir, "key_revoked", "cli", g -> g.writeStringField("name", "k"));
    List<String> admin = Files.readAllLines(dir.resolve(AdminAuditLog.FILE_NAME));
    assertThat(admin).hasSize(2);
    assertThat(admin.get(1)).contains("\"event\":\"key_revoked\"").contains("\"key\":\"cli\"");
  }

  @Test
  void rotation_keepsAtMostMaxFilesOfBoundedSize() throws Exception {
    AuditLog log = AuditLog.open(dir, 4096, 2, n -> {});
    MatchSummary s = summary(1);
    for (int i = 0; i < 500; i++) {
      log.matches("k", "0000000000000000", "hash", s);
    }
    log.close();
    assertThat(dir.resolve("audit.jsonl.1")).exists();
    assertThat(dir.resolve("audit.jsonl.2")).exists();
    assertThat(dir.resolve("audit.jsonl.3")).doesNotExist();
    for (String f : new String[] {"audit.jsonl", "audit.jsonl.1", "audit.jsonl.2"}) {
      assertThat(Files.size(dir.resolve(f))).isLessThanOrEqualTo(4096);
      for (String line : Files.readAllLines(dir.resolve(f))) {
        assertThat(new ObjectMapper().readTree(line).get("event").asText()).isEqualTo("match");
      }
    }
  }
}
