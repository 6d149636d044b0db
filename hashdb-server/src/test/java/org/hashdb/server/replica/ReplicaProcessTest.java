package org.hashdb.server.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hashdb.server.replica.ReplicaHttp.add;
import static org.hashdb.server.replica.ReplicaHttp.await;
import static org.hashdb.server.replica.ReplicaHttp.get;
import static org.hashdb.server.replica.ReplicaHttp.matches;
import static org.hashdb.server.replica.ReplicaHttp.metric;
import static org.hashdb.server.replica.ReplicaHttp.quietly;
import static org.hashdb.server.replica.ReplicaHttp.send;
import static org.hashdb.server.replica.ReplicaHttp.sequenceAndDigest;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.hashdb.core.db.DatabaseOptions;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.NewEntry;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;
import org.hashdb.server.auth.KeyFile;
import org.hashdb.server.auth.Role;
import org.hashdb.server.cli.ServerProcess;
import org.hashdb.testing.TestRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A primary and a read replica as processes ({@code serve --replica-of}): bootstrap, lookups with
 * the sequence header, writes refused naming the primary, keys created and revoked on the
 * primary taking effect on the replica, SIGKILL and restart resuming from the replica's own
 * sequence, readiness lost with the primary, and a replica whose state diverged bootstrapping
 * again until its digest equals the primary's.
 */
class ReplicaProcessTest {
  @TempDir Path tmp;
  private final Random random = TestRandom.random(14);

  private String hex() {
    byte[] v = new byte[32];
    random.nextBytes(v);
    return Hex.encode(v);
  }

