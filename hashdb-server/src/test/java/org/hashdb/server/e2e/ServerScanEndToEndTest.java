package org.hashdb.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.hashdb.client.AuthenticationException;
import org.hashdb.client.HashDbClient;
import org.hashdb.client.LookupResult;
import org.hashdb.client.Query;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.NewEntry;
import org.hashdb.server.auth.KeyFile;
import org.hashdb.server.auth.Role;
import org.hashdb.server.cli.ServerProcess;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hashdb.testing.TestRandom;

/**
 * The scanner and the SDK against the real server in a child JVM ({@link ServerProcess}):
 * a list built from generated files and pictures, a tree with planted exact copies and
 * near-duplicates; the report lists exactly the planted files, exit code 1, and a rescan with the
 * cache hashes nothing that did not change.
 */
@Tag("slow") // 6-26 s here, with load: a server JVM, generated pictures, two scans
class ServerScanEndToEndTest {
  @TempDir Path tmp;

  @Test
  void scanAndSdk_realServer_reportExactlyThePlantedAndAnswerLikeTheList() throws Exception {
    PlantedTree t = new PlantedTree(tmp, 77L);
    Random random = TestRandom.random(77);
    List<byte[]> listedMd5 = new ArrayList<>();
    List<NewEntry> entries = new ArrayList<>(t.entries);
    for (int i = 0; i < 300; i++) { // a bigger list, so batches carry hits and misses
      byte[] v = new byte[16];
      random.nextBytes(v);
      listedMd5.add(v);
      entries.add(new NewEntry(HashType.MD5, v, "synthetic", "S", "generated"));
    }
    Path data = tmp.resolve("data");
    try (HashDatabase db = HashDatabase.open(data)) {
      db.add(entries);
    }
    String key = new KeyFile(data).create("scanner-e2e", Role.QUERY, null, 0);
    Path keyFile = tmp.resolve("key");
    Files.writeString(keyFile, key + "\n");

    try (ServerProcess server = ServerProcess.start(tmp, "--data", data.toString())) {
      Path report = tmp.resolve("report.json");
      Path cache = tmp.resolve("scan.cache");
      String[] args = {t.tree.toString(), "--server", server.url(), "--key-file", keyFile.toString(), "--report",
          report.toString(), "--cache", cache.toString(), "--threads", "2", "--batch-size", "7", "--progress", "never"};
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      assertThat(EmbeddedScanEndToEndTest.scan(out, err, args)).as(out + "\n" + err).isEqualTo(1);
      assertThat(EmbeddedScanEndToEndTest.reportedPaths(report)).isEqualTo(t.planted);
      int files = t.planted.size() + t.unrelated.size();
      assertThat(out.toString()).contains("(hashed " + files + ", unchanged from cache 0)");

      StringWriter out2 = new StringWriter();
      assertThat(EmbeddedScanEndToEndTest.scan(out2, new StringWriter(), args)).isEqualTo(1);
      assertThat(out2.toString()).contains("(hashed 0, unchanged from cache " + files + ")");
      assertThat(EmbeddedScanEndToEndTest.reportedPaths(report)).isEqualTo(t.planted);

      // The SDK against the same server: batches split small, bulk, single, errors.
      try (HashDbClient client = HashDbClient.builder().baseUrl(server.url()).apiKey(key).maxBatchSize(13)
          .maxBulkHashes(50).requestTimeout(Duration.ofSeconds(30)).build()) {
        List<Query> queries = new ArrayList<>();
        BitSet expected = new BitSet();
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
          byte[] v;
          if (random.nextBoolean()) {
            v = listedMd5.get(random.nextInt(listedMd5.size()));
            expected.set(i);
          } else {
            v = new byte[16];
            random.nextBytes(v);
          }
          values.add(v);
          queries.add(Query.of(HashType.MD5, v));
        }
        List<LookupResult> results = client.lookupAll(queries);
        for (int i = 0; i < queries.size(); i++) {
          assertThat(results.get(i).match()).as("query %d", i).isEqualTo(expected.get(i));
          if (expected.get(i)) {
            assertThat(results.get(i).matches()).allSatisfy(m -> {
              assertThat(m.list()).isEqualTo("synthetic");
              assertThat(m.category()).isEqualTo("S");
              assertThat(m.distance()).isZero();
            });
          }
        }
        assertThat(client.contains(HashType.MD5, values)).isEqualTo(expected);
        assertThat(client.lookupAsync(queries.get(expected.nextSetBit(0))).get().match()).isTrue();
        NewEntry pdq = t.entries.stream().filter(e -> e.type() == HashType.PDQ).findFirst().orElseThrow();
        byte[] near = pdq.value().clone();
        near[5] ^= 0x0f; // distance 4
        assertThat(client.lookup(Query.pdq(near, 4)).matches()).singleElement()
            .satisfies(m -> assertThat(m.distance()).isEqualTo(4));
        assertThat(client.lookup(Query.pdq(near, 3)).match()).isFalse();
      }
      try (HashDbClient wrong = HashDbClient.builder().baseUrl(server.url()).apiKey("hdb_not-a-key").build()) {
        assertThatThrownBy(() -> wrong.lookup(HashType.MD5, new byte[16])).isInstanceOf(AuthenticationException.class);
      }
    }
  }
}
