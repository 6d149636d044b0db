package org.hashdb.core.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hashdb.testing.TestRandom;

class WriteAheadLogTest {
  private static final WalOptions NO_FSYNC = WalOptions.defaults().withFsync(false);

  @TempDir Path dir;

  private static byte[] bytes(Random rnd, int maxLen) {
    byte[] b = new byte[rnd.nextInt(maxLen + 1)];
    rnd.nextBytes(b);
    return b;
  }

  private long segmentFilesSize() throws IOException {
    long total = 0;
    for (long first : WriteAheadLog.listSegments(dir)) {
      total += Files.size(dir.resolve(WalFormat.segmentFileName(first)));
    }
    return total;
  }

  @Test
  void append_randomRecordsOverManySegments_recoverReturnsThemInOrder() throws IOException {
    Random rnd = TestRandom.random(11);
    List<WalRecord> oracle = new ArrayList<>();
    try (WriteAheadLog log = WriteAheadLog.open(dir, 1, WalOptions.defaults().withSegmentBytes(4096))) {
      for (int i = 0; i < 500; i++) {
        byte[] p = bytes(rnd, 300);
        byte kind = (byte) rnd.nextInt(256);
        long time = rnd.nextLong();
        int off = p.length == 0 ? 0 : rnd.nextInt(p.length);
        long seq = log.append(kind, time, p, off, p.length - off);
        assertThat(seq).isEqualTo(i + 1);
        oracle.add(new WalRecord(seq, time, kind, java.util.Arrays.copyOfRange(p, off, p.length)));
        if (rnd.nextInt(10) == 0) {
          log.sync(seq);
          assertThat(log.durableSequence()).isEqualTo(seq);
        }
      }
      assertThat(log.lastSequence()).isEqualTo(500);
      assertThat(log.segmentCount()).isGreaterThan(5);
      assertThat(log.sizeBytes()).isEqualTo(segmentFilesSize());
      assertThat(log.ramBytesUsed()).isBetween(64L << 10, 1L << 20);
    }
    List<WalRecord> got = new ArrayList<>();
    RecoveryResult r = WriteAheadLog.recover(dir, 0, got::add);
    assertThat(r.lastSequence()).isEqualTo(500);
    assertThat(r.torn()).isFalse();
    assertThat(got).hasSize(oracle.size());
    for (int i = 0; i < got.size(); i++) {
      assertThat(got.get(i).sequence()).isEqualTo(oracle.get(i).sequence());
      assertThat(got.get(i).timeMillis()).isEqualTo(oracle.get(i).timeMillis());
      assertThat(got.get(i).kind()).isEqualTo(oracle.get(i).kind());
      assertThat(got.get(i).payload()).isEqualTo(oracle.get(i).payload());
    }
  }

  @Test
  void open_existingLog_continuesInLastSegment() throws IOException {
    try (WriteAheadLog log = WriteAheadLog.open(dir, 1, NO_FSYNC)) {
      log.append((byte) 1, new byte[3], 0, 3);
    }
    try (WriteAheadLog log = WriteAheadLog.open(dir, 2, NO_FSYNC)) {
      assertThat(log.lastSequence()).isEqualTo(1);
      assertThat(log.append((byte) 1, new byte[3], 0, 3)).isEqualTo(2);
      log.sync(2);
      assertThat(log.segmentCount()).isEqualTo(1);
      assertThat(log.read(1, 10)).extracting(WalRecord::sequence).containsExactly(1L, 2L);
    }
  }

  @Test
  void open_emptyDirectory_startsAtGivenSequence() throws IOException {
    try (WriteAheadLog log = WriteAheadLog.open(dir.resolve("new"), 42, NO_FSYNC)) {
      assertThat(log.firstAvailableSequence()).isEqualTo(42);
      assertThat(log.lastSequence()).isEqualTo(41);
      assertThat(log.append((byte) 0, new byte[0], 0, 0)).isEqualTo(42);
    }
    assertThat(dir.resolve("new").resolve("wal-00000000000000000042.log")).exists();
  }

