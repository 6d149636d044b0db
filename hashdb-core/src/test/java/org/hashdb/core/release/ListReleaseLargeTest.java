package org.hashdb.core.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.hashdb.core.hash.Hex;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hashdb.testing.TestRandom;

/**
 * A release larger than the heap it is verified in: proof that neither the writer's output nor
 * the verifier buffers the payload.
 */
@Tag("slow")
class ListReleaseLargeTest {
  private static final int ROWS = 200_000;
  private static final String HEAP = "-Xmx16m";

  @Test
  void verify_200kRowReleaseLargerThanHeap_streamsInChildJvmWith16MbHeap(@TempDir Path tmp) throws Exception {
    Path csv = tmp.resolve("big.csv");
    Random rnd = TestRandom.random(20261128);
    long xor = 0;
    byte[] v = new byte[32];
    try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      for (int i = 0; i < ROWS; i++) {
        rnd.nextBytes(v);
        xor ^= ReleaseStreamingProbe.checksum(v);
        w.write("sha256," + Hex.encode(v) + ",A1,supplier-batch-" + (i % 1000) + "\n");
      }
    }
    Ed25519KeyPair key = Ed25519KeyPair.generate();
    Path pub = tmp.resolve("k.pub");
    key.writePublicKey(pub, "big lists=big"); // a trust line scoped to the list
    Path release = tmp.resolve("big.hdbrel");
    ReleaseHeader h;
    try (InputStream in = Files.newInputStream(csv)) {
      h = ListReleaseWriter.write(in, "big", 1, Instant.now(), key, release, e -> {
        throw new AssertionError(e.toString());
      });
    }
    assertThat(h.entryCount()).isEqualTo(ROWS);
    // The payload alone does not fit the child's heap, let alone the entries made from it.
    assertThat(h.payloadLength()).isGreaterThan(16L << 20);

    Path spool = Files.createDirectory(tmp.resolve("spool"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, HEAP, "-XX:+UseSerialGC", "-cp",
        System.getProperty("java.class.path"), ReleaseStreamingProbe.class.getName(),
        release.toString(), pub.toString(), spool.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).isEqualTo(ROWS + " " + xor);
    assertThat(spool).isEmptyDirectory();
  }
}
