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
        "--all-lists", "--rate", "0", "--max-distance", "12")).isZero();
    assertThat(run("create", "--data", d, "--role", "query", "--name", "plain", "--lists", "a")).isZero();
    assertThat(run("create", "--data", d, "--role", "admin", "--name", "ops")).isZero();
    out.getBuffer().setLength(0);
    assertThat(run("list", "--data", d)).isZero();
    assertThat(out.toString())
        .contains("NAME\tROLE\tLISTS\tRATE\tMAX_DISTANCE\tCREATED\tID")
        .contains("hoster\tquery\t*\tunlimited\t12\t")
        .contains("plain\tquery\ta\t100/s\t31\t")
        .contains("ops\tadmin\t*\tunlimited\t64\t");
  }

  @Test
  void create_maxDistanceOutOfRange_usageError() {
    assertThat(run("create", "--data", dir.toString(), "--role", "query", "--name", "x",
        "--all-lists", "--max-distance", "65")).isEqualTo(2);
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

  @Test
  void create_queryKey_needsListsOrAllLists_andGetsAFiniteRate() {
    String d = dir.toString();
    assertThat(run("create", "--data", d, "--role", "query", "--name", "q")).isEqualTo(2);
    assertThat(err.toString()).contains("needs --lists").contains("--all-lists");
    assertThat(run("create", "--data", d, "--role", "query", "--name", "q", "--lists", "a",
        "--all-lists")).isEqualTo(2);
    assertThat(err.toString()).contains("exclude each other");
    assertThat(run("create", "--data", d, "--role", "query", "--name", "every", "--all-lists")).isZero();
    assertThat(run("create", "--data", d, "--role", "query", "--name", "fast", "--lists", "a,b",
        "--rate", "5000")).isZero();
    out.getBuffer().setLength(0);
    assertThat(run("list", "--data", d)).isZero();
    assertThat(out.toString()).contains("every\tquery\t*\t" + org.hashdb.server.auth.Role.QUERY_DEFAULT_RATE + "/s\t")
        .contains("fast\tquery\ta,b\t5000/s\t").doesNotContain("\tq\t");
  }

  @Test
  void create_listsRefusedForAdminAndReplicaKeys() {
    String d = dir.toString();
    for (String role : new String[] {"admin", "replica"}) {
      assertThat(run("create", "--data", d, "--role", role, "--name", role, "--lists", "a")).isEqualTo(2);
      assertThat(err.toString()).contains("--lists is for query keys");
    }
    out.getBuffer().setLength(0);
    assertThat(run("list", "--data", d)).isZero();
    assertThat(out.toString().lines()).hasSize(1); // the header: nothing was created
    assertThat(run("create", "--data", d, "--role", "replica", "--name", "r", "--all-lists")).isZero();
  }

  @Test
  void list_fileThatDoesNotParse_saysSoAndWhere_exit2() throws Exception {
    String d = dir.toString();
    assertThat(run("create", "--data", d, "--role", "admin", "--name", "ops")).isZero();
    Path file = dir.resolve(org.hashdb.server.auth.KeyFile.FILE_NAME);
    java.nio.file.Files.writeString(file, java.nio.file.Files.readString(file).replaceFirst("\\{", "{,"));
    out.getBuffer().setLength(0);
    assertThat(run("list", "--data", d)).isEqualTo(2);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).contains("does not parse").contains(file.toString())
        .contains("line: 1").contains("hashdb_keys_reload_failed").contains("NOT in effect");
  }
}