  @Test
  void rollSegment_thenDeleteSegmentsUpTo_dropsOnlyFullyCoveredSegments() throws IOException {
    try (WriteAheadLog log = WriteAheadLog.open(dir, 1, NO_FSYNC)) {
      for (int i = 1; i <= 10; i++) {
        log.append((byte) 1, new byte[10], 0, 10);
        if (i % 3 == 0) {
          log.rollSegment(); // segments 1-3, 4-6, 7-9, 10-
        }
      }
      log.rollSegment();
      log.rollSegment(); // no-op: the active segment is empty
      assertThat(log.segmentCount()).isEqualTo(5);
      log.sync(10);

      log.deleteSegmentsUpTo(5); // 1-3 only: 4-6 still holds record 6
      assertThat(WriteAheadLog.listSegments(dir)).containsExactly(4L, 7L, 10L, 11L);
      assertThat(log.firstAvailableSequence()).isEqualTo(4);
      assertThat(log.sizeBytes()).isEqualTo(segmentFilesSize());

      log.deleteSegmentsUpTo(10); // all but the empty active one
      assertThat(WriteAheadLog.listSegments(dir)).containsExactly(11L);
      assertThat(log.firstAvailableSequence()).isEqualTo(11);
      assertThat(log.sizeBytes()).isEqualTo(WalFormat.SEGMENT_HEADER_BYTES);
      assertThatThrownBy(() -> log.read(10, 5))
          .isInstanceOfSatisfying(
              SequenceUnavailableException.class,
              e -> assertThat(e.firstAvailable()).isEqualTo(11));

      log.deleteSegmentsUpTo(Long.MAX_VALUE); // never the active segment
      assertThat(WriteAheadLog.listSegments(dir)).containsExactly(11L);
      assertThat(log.append((byte) 1, new byte[10], 0, 10)).isEqualTo(11);
      log.sync(11);
      assertThat(log.read(11, 5)).extracting(WalRecord::sequence).containsExactly(11L);
    }
    List<WalRecord> got = new ArrayList<>();
    assertThat(WriteAheadLog.recover(dir, 10, got::add).lastSequence()).isEqualTo(11);
    assertThat(got).extracting(WalRecord::sequence).containsExactly(11L);
  }

  @Test
  void read_randomRanges_matchOracleIncludingAfterReopen() throws IOException {
    Random rnd = TestRandom.random(5);
    List<byte[]> oracle = new ArrayList<>();
    // big records and 3 MiB segments: several checkpoints per segment
    WalOptions opts = NO_FSYNC.withSegmentBytes(3 << 20);
    try (WriteAheadLog log = WriteAheadLog.open(dir, 1, opts)) {
      for (int i = 0; i < 6000; i++) {
        byte[] p = bytes(rnd, 2000);
        oracle.add(p);
        log.append((byte) 0, p, 0, p.length);
      }
      log.sync(log.lastSequence());
      assertThat(log.segmentCount()).isGreaterThan(1);
      checkReads(log, oracle, rnd);
    }
    try (WriteAheadLog log = WriteAheadLog.open(dir, oracle.size() + 1, opts)) {
      checkReads(log, oracle, rnd); // older segments get checkpoints from reads
      checkReads(log, oracle, rnd);
    }
  }

  private static void checkReads(WriteAheadLog log, List<byte[]> oracle, Random rnd)
      throws IOException {
    for (int q = 0; q < 40; q++) {
      long from = 1 + rnd.nextInt(oracle.size() + 5);
      int limit = rnd.nextInt(300);
      List<WalRecord> got = log.read(from, limit);
      long expectedCount = Math.max(0, Math.min(limit, oracle.size() - from + 1));
      assertThat(got).as("read(%d, %d)", from, limit).hasSize((int) expectedCount);
      for (int i = 0; i < got.size(); i++) {
        assertThat(got.get(i).sequence()).isEqualTo(from + i);
        assertThat(got.get(i).payload()).isEqualTo(oracle.get((int) (from - 1 + i)));
      }
    }
  }

