package org.hashdb.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.server.ServerConfig;
import org.hashdb.server.api.ApiService;
import org.hashdb.server.audit.AuditLog;
import org.hashdb.server.auth.KeyFile;
import org.hashdb.server.auth.KeyRing;
import org.hashdb.server.auth.Role;
import org.hashdb.server.http.HashDbServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hashdb lookup --json} and {@code hashdb stats --json} print what the API answers for the
 * same data directory: the same JSON, field for field (stats: apart from what only a running
 * server has, its heap, PSI service and keys, and the snapshot's age, which moves with the clock).
 */
class CliJsonMatchesApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MD5 = "d41d8cd98f00b204e9800998ecf8427e";
  private static final String MD5_MISS = "0cc175b9c0f1b6a831c399e269772661";
  private static final String PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
  private static final String PDQ_NEAR = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b25";

  @TempDir Path tmp;

  @Test
  void lookupAndStatsJson_equalTheApiResponses() throws Exception {
    Path data = tmp.resolve("data");
    Path csv = tmp.resolve("list.csv");
    Files.writeString(csv, "type,hash,category,source\n"
        + "md5," + MD5 + ",A1,police\n"
        + "pdq," + PDQ + ",A2,,100\n", StandardCharsets.UTF_8);
    CliRun imp = CliRun.run("import", "--data", data.toString(), "--list", "eokm-nl", csv.toString());
    assertThat(imp.exit()).as(imp.err()).isZero();

    List<String> cliLookups = new ArrayList<>();
    cliLookups.addAll(lines(CliRun.run("lookup", "--data", data.toString(), "--json", "md5",
        MD5.toUpperCase(), MD5_MISS)));
    cliLookups.addAll(lines(CliRun.run("lookup", "--data", data.toString(), "--json", "pdq",
        PDQ_NEAR)));
    CliRun cliStats = CliRun.run("stats", "--data", data.toString(), "--json");
    assertThat(cliStats.exit()).as(cliStats.err()).isZero();
    assertThat(cliStats.out().strip()).doesNotContain("\n"); // one object, one line

    String admin = new KeyFile(data).create("admin", Role.ADMIN, null, 0);
    ApiService api = new ApiService(ServerConfig.builder().port(0).adminPort(0).build(), KeyRing.load(data),
        AuditLog.disabled());
    HashDbServer server = HashDbServer.start(api);
    HashDatabase db = HashDatabase.open(data);
    try {
      api.databaseReady(db);
      String base = "http://127.0.0.1:" + server.port();
      List<String> paths = List.of("/v1/hashes/md5/" + MD5.toUpperCase(), "/v1/hashes/md5/" + MD5_MISS,
          "/v1/hashes/pdq/" + PDQ_NEAR);
      assertThat(cliLookups).hasSize(paths.size());
      for (int i = 0; i < paths.size(); i++) {
        JsonNode api1 = JSON.readTree(get(base + paths.get(i), admin));
        assertThat(JSON.readTree(cliLookups.get(i))).as(paths.get(i)).isEqualTo(api1);
      }
      assertThat(JSON.readTree(cliLookups.get(0)).at("/matches/0/list").asText()).isEqualTo("eokm-nl");
      assertThat(JSON.readTree(cliLookups.get(2)).at("/matches/0/distance").asInt()).isEqualTo(3);

      ObjectNode apiStats = (ObjectNode) JSON.readTree(get("http://127.0.0.1:" + server.adminPort() + "/v1/admin/stats", admin));
      ObjectNode cli = (ObjectNode) JSON.readTree(cliStats.out());
      assertThat(fieldNames(cli)).isEqualTo(fieldNames(apiStats));
      assertThat(fieldNames(cli.get("memory"))).isEqualTo(fieldNames(apiStats.get("memory")));
      assertThat(cli.at("/psi/enabled").asBoolean(true)).isFalse();
      for (ObjectNode n : List.of(cli, apiStats)) {
        n.remove(List.of("psi", "keys", "snapshotAgeSeconds"));
        ((ObjectNode) n.get("memory")).remove(List.of("heapUsedBytes", "heapMaxBytes"));
      }
      assertThat(cli).isEqualTo(apiStats);
      assertThat(cli.at("/types/md5/live").asLong()).isEqualTo(1);
      assertThat(cli.at("/memory/databaseBytes").asLong()).isPositive();
    } finally {
      server.stop();
      db.close();
    }
  }

  private static List<String> lines(CliRun r) {
    assertThat(r.exit()).as(r.err()).isZero();
    return r.out().lines().toList();
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static String get(String url, String key) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }
}
