package org.hashdb.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.hashdb.core.hash.HashType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hashdb.testing.TestRandom;

/**
 * Kills a child JVM that appends acknowledged adds (fsync on, small snapshot threshold so that
 * snapshots and log trimming happen too) with SIGKILL at random moments, reopens the directory
 * and checks that every acknowledged add is there.
 */
@Tag("slow")
class CrashRecoveryTest {
  static final int ROUNDS = Integer.getInteger("hashdb.crashRounds", 50);

  static byte[] value(long n) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return md.digest(("crash-test-" + n).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  static NewEntry entry(long n) {
    return new NewEntry(HashType.SHA256, value(n), n % 5 == 0 ? "gone" : "kept", "c" + (n % 3), "crash");
  }

  @Test
  void killDuringWrites_everyAcknowledgedAddSurvives(@TempDir Path dir) throws Exception {
    Random rnd = TestRandom.random(77);
    long acked = -1; // highest acknowledged entry number over all rounds
    long totalAcked = 0;
    for (int round = 0; round < ROUNDS; round++) {
      long snapshotBytes = rnd.nextBoolean() ? 16 << 10 : 1 << 30;
      Process p = new ProcessBuilder(javaBin(), "-cp", System.getProperty("java.class.path"),
          CrashWriterMain.class.getName(), dir.toString(), Long.toString(acked + 1),
          Long.toString(snapshotBytes))
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      long roundAcked = acked;
      long killAfterNanos = TimeUnit.MILLISECONDS.toNanos(50 + rnd.nextInt(400));
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line = r.readLine();
        assertThat(line).as("round %d child start", round).startsWith("ready");
        long start = System.nanoTime();
        while (System.nanoTime() - start < killAfterNanos && (line = r.readLine()) != null) {
          if (line.startsWith("ack ")) {
            roundAcked = Long.parseLong(line.substring(4));
          }
        }
        // SIGKILL. Acks the child wrote but we did not read yet are not checked: the checked
        // set is a subset of the acknowledged one, which is all the test needs.
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      totalAcked += roundAcked - acked;
      acked = roundAcked;
      try (HashDatabase db = HashDatabase.open(dir)) {
        for (long n = 0; n <= acked; n++) {
          NewEntry e = entry(n);
          List<Hit> m = db.lookup(HashType.SHA256, e.value(), ListFilter.of(List.of("kept")));
          if (e.list().equals("kept")) {
            assertThat(m).as("round %d: acknowledged entry %d lost", round, n).hasSize(1);
            assertThat(m.get(0).category()).isEqualTo(e.category());
          }
        }
        // Continue numbering after whatever the killed child may have written unacknowledged.
        acked = Math.max(acked, highestPresent(db, acked));
      }
    }
    assertThat(totalAcked).as("the children acknowledged adds").isGreaterThan(ROUNDS);
    assertThat(Files.list(dir).filter(f -> f.getFileName().toString().startsWith("snapshot-")).count())
        .as("snapshots were written").isGreaterThan(0);
  }

  /** Entries past the last ack may exist (written, not acknowledged); skip past them. */
  private static long highestPresent(HashDatabase db, long from) {
    long n = from;
    while (!db.lookup(HashType.SHA256, value(n + 1), ListFilter.all()).isEmpty()) {
      n++;
    }
    return n;
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

}
