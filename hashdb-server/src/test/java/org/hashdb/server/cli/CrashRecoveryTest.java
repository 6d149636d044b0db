package org.hashdb.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hashdb.core.hash.Hex;
import org.hashdb.server.auth.KeyFile;
import org.hashdb.server.auth.Role;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hashdb.testing.TestRandom;

/**
 * Durability on a real server process: clients stream adds, the server is killed with SIGKILL
 * at random moments and restarted on the same data directory; every add that was acknowledged
 * must be found afterwards. Rounds: {@code -Dhashdb.crashRounds=N} (default 20).
 */
@Tag("slow")
class CrashRecoveryTest {
  @TempDir Path dir;

  @Test
  void sigkillAtRandomMoments_everyAcknowledgedAddSurvives() throws Exception {
    int rounds = Integer.getInteger("hashdb.crashRounds", 20);
    Path data = dir.resolve("data");
    KeyFile kf = new KeyFile(data);
    String admin = kf.create("admin", Role.ADMIN, null, 0);
    Random rnd = TestRandom.random(2024);
    List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    for (int round = 0; round < rounds; round++) {
      try (ServerProcess sp = ServerProcess.start(dir, "--init", "--data", data.toString())) {
        // everything acknowledged so far is there, in one bulk query
        assertAllPresent(client, sp, admin, acknowledged);
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
          long seed = rnd.nextLong();
          Thread t = new Thread(() -> writeUntilFailure(client, sp, admin, seed, acknowledged, stop));
          t.start();
          writers.add(t);
        }
        Thread.sleep(200 + rnd.nextInt(1200));
        sp.process.destroyForcibly(); // SIGKILL
        sp.process.waitFor();
        stop.set(true);
        for (Thread t : writers) {
          t.join();
        }
      }
    }
    try (ServerProcess sp = ServerProcess.start(dir, "--init", "--data", data.toString())) {
      assertAllPresent(client, sp, admin, acknowledged);
    }
    assertThat(acknowledged.size()).as("adds acknowledged over all rounds").isGreaterThan(rounds);
  }

  private static void writeUntilFailure(HttpClient client, ServerProcess sp, String key, long seed,
      List<String> acknowledged, AtomicBoolean stop) {
    Random r = new Random(seed);
    byte[] v = new byte[32];
    while (!stop.get()) {
      List<String> batch = new ArrayList<>();
      StringBuilder sb = new StringBuilder("{\"entries\":[");
      int n = 1 + r.nextInt(20);
      for (int i = 0; i < n; i++) {
        r.nextBytes(v);
        String hex = Hex.encode(v);
        batch.add(hex);
        sb.append(i == 0 ? "" : ",").append("{\"type\":\"sha256\",\"hash\":\"").append(hex)
            .append("\",\"list\":\"crash\"}");
      }
      sb.append("]}");
      try {
        HttpResponse<String> resp = client.send(HttpRequest.newBuilder(sp.uri("/v1/admin/entries"))
            .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(sb.toString())).build(),
            HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() == 200) {
          acknowledged.addAll(batch);
        } else {
          return;
        }
      } catch (IOException e) {
        return; // killed: this batch was never acknowledged
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void assertAllPresent(HttpClient client, ServerProcess sp, String key,
      List<String> acknowledged) throws Exception {
    List<String> expect;
    synchronized (acknowledged) {
      expect = new ArrayList<>(acknowledged);
    }
    if (expect.isEmpty()) {
      return;
    }
    byte[] body = new byte[expect.size() * 32];
    for (int i = 0; i < expect.size(); i++) {
      System.arraycopy(Hex.decode(org.hashdb.core.hash.HashType.SHA256, expect.get(i)), 0, body,
          i * 32, 32);
    }
    HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(sp.uri("/v1/lookup/bulk?type=sha256"))
        .header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/octet-stream")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    byte[] bits = r.body();
    for (int i = 0; i < expect.size(); i++) {
      assertThat((bits[i >>> 3] >>> (i & 7) & 1) == 1)
          .as("acknowledged add %s (%d of %d)", expect.get(i), i, expect.size()).isTrue();
    }
  }
}