  private List<String> hexes(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(hex());
    }
    return out;
  }

  private Path config(String... lines) throws Exception {
    Path f = tmp.resolve("replica-" + System.nanoTime() + ".properties");
    Files.writeString(f, String.join("\n", lines) + "\n");
    return f;
  }

  @Test
  void replicaServesThePrimarysListAndKeys_refusesWrites_resumesAfterSigkill() throws Exception {
    Path pdata = Files.createDirectories(tmp.resolve("primary"));
    KeyFile keys = new KeyFile(pdata);
    String admin = keys.create("admin", Role.ADMIN, null, 0);
    String query = keys.create("hoster", Role.QUERY, null, 0);
    String replicaKey = keys.create("replica-1", Role.REPLICA, null, 0);
    Path keyFile = tmp.resolve("replica.key");
    Files.writeString(keyFile, replicaKey + "\n");
    Path rdata = tmp.resolve("replica");
    Path cfg = config("replicaMaxPrimaryLossSeconds=3");
    try (ServerProcess primary = ServerProcess.start(tmp, "--init", "--no-fsync", "--data", pdata.toString())) {
      String p = primary.url();
      List<String> before = hexes(50);
      add(p, admin, before);
      ServerProcess replica = ServerProcess.start(tmp, "--no-fsync", "--data", rdata.toString(),
          "--config", cfg.toString(), "--replica-of", primary.replicaSourceUrl(),
          "--replica-key-file", keyFile.toString());
      try {
        String r = replica.url();
        assertThat(Files.readString(replica.stderr)).contains("replica bootstrapped from");
        for (String h : before) {
          assertThat(matches(r, query, h)).isTrue();
        }
        // an add on the primary is visible on the replica (long-poll: typically within ms)
        String late = hex();
        long seq = add(p, admin, List.of(late));
        assertThat(await(10_000, quietly(() -> matches(r, query, late)))).isTrue();
        HttpResponse<String> lookup = get(r, "/v1/hashes/sha256/" + late, query);
        assertThat(lookup.headers().firstValue("X-HashDB-Sequence")).hasValue(Long.toString(seq));
        assertThat(sequenceAndDigest(r, admin)).isEqualTo(sequenceAndDigest(p, admin));

        // writes on the replica: 409 naming the primary
        HttpResponse<String> w = send(r, "POST", "/v1/admin/entries", admin,
            "{\"entries\":[{\"type\":\"sha256\",\"hash\":\"" + hex() + "\",\"list\":\"a\"}]}");
        assertThat(w.statusCode()).isEqualTo(409);
        assertThat(w.body()).contains("read_only_replica").contains(primary.replicaSourceUrl());
        assertThat(send(r, "DELETE", "/v1/admin/entries/sha256/" + late, admin, null).statusCode())
            .isEqualTo(409);

        // keys: created and revoked on the primary, in effect on the replica within seconds
        String newKey = keys.create("new-hoster", Role.QUERY, null, 0);
        assertThat(await(10_000, quietly(() -> get(r, "/v1/hashes/sha256/" + late, newKey)
            .statusCode() == 200))).isTrue();
        assertThat(keys.revoke("new-hoster")).isTrue();
        assertThat(await(10_000, quietly(() -> get(r, "/v1/hashes/sha256/" + late, newKey)
            .statusCode() == 401))).isTrue();
        // the replica key reads the feed, not the list
        assertThat(get(p, "/v1/hashes/sha256/" + late, replicaKey).statusCode()).isEqualTo(403);
        assertThat(Files.readString(rdata.resolve("keys.json"))).doesNotContain(newKey.substring(21));

        // SIGKILL, writes meanwhile, restart: resumes from its own sequence, no new bootstrap
        replica.process.destroyForcibly().waitFor();
        List<String> during = hexes(30);
        for (String h : during) {
          add(p, admin, List.of(h));
        }
        replica = ServerProcess.start(tmp, "--no-fsync", "--data", rdata.toString(),
            "--config", cfg.toString(), "--replica-of", primary.replicaSourceUrl(),
            "--replica-key", replicaKey);
        String r2 = replica.url();
        String restartLog = Files.readString(replica.stderr);
        assertThat(restartLog).contains("resuming from its own sequence " + seq)
            .doesNotContain("replica bootstrapped from");
        assertThat(await(10_000, quietly(() -> sequenceAndDigest(r2, admin)
            .equals(sequenceAndDigest(p, admin))))).isTrue();
        for (String h : during) {
          assertThat(matches(r2, query, h)).isTrue();
        }
        assertThat(metric(r2, admin, "hashdb_replica_lag_sequences")).isZero();
        assertThat(metric(r2, admin, "hashdb_replica_bootstraps_total")).isZero();
        assertThat(await(10_000, quietly(() -> get(r2, "/readyz", null).statusCode() == 200))).isTrue();

        // the primary gone: the replica still answers lookups but is unready after 3 s
        primary.process.destroyForcibly().waitFor();
        assertThat(await(15_000, quietly(() -> get(r2, "/readyz", null).statusCode() == 503))).isTrue();
        assertThat(get(r2, "/readyz", null).body()).contains("has not reached its primary");
        assertThat(matches(r2, query, late)).isTrue();
      } finally {
        replica.close();
      }
    }
  }

  @Test
  void replicaWhoseStateDiverged_bootstrapsAgainToThePrimarysDigest() throws Exception {
    Path pdata = Files.createDirectories(tmp.resolve("primary"));
    KeyFile keys = new KeyFile(pdata);
    String admin = keys.create("admin", Role.ADMIN, null, 0);
    String query = keys.create("hoster", Role.QUERY, null, 0);
    String replicaKey = keys.create("replica-1", Role.REPLICA, null, 0);
    Path rdata = tmp.resolve("replica");
    try (ServerProcess primary = ServerProcess.start(tmp, "--init", "--no-fsync", "--data", pdata.toString())) {
      String p = primary.url();
      add(p, admin, hexes(20));
      try (ServerProcess replica = ServerProcess.start(tmp, "--no-fsync", "--data", rdata.toString(),
          "--replica-of", primary.replicaSourceUrl(), "--replica-key", replicaKey)) {
        assertThat(await(10_000, quietly(() -> sequenceAndDigest(replica.url(), admin)
            .equals(sequenceAndDigest(p, admin))))).isTrue();
        replica.process.destroyForcibly().waitFor();
      }
      // the replica's directory gets a change the primary never made, under the next sequence
      String foreign = hex();
      try (HashDatabase db = HashDatabase.open(rdata, DatabaseOptions.defaults().withFsync(false))) {
        db.add(List.of(new NewEntry(HashType.SHA256, Hex.decode(HashType.SHA256, foreign), "a", "", "")));
      }
      add(p, admin, hexes(5)); // the primary's own change under that sequence
      try (ServerProcess replica = ServerProcess.start(tmp, "--no-fsync", "--data", rdata.toString(),
          "--replica-of", primary.replicaSourceUrl(), "--replica-key", replicaKey)) {
        String r = replica.url();
        assertThat(await(20_000, quietly(() -> sequenceAndDigest(r, admin)
            .equals(sequenceAndDigest(p, admin))))).isTrue();
        assertThat(matches(r, query, foreign)).isFalse();
        assertThat(metric(r, admin, "hashdb_replica_bootstraps_total")).isGreaterThanOrEqualTo(1);
        assertThat(metric(r, admin, "hashdb_replica_digest_mismatches_total")
            + metric(r, admin, "hashdb_replica_gaps_total")).isGreaterThanOrEqualTo(1);
        assertThat(Files.readString(replica.stderr)).contains("bootstrapping again");
      }
    }
  }
}
