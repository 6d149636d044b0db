package org.hashdb.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.hashdb.core.hash.Hex;
import org.hashdb.server.service.HashDbService;
import org.hashdb.server.ServerConfig;
import org.hashdb.server.auth.KeyFile;
import org.hashdb.server.auth.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BulkLoadTest {
  @TempDir Path dir;

  @Test
  void loadThenBench_againstRealServer_countsExactlyTheHits() throws Exception {
    KeyFile kf = new KeyFile(dir);
    String admin = kf.create("admin", Role.ADMIN, null, 0);
    String query = kf.create("query", Role.QUERY, null, 0);
    HashDbService server = HashDbService.builder().dataDir(dir).keyPollMillis(0)
        .database(org.hashdb.core.db.HashDatabase.inMemory())
        .config(ServerConfig.builder().port(0).adminPort(0).accessLog(false).build()).start();
    try {
      assertThat(server.awaitDatabase(java.time.Duration.ofSeconds(60))).isTrue();
      String json = BulkLoad.loadHashDb("127.0.0.1", server.adminPort(), admin, 25_000, 9); // an import: admin listener
      assertThat(json).contains("\"added\":25000");
      // the oracle: the same seeded stream as loadHashDb(..., seed 9) above, so a fixed seed
      byte[] all = new byte[25_000 * 32];
      BulkLoad.values(new SplittableRandom(9), all, 25_000);
      Set<String> loaded = new HashSet<>();
      for (int i = 0; i < 25_000; i++) {
        loaded.add(Hex.encode(all, i * 32, 32));
      }
      byte[] q = BulkLoad.queries(25_000, 9, 4000, 0.3);
      int expectHits = 0;
      for (int i = 0; i < 4000; i++) {
        if (loaded.contains(Hex.encode(q, i * 32, 32))) {
          expectHits++;
        }
      }
      assertThat(expectHits).isBetween(1000, 1400);
      try (HttpBulkTarget t = new HttpBulkTarget("127.0.0.1", server.port(), query)) {
        assertThat(t.check(q, 0, 4000)).isEqualTo(expectHits);
        assertThat(t.check(q, 32, 1)).isEqualTo(loaded.contains(Hex.encode(q, 32, 32)) ? 1 : 0);
      }
      BulkLoad.Result r = BulkLoad.bench(
          () -> new HttpBulkTarget("127.0.0.1", server.port(), query), q, 100, 2, 0, 1);
      assertThat(r.hashesPerSecond()).isPositive();
      assertThat(r.hitFraction()).isBetween(0.2, 0.4);
      Path paths = dir.resolve("paths.txt");
      new BulkLoad(java.util.Map.of("entries", "25000", "seed", "9", "count", "10",
          "out", paths.toString())).run("paths", new java.io.PrintStream(
              java.io.OutputStream.nullOutputStream()));
      assertThat(Files.readAllLines(paths)).hasSize(10)
          .allMatch(l -> l.matches("/v1/hashes/sha256/[0-9a-f]{64}"));
    } finally {
      server.stop();
    }
  }
}
