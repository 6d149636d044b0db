package org.hashdb.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code keys create --max-distance} and the ceiling column of {@code keys list}. */
class KeysCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = new CommandLine(new KeysCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void create_maxDistance_listedWithRoleDefaults() {
    String d = dir.toString();
    assertThat(run("create", "--data", d, "--role", "query", "--name", "hoster",
        "--max-distance", "12")).isZero();
    assertThat(run("create", "--data", d, "--role", "query", "--name", "plain")).isZero();
    assertThat(run("create", "--data", d, "--role", "admin", "--name", "ops")).isZero();
    out.getBuffer().setLength(0);
    assertThat(run("list", "--data", d)).isZero();
    assertThat(out.toString())
        .contains("NAME\tROLE\tLISTS\tRATE\tMAX_DISTANCE\tCREATED\tID")
        .contains("hoster\tquery\t*\tunlimited\t12\t")
        .contains("plain\tquery\t*\tunlimited\t31\t")
        .contains("ops\tadmin\t*\tunlimited\t64\t");
  }

  @Test
  void create_maxDistanceOutOfRange_usageError() {
    assertThat(run("create", "--data", dir.toString(), "--role", "query", "--name", "x",
        "--max-distance", "65")).isEqualTo(2);
    assertThat(err.toString()).contains("max distance must be in 0..64, got 65");
    assertThat(run("create", "--help")).isZero();
    assertThat(out.toString()).contains("--max-distance");
  }

  @Test
  void createAndRevoke_recordedInAdminAudit_withoutSecret() throws Exception {
    String d = dir.toString();
    assertThat(run("create", "--data", d, "--role", "query", "--name", "hoster",
        "--lists", "a,b", "--max-distance", "20")).isZero();
    String key = out.toString().trim();
    assertThat(run("revoke", "--data", d, "hoster")).isZero();
    java.util.List<String> lines = java.nio.file.Files.readAllLines(
        dir.resolve(org.hashdb.server.audit.AdminAuditLog.FILE_NAME));
    assertThat(lines).hasSize(2);
    com.fasterxml.jackson.databind.JsonNode created =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.get(0));
    assertThat(created.get("event").asText()).isEqualTo("key_created");
    assertThat(created.get("name").asText()).isEqualTo("hoster");
    assertThat(created.get("keyId").asText()).isEqualTo(key.substring(4, 20));
    assertThat(created.get("maxDistance").asInt()).isEqualTo(20);
    assertThat(created.get("lists").toString()).isEqualTo("[\"a\",\"b\"]");
    assertThat(lines.get(1)).contains("\"event\":\"key_revoked\"").contains("hoster");
    assertThat(String.join("\n", lines)).doesNotContain(key.substring(21));
  }
}