  @Test
  void read_returnsOnlyDurableRecords() throws IOException {
    try (WriteAheadLog log = WriteAheadLog.open(dir, 1, WalOptions.defaults())) {
      for (int i = 0; i < 3; i++) {
        log.append((byte) 1, new byte[4], 0, 4);
      }
      assertThat(log.read(1, 10)).isEmpty();
      log.sync(2); // covers everything appended when the fsync started
      assertThat(log.durableSequence()).isEqualTo(3);
      log.append((byte) 1, new byte[4], 0, 4);
      assertThat(log.read(1, 10)).extracting(WalRecord::sequence).containsExactly(1L, 2L, 3L);
      assertThat(log.read(4, 10)).isEmpty();
      assertThat(log.read(2, 0)).isEmpty();
      assertThatThrownBy(() -> log.read(0, 10)).isInstanceOf(SequenceUnavailableException.class);
      assertThatThrownBy(() -> log.read(1, -1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("limit must be >= 0, got -1");
    }
  }

  @Test
  void read_damagedRecordOnDisk_throwsCorruptData() throws IOException {
    try (WriteAheadLog log = WriteAheadLog.open(dir, 1, NO_FSYNC)) {
      for (int i = 0; i < 3; i++) {
        log.append((byte) 1, new byte[4], 0, 4);
      }
      log.sync(3);
      Path seg = dir.resolve(WalFormat.segmentFileName(1));
      byte[] b = Files.readAllBytes(seg);
      long second = WalFormat.SEGMENT_HEADER_BYTES + WalFormat.RECORD_HEADER_BYTES + 4;
      b[(int) second + WalFormat.PAYLOAD_OFFSET] ^= 4;
      Files.write(seg, b);
      assertThatThrownBy(() -> log.read(1, 10))
          .isInstanceOfSatisfying(
              CorruptDataException.class, e -> assertThat(e.offset()).isEqualTo(second));
    }
  }

  @Test
  void sync_notYetAppended_throws() throws IOException {
    try (WriteAheadLog log = WriteAheadLog.open(dir, 1, NO_FSYNC)) {
      log.append((byte) 1, new byte[4], 0, 4);
      assertThatThrownBy(() -> log.sync(2))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("sequence 2 has not been appended (last appended: 1)");
    }
  }

  @Test
  void append_badArguments_throwPreciseExceptions() throws IOException {
    try (WriteAheadLog log = WriteAheadLog.open(dir, 1, NO_FSYNC)) {
      assertThatThrownBy(() -> log.append((byte) 1, new byte[4], 2, 3))
          .isInstanceOf(IndexOutOfBoundsException.class);
      assertThat(log.lastSequence()).isZero();
    }
    assertThatThrownBy(() -> new WalOptions(true, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("segmentBytes must be >= 64, got 10");
  }

  @Test
  void append_afterClose_throwsClosedChannel() throws IOException {
    WriteAheadLog log = WriteAheadLog.open(dir, 1, NO_FSYNC);
    log.close();
    log.close(); // idempotent
    assertThatThrownBy(() -> log.append((byte) 1, new byte[1], 0, 1))
        .isInstanceOf(ClosedChannelException.class);
  }

  @Test
  void sync_fsyncFails_logRefusesFurtherWork() throws IOException {
    try (WriteAheadLog log = WriteAheadLog.open(dir, 1, WalOptions.defaults())) {
      log.forcer =
          ch -> {
            throw new IOException("EIO");
          };
      log.append((byte) 1, new byte[1], 0, 1);
      assertThatThrownBy(() -> log.sync(1)).hasMessage("EIO");
      assertThat(log.durableSequence()).isZero();
      assertThatThrownBy(() -> log.append((byte) 1, new byte[1], 0, 1))
          .hasMessageContaining("failed earlier")
          .hasRootCauseMessage("EIO");
      assertThatThrownBy(() -> log.sync(1)).hasMessageContaining("failed earlier");
    }
  }

  @Test
  void sync_whileFsyncRuns_appendsAreNotBlocked() throws Exception {
    try (WriteAheadLog log = WriteAheadLog.open(dir, 1, WalOptions.defaults())) {
      CountDownLatch inForce = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      log.forcer =
          ch -> {
            inForce.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              throw new IOException(e);
            }
            ch.force(false);
          };
      log.append((byte) 1, new byte[1], 0, 1);
      ExecutorService ex = Executors.newSingleThreadExecutor();
      try {
        Future<?> syncer = ex.submit(() -> { log.sync(1); return null; });
        assertThat(inForce.await(10, TimeUnit.SECONDS)).isTrue();
        // the fsync is in progress: appends proceed, and records stay non-durable
        assertThat(log.append((byte) 1, new byte[1], 0, 1)).isEqualTo(2);
        assertThat(log.append((byte) 1, new byte[1], 0, 1)).isEqualTo(3);
        assertThat(log.durableSequence()).isZero();
        assertThat(syncer.isDone()).isFalse();
        release.countDown();
        syncer.get(10, TimeUnit.SECONDS);
        assertThat(log.durableSequence()).isEqualTo(1);
        log.sync(3);
        assertThat(log.durableSequence()).isEqualTo(3);
      } finally {
        release.countDown();
        ex.shutdown();
      }
    }
  }

  @Test
  void sync_concurrentAppendersWithRolls_shareFsyncsAndGetConsecutiveDurableSequences()
      throws Exception {
    int threads = 8;
    int perThread = 150;
    ReentrantLock writerLock = new ReentrantLock(); // the database's writer lock
    Set<Long> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    AtomicInteger notDurable = new AtomicInteger();
    try (WriteAheadLog log = WriteAheadLog.open(dir, 1, WalOptions.defaults().withSegmentBytes(16 << 10))) {
      CyclicBarrier start = new CyclicBarrier(threads);
      ExecutorService ex = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int id = t;
          fs.add(
              ex.submit(
                  () -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                      byte[] p = (id + ":" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                      long seq;
                      writerLock.lock();
                      try {
                        seq = log.append((byte) id, p, 0, p.length);
                      } finally {
                        writerLock.unlock();
                      }
                      log.sync(seq);
                      if (log.durableSequence() < seq) {
                        notDurable.incrementAndGet();
                      }
                      seen.add(seq);
                    }
                    return null;
                  }));
        }
        for (Future<?> f : fs) {
          f.get(120, TimeUnit.SECONDS);
        }
      } finally {
        ex.shutdown();
      }
      int records = threads * perThread;
      assertThat(notDurable).hasValue(0);
      assertThat(seen).hasSize(records);
      assertThat(seen).containsAll(Stream.iterate(1L, s -> s + 1).limit(records).toList());
      assertThat(log.segmentCount()).isGreaterThan(1);
      assertThat(log.fsyncCount()).isPositive().isLessThan(records);
    }
    Set<String> payloads = new HashSet<>();
    RecoveryResult r =
        WriteAheadLog.recover(dir, 0, rec -> payloads.add(new String(rec.payload(), java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(r.records()).isEqualTo(threads * perThread);
    assertThat(payloads).hasSize(threads * perThread).contains("0:0", "7:149");
  }

  @Test
  void read_concurrentWithAppendsAndRolls_seesEveryDurableRecordInOrder() throws Exception {
    int total = 3000;
    try (WriteAheadLog log = WriteAheadLog.open(dir, 1, NO_FSYNC.withSegmentBytes(8 << 10))) {
      ExecutorService ex = Executors.newSingleThreadExecutor();
      try {
        Future<?> writer =
            ex.submit(
                () -> {
                  for (int i = 1; i <= total; i++) {
                    byte[] p = Long.toString(i * 7919L).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    long seq = log.append((byte) 1, p, 0, p.length);
                    if (i % 5 == 0 || i == total) {
                      log.sync(seq);
                    }
                  }
                  return null;
                });
        long next = 1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (next <= total && System.nanoTime() < deadline) {
          for (WalRecord r : log.read(next, 97)) {
            assertThat(r.sequence()).isEqualTo(next);
            assertThat(r.sequence()).isLessThanOrEqualTo(log.durableSequence());
            assertThat(new String(r.payload(), java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo(Long.toString(next * 7919L));
            next++;
          }
        }
        writer.get(60, TimeUnit.SECONDS);
        assertThat(next).isEqualTo(total + 1);
        assertThat(log.segmentCount()).isGreaterThan(3);
      } finally {
        ex.shutdownNow();
      }
    }
  }
}
