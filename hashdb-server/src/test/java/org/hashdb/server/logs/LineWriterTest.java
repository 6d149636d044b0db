package org.hashdb.server.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineWriterTest {
  @TempDir Path dir;

  /** A line "producer,index". */
  private static final class Text extends LineWriter.Line {
    private final String text;

    Text(String text) {
      this.text = text;
    }

    @Override
    protected void encode(ByteArrayOutputStream out) {
      out.writeBytes((text + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  /** A line whose encoding waits for {@code release}: holds the writer up. */
  private static final class Blocking extends LineWriter.Line {
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    @Override
    protected void encode(ByteArrayOutputStream out) throws java.io.IOException {
      entered.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      out.writeBytes("blocking\n".getBytes(StandardCharsets.UTF_8));
    }
  }

  private LineWriter open(long maxBytes, int maxFiles, int capacity, AtomicLong dropped)
      throws IOException {
    return new LineWriter(dir, "t.log", maxBytes, maxFiles, capacity, "test-writer",
        dropped::addAndGet, n -> new Text("dropped " + n));
  }

  @Test
  void offer_fromManyThreads_writesEveryLineOnceInEachThreadsOrder() throws Exception {
    AtomicLong dropped = new AtomicLong();
    LineWriter w = open(1L << 30, 1, 1 << 20, dropped);
    int threads = 4;
    int perThread = 25_000;
    Thread[] ts = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int id = t;
      ts[t] = new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          assertThat(w.offer(new Text(id + "," + i))).isTrue();
        }
      });
      ts[t].start();
    }
    for (Thread t : ts) {
      t.join();
    }
    w.close();
    List<String> lines = Files.readAllLines(dir.resolve("t.log"));
    assertThat(lines).hasSize(threads * perThread);
    int[] next = new int[threads];
    for (String l : lines) {
      int comma = l.indexOf(',');
      int t = Integer.parseInt(l.substring(0, comma));
      assertThat(Integer.parseInt(l.substring(comma + 1))).as(l).isEqualTo(next[t]);
      next[t]++;
    }
    assertThat(next).containsOnly(perThread);
    assertThat(dropped.get()).isZero();
  }

  @Test
  void offer_queueFull_dropsCountsAndWritesHowMany() throws Exception {
    AtomicLong dropped = new AtomicLong();
    LineWriter w = open(1 << 20, 1, 4, dropped);
    Blocking b = new Blocking();
    assertThat(w.offer(b)).isTrue();
    assertThat(b.entered.await(10, TimeUnit.SECONDS)).isTrue(); // the writer holds it
    for (int i = 0; i < 3; i++) {
      assertThat(w.offer(new Text("kept " + i))).isTrue();
    }
    assertThat(w.offer(new Text("lost 0"))).isFalse();
    assertThat(w.offer(new Text("lost 1"))).isFalse();
    assertThat(dropped.get()).isEqualTo(2);
    b.release.countDown();
    w.close();
    assertThat(Files.readAllLines(dir.resolve("t.log")))
        .containsExactly("blocking", "kept 0", "kept 1", "kept 2", "dropped 2");
  }

  @Test
  void offer_afterClose_isDroppedAndCounted() throws Exception {
    AtomicLong dropped = new AtomicLong();
    LineWriter w = open(1 << 20, 1, 16, dropped);
    assertThat(w.offer(new Text("a"))).isTrue();
    w.close();
    w.close(); // idempotent
    assertThat(w.offer(new Text("b"))).isFalse();
    assertThat(dropped.get()).isEqualTo(1);
    assertThat(Files.readAllLines(dir.resolve("t.log"))).containsExactly("a");
  }

  @Test
  void rotation_keepsMaxFilesOfAtMostMaxBytesAndLosesOnlyTheOldest() throws Exception {
    LineWriter w = open(4096, 3, 1 << 16, new AtomicLong());
    int n = 1000;
    for (int i = 0; i < n; i++) {
      w.offer(new Text(String.format("%05d %s", i, "x".repeat(40))));
    }
    w.close();
    assertThat(dir.resolve("t.log.4")).doesNotExist();
    int expect = n - 1;
    // newest first: t.log, t.log.1, t.log.2, t.log.3, each in order and continuing the next
    for (String f : new String[] {"t.log", "t.log.1", "t.log.2", "t.log.3"}) {
      assertThat(Files.size(dir.resolve(f))).isLessThanOrEqualTo(4096);
      List<String> lines = Files.readAllLines(dir.resolve(f));
      assertThat(lines).isNotEmpty();
      for (int i = lines.size() - 1; i >= 0; i--) {
        assertThat(Integer.parseInt(lines.get(i).substring(0, 5))).isEqualTo(expect--);
      }
    }
    assertThat(expect).isPositive(); // the oldest lines were rotated away
  }

  @Test
  void constructor_badBounds_throwNamingTheParameter() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> new LineWriter(dir, "t", 4095, 1, 1, "x", n -> {}, n -> null))
        .hasMessageContaining("maxBytes must be >= 4096");
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> new LineWriter(dir, "t", 4096, 0, 1, "x", n -> {}, n -> null))
        .hasMessageContaining("maxFiles must be >= 1");
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> new LineWriter(dir, "t", 4096, 1, 0, "x", n -> {}, n -> null))
        .hasMessageContaining("capacity must be >= 1");
  }
}
