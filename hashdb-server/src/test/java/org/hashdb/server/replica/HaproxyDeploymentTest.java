package org.hashdb.server.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hashdb.server.replica.ReplicaHttp.add;
import static org.hashdb.server.replica.ReplicaHttp.await;
import static org.hashdb.server.replica.ReplicaHttp.get;
import static org.hashdb.server.replica.ReplicaHttp.matches;
import static org.hashdb.server.replica.ReplicaHttp.quietly;
import static org.hashdb.server.replica.ReplicaHttp.sequenceAndDigest;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.hashdb.core.hash.Hex;
import org.hashdb.server.auth.KeyFile;
import org.hashdb.server.auth.Role;
import org.hashdb.server.cli.ServerProcess;
import org.hashdb.testing.TestRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment of docs/operations.md on loopback: a primary, two replicas and HAProxy started
 * from the document's configuration. Under continuous lookups through HAProxy and continuous
 * writes to the primary, replicas are SIGKILLed and restarted at random: no lookup fails (HAProxy
 * retries what a killed replica lost on the other one), and at the end every replica holds every
 * acknowledged write and the primary's state digest.
 */
@Tag("slow")
class HaproxyDeploymentTest {
  @TempDir Path tmp;

  @Test
  void killingReplicasUnderLoad_losesNoLookup_andReplicasConvergeToThePrimary() throws Exception {
    Random random = TestRandom.random(1414);
    Path pdata = Files.createDirectories(tmp.resolve("primary"));
    KeyFile keys = new KeyFile(pdata);
    String admin = keys.create("admin", Role.ADMIN, null, 0);
    String query = keys.create("hoster", Role.QUERY, null, 0);
    String replicaKey = keys.create("replicas", Role.REPLICA, null, 0);
    List<String> initial = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      byte[] v = new byte[32];
      random.nextBytes(v);
      initial.add(Hex.encode(v));
    }
    try (ServerProcess primary = ServerProcess.start(tmp, "--init", "--no-fsync", "--data", pdata.toString())) {
      String p = primary.url();
      add(p, admin, initial);
      ServerProcess[] replicas = new ServerProcess[2];
      String[][] args = new String[2][];
      for (int i = 0; i < 2; i++) {
        args[i] = new String[] {"--no-fsync", "--no-access-log", "--data", tmp.resolve("replica" + i).toString(),
            "--replica-of", primary.replicaSourceUrl(), "--replica-key", replicaKey};
        replicas[i] = ServerProcess.start(tmp, args[i]);
      }
      List<String> backends = List.of("127.0.0.1:" + replicas[0].port, "127.0.0.1:" + replicas[1].port);
      try (HaproxyDeployment lb = HaproxyDeployment.start(tmp, backends)) {
        String via = lb.url();
        assertThat(await(20_000, quietly(() -> get(via, "/readyz", null).statusCode() == 200)))
            .as("HAProxy up: %s", Files.exists(lb.log) ? Files.readString(lb.log) : "").isTrue();

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong lookups = new AtomicLong();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        List<String> acked = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
          Random r = TestRandom.random(100 + t);
          threads.add(new Thread(() -> {
            while (!stop.get()) {
              String h = initial.get(r.nextInt(initial.size()));
              try {
                HttpResponse<String> resp = get(via, "/v1/hashes/sha256/" + h, query);
                if (resp.statusCode() != 200 || !resp.body().contains("\"match\":true")) {
                  failures.add(resp.statusCode() + " " + resp.body());
                }
              } catch (Exception e) {
                failures.add(e.toString());
              }
              lookups.incrementAndGet();
            }
          }, "lookups-" + t));
        }
        Random wr = TestRandom.random(200);
        threads.add(new Thread(() -> {
          while (!stop.get()) {
            byte[] v = new byte[32];
            wr.nextBytes(v);
            String h = Hex.encode(v);
            try {
              add(p, admin, List.of(h));
              acked.add(h);
              Thread.sleep(5);
            } catch (Exception e) {
              if (!stop.get()) {
                failures.add("write: " + e);
              }
            }
          }
        }, "writes"));
        threads.forEach(Thread::start);

        for (int round = 0; round < 4; round++) {
          Thread.sleep(1500 + random.nextInt(1000));
          int i = random.nextInt(2);
          int port = replicas[i].port;
          replicas[i].process.destroyForcibly().waitFor(); // SIGKILL
          Thread.sleep(random.nextInt(1500));
          replicas[i] = ServerProcess.startOnPort(tmp, port, args[i]);
        }
        Thread.sleep(2000);
        stop.set(true);
        for (Thread t : threads) {
          t.join();
        }
        assertThat(lb.alive()).isTrue();
        assertThat(lookups.get()).isGreaterThan(100);
        assertThat(failures).as("failed lookups out of %d", lookups.get()).isEmpty();

        // every replica converges to exactly the primary's entries
        String want = sequenceAndDigest(p, admin);
        for (ServerProcess r : replicas) {
          assertThat(await(60_000, quietly(() -> sequenceAndDigest(r.url(), admin).equals(want))))
              .as("replica %s at %s, primary at %s", r.url(), sequenceAndDigest(r.url(), admin), want)
              .isTrue();
          for (String h : acked) {
            assertThat(matches(r.url(), query, h)).as(h).isTrue();
          }
        }
        assertThat(acked).hasSizeGreaterThan(50);
      } finally {
        for (ServerProcess r : replicas) {
          if (r != null) {
            r.close();
          }
        }
      }
    }
  }
}
