package org.hashdb.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hashdb.server.cli.CliRun.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.hashdb.core.hash.Hex;
import org.hashdb.server.auth.KeyFile;
import org.hashdb.server.auth.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup of a running server under writes, restore into a fresh directory, serve it, and compare
 * every entry (present exactly when written at or before the backup's sequence, with the same
 * entry id, list and category) and every key.
 */
class BackupRestoreTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** One acknowledged add: the query text and the sequence the server gave it. */
  record Written(String type, String hex, long sequence) {}

  @Test
  void backupOfRunningServerUnderWrites_restoresEveryEntryAndKey() throws Exception {
    Path data = tmp.resolve("data");
    KeyFile kf = new KeyFile(Files.createDirectories(data));
    String admin = kf.create("admin", Role.ADMIN, null, 0);
    String query = kf.create("hoster", Role.QUERY, List.of("a"), 0);
    Path adminKey = tmp.resolve("admin.key");
    Files.writeString(adminKey, admin + "\n");
    List<Written> written = Collections.synchronizedList(new ArrayList<>());
    Path backup = tmp.resolve("hashdb.backup");
    long sequence;
    try (ServerProcess sp = ServerProcess.start(tmp, "--init", "--no-fsync", "--data", data.toString())) {
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> writers = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        long seed = w;
        Thread t = new Thread(() -> write(sp, admin, new Random(seed), written, stop));
        t.start();
        writers.add(t);
      }
      while (written.size() < 300) {
        Thread.sleep(10);
      }
      CliRun b = run("backup", "--url", sp.adminUrl(), "--key-file", adminKey.toString(),
          "--data", data.toString(), "--out", backup.toString());
      int afterBackup = written.size();
      while (written.size() < afterBackup + 200) { // writes go on after the snapshot
        Thread.sleep(10);
      }
      stop.set(true);
      for (Thread t : writers) {
        t.join();
      }
      assertThat(b.exit()).as(b.err()).isZero();
      Matcher m = Pattern.compile("at sequence (\\d+)").matcher(b.out());
      assertThat(m.find()).as(b.out()).isTrue();
      sequence = Long.parseLong(m.group(1));
      assertThat(b.out()).contains("included: database snapshot, keys.json").contains("NOT included: audit.jsonl");
      assertThat(written).anyMatch(x -> x.sequence() <= sequence).anyMatch(x -> x.sequence() > sequence);
      try (ZipFile z = new ZipFile(backup.toFile())) {
        assertThat(z.getEntry(String.format("snapshot-%020d.hdb", sequence))).isNotNull();
        assertThat(z.getEntry("keys.json")).isNotNull();
      }
      assertThat(Files.getPosixFilePermissions(backup)).extracting(Object::toString)
          .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");

      Path restored = tmp.resolve("restored");
      CliRun r = run("restore", backup.toString(), "--data", restored.toString());
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out()).contains("sequence " + sequence);
      assertThat(run("keys", "list", "--data", restored.toString()).out())
          .isEqualTo(run("keys", "list", "--data", data.toString()).out());

      try (ServerProcess copy = ServerProcess.start(tmp, "--data", restored.toString())) {
        JsonNode stats = get(copy, "/v1/admin/stats", admin);
        assertThat(stats.get("sequence").asLong()).isEqualTo(sequence);
        long expected = written.stream().filter(x -> x.sequence() <= sequence).count();
        assertThat(stats.get("entries").asLong()).isEqualTo(expected);
        List<Written> all = new ArrayList<>(written);
        JsonNode original = lookup(sp, admin, all);
        JsonNode copied = lookup(copy, admin, all);
        for (int i = 0; i < all.size(); i++) {
          Written x = all.get(i);
          if (x.sequence() <= sequence) {
            assertThat(copied.get(i).get("matches")).as("%s written at %d", x, x.sequence())
                .isEqualTo(original.get(i).get("matches"));
            assertThat(copied.get(i).get("match").asBoolean()).isTrue();
          } else {
            assertThat(copied.get(i).get("match").asBoolean()).as("%s written after the backup", x).isFalse();
          }
        }
        // the keys work as before, with their lists
        assertThat(status(copy, "/v1/admin/stats", query)).isEqualTo(403);
        assertThat(status(copy, "/v1/hashes/md5/" + "0".repeat(32), query)).isEqualTo(200);
        assertThat(status(copy, "/v1/hashes/md5/" + "0".repeat(32), "hdb_wrong")).isEqualTo(401);
      }
    }
  }

  @Test
  void restore_intoNonEmptyDirectory_refusedAndNothingTouched() throws Exception {
    Path data = tmp.resolve("d");
    Path list = tmp.resolve("l.csv");
    Files.writeString(list, "md5,d41d8cd98f00b204e9800998ecf8427e\n");
    assertThat(run("import", "--data", data.toString(), "--list", "l", list.toString()).exit()).isZero();
    Path backup = tmp.resolve("b.zip");
    CliRun b = run("backup", "--data", data.toString(), "--out", backup.toString());
    assertThat(b.exit()).as(b.err()).isZero();
    assertThat(b.out()).contains("NOT included: keys.json (there is none in");
    CliRun r = run("restore", backup.toString(), "--data", data.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("is not empty");
    assertThat(run("lookup", "--data", data.toString(), "md5", "d41d8cd98f00b204e9800998ecf8427e").out()).contains("match list=l");
  }

  @Test
  void restore_bareSnapshotSavedUnderAnyName_loadsAndSaysKeysAreMissing() throws Exception {
    Path data = tmp.resolve("d");
    Path list = tmp.resolve("l.csv");
    Files.writeString(list, "sha1,da39a3ee5e6b4b0d3255bfef95601890afd80709\n");
    assertThat(run("import", "--data", data.toString(), "--list", "l", list.toString()).exit()).isZero();
    Path snapshot = tmp.resolve("renamed-by-hand.bin");
    try (var db = org.hashdb.core.db.HashDatabase.openExisting(data)) {
      db.exportSnapshot(snapshot);
    }
    Path restored = tmp.resolve("r");
    CliRun r = run("restore", snapshot.toString(), "--data", restored.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("NOT included: keys.json");
    assertThat(run("lookup", "--data", restored.toString(), "sha1", "da39a3ee5e6b4b0d3255bfef95601890afd80709").out())
        .contains("match list=l");
  }

  @Test
  void backup_offlineWhileAServerHoldsTheDirectory_pointsToUrl() throws Exception {
    Path data = tmp.resolve("d");
    try (ServerProcess sp = ServerProcess.start(tmp, "--init", "--data", data.toString())) {
      CliRun b = run("backup", "--data", data.toString(), "--out", tmp.resolve("b").toString());
      assertThat(b.exit()).isEqualTo(2);
      assertThat(b.err()).contains("in use").contains("--url");
      assertThat(b.err()).doesNotContain("\tat ");
    }
  }

  private void write(ServerProcess sp, String key, Random r, List<Written> out, AtomicBoolean stop) {
    String[] lists = {"a", "b"};
    while (!stop.get()) {
      List<Written> batch = new ArrayList<>();
      StringBuilder sb = new StringBuilder("{\"entries\":[");
      int n = 1 + r.nextInt(10);
      for (int i = 0; i < n; i++) {
        boolean md5 = r.nextBoolean();
        byte[] v = new byte[md5 ? 16 : 32];
        r.nextBytes(v);
        String type = md5 ? "md5" : "sha256";
        batch.add(new Written(type, Hex.encode(v), 0));
        sb.append(i == 0 ? "" : ",").append("{\"type\":\"").append(type).append("\",\"hash\":\"").append(Hex.encode(v))
            .append("\",\"list\":\"").append(lists[r.nextInt(2)]).append("\",\"category\":\"c").append(r.nextInt(4))
            .append("\"}");
      }
      sb.append("]}");
      try {
        HttpResponse<String> resp = http.send(HttpRequest.newBuilder(sp.uri("/v1/admin/entries"))
            .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(sb.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
        long seq = JSON.readTree(resp.body()).get("sequence").asLong();
        for (Written w : batch) {
          out.add(new Written(w.type(), w.hex(), seq));
        }
      } catch (IOException | InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  private JsonNode lookup(ServerProcess sp, String key, List<Written> all) throws Exception {
    StringBuilder sb = new StringBuilder("{\"queries\":[");
    for (int i = 0; i < all.size(); i++) {
      sb.append(i == 0 ? "" : ",").append("{\"type\":\"").append(all.get(i).type()).append("\",\"hash\":\"")
          .append(all.get(i).hex()).append("\"}");
    }
    sb.append("]}");
    HttpResponse<String> resp = http.send(HttpRequest.newBuilder(sp.uri("/v1/lookup"))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(sb.toString())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
    JsonNode results = JSON.readTree(resp.body()).get("results");
    assertThat(results.size()).isEqualTo(all.size());
    return results;
  }

  private JsonNode get(ServerProcess sp, String path, String key) throws Exception {
    HttpResponse<String> resp = http.send(HttpRequest.newBuilder(sp.uri(path)).header("Authorization", "Bearer " + key)
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
    return JSON.readTree(resp.body());
  }

  private int status(ServerProcess sp, String path, String key) throws Exception {
    return http.send(HttpRequest.newBuilder(sp.uri(path)).header("Authorization", "Bearer " + key).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
