package org.hashdb.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.store.Match;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
  @TempDir Path dir;

  @Test
  void match_writesOneJsonLinePerRecord() throws Exception {
    AuditLog log = AuditLog.open(dir, 1 << 20, 2, n -> {});
    log.match("acme", "hash", new Match(7, HashType.MD5, "eokm-nl", "A1", "src", 0, 0));
    log.event("add", "admin", g -> g.writeNumberField("added", 3));
    log.close();
    List<String> lines = Files.readAllLines(dir.resolve(AuditLog.FILE_NAME));
    assertThat(lines).hasSize(2);
    JsonNode m = new ObjectMapper().readTree(lines.get(0));
    assertThat(m.get("event").asText()).isEqualTo("match");
    assertThat(m.get("key").asText()).isEqualTo("acme");
    assertThat(m.get("list").asText()).isEqualTo("eokm-nl");
    assertThat(m.get("category").asText()).isEqualTo("A1");
    assertThat(m.get("entry").asText()).isNotEmpty();
    assertThat(m.get("time").asText()).endsWith("Z");
    assertThat(new ObjectMapper().readTree(lines.get(1)).get("added").asInt()).isEqualTo(3);
  }

  @Test
  void rotation_keepsAtMostMaxFilesOfBoundedSize() throws Exception {
    AuditLog log = AuditLog.open(dir, 4096, 2, n -> {});
    for (int i = 0; i < 500; i++) {
      log.event("e", "k", g -> g.writeStringField("pad", "x".repeat(50)));
    }
    log.close();
    assertThat(dir.resolve("audit.jsonl.1")).exists();
    assertThat(dir.resolve("audit.jsonl.2")).exists();
    assertThat(dir.resolve("audit.jsonl.3")).doesNotExist();
    for (String f : new String[] {"audit.jsonl", "audit.jsonl.1", "audit.jsonl.2"}) {
      assertThat(Files.size(dir.resolve(f))).isLessThanOrEqualTo(4096);
      for (String line : Files.readAllLines(dir.resolve(f))) {
        assertThat(new ObjectMapper().readTree(line).get("event").asText()).isEqualTo("e");
      }
    }
  }
}
