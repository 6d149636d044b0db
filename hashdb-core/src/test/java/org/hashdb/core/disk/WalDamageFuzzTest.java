package org.hashdb.core.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hashdb.testing.TestRandom;

/**
 * Randomized damage against an oracle: whatever happens to the files, recovery either returns
 * exactly the expected prefix of the records or throws CorruptDataException; it never returns
 * a record that differs from what was written, and never drops records silently.
 */
class WalDamageFuzzTest {
  private static final WalOptions OPTS = WalOptions.defaults().withFsync(false).withSegmentBytes(700);

  @TempDir Path tmp;

  private record Written(List<byte[]> payloads, List<Long> segments, List<long[]> offsets) {}

  /** Writes random records; offsets.get(i) = {segment first sequence, byte offset} of record i+1. */
  private static Written writeRandom(Path dir, Random rnd) throws IOException {
    List<byte[]> payloads = new ArrayList<>();
    List<long[]> offsets = new ArrayList<>();
    int n = 1 + rnd.nextInt(40);
    try (WriteAheadLog log = WriteAheadLog.open(dir, 1, OPTS)) {
      for (int i = 0; i < n; i++) {
        byte[] p = new byte[rnd.nextInt(90)];
        rnd.nextBytes(p);
        payloads.add(p);
        log.append((byte) i, i, p, 0, p.length);
      }
      log.sync(n);
    }
    List<Long> segs = WriteAheadLog.listSegments(dir);
    // record offsets: walk each segment, records in order
    int rec = 0;
    for (long first : segs) {
      long pos = WalFormat.SEGMENT_HEADER_BYTES;
      long size = Files.size(dir.resolve(WalFormat.segmentFileName(first)));
      while (pos < size) {
        offsets.add(new long[] {first, pos});
        pos += WalFormat.RECORD_HEADER_BYTES + payloads.get(rec++).length;
      }
    }
    assertThat(rec).isEqualTo(n);
    return new Written(payloads, segs, offsets);
  }

  @Test
  void recover_randomDamage_returnsExpectedPrefixOrThrows() throws IOException {
    Random rnd = TestRandom.random(2024);
    int torn = 0;
    int corrupt = 0;
    for (int trial = 0; trial < 300; trial++) {
      Path dir = Files.createTempDirectory(tmp, "t" + trial);
      Written w = writeRandom(dir, rnd);
      int n = w.payloads().size();
      long lastFirst = w.segments().get(w.segments().size() - 1);
      Path last = dir.resolve(WalFormat.segmentFileName(lastFirst));
      long lastSize = Files.size(last);
      // index of the first record in the last segment
      int firstInLast = 0;
      while (firstInLast < n && w.offsets().get(firstInLast)[0] != lastFirst) {
        firstInLast++;
      }

      int expectedCount; // -1: must throw
      int kind = rnd.nextInt(4);
      if (kind == 0) { // truncate the last segment somewhere in its records
        long cut = WalFormat.SEGMENT_HEADER_BYTES + (long) (rnd.nextDouble() * (lastSize - WalFormat.SEGMENT_HEADER_BYTES));
        truncate(last, cut);
        expectedCount = firstInLast;
        while (expectedCount < n && end(w, expectedCount) <= cut) {
          expectedCount++;
        }
      } else if (kind == 1) { // flip one bit in some record of some segment
        int r = rnd.nextInt(n);
        long[] at = w.offsets().get(r);
        int len = WalFormat.RECORD_HEADER_BYTES + w.payloads().get(r).length;
        Path seg = dir.resolve(WalFormat.segmentFileName(at[0]));
        byte[] b = Files.readAllBytes(seg);
        b[(int) (at[1] + rnd.nextInt(len))] ^= (byte) (1 << rnd.nextInt(8));
        Files.write(seg, b);
        expectedCount = r == n - 1 ? n - 1 : -1;
      } else if (kind == 2) { // garbage appended to the last segment
        byte[] junk = new byte[1 + rnd.nextInt(60)];
        rnd.nextBytes(junk);
        Files.write(last, junk, java.nio.file.StandardOpenOption.APPEND);
        expectedCount = n;
      } else { // zeros appended (file grown, data never written)
        Files.write(last, new byte[1 + rnd.nextInt(5000)], java.nio.file.StandardOpenOption.APPEND);
        expectedCount = n;
      }

      List<WalRecord> got = new ArrayList<>();
      int k = kind;
      Throwable t = catchThrowable(() -> WriteAheadLog.recover(dir, 0, got::add));
      if (expectedCount < 0) {
        assertThat(t).as("trial %d kind %d", trial, k).isInstanceOf(CorruptDataException.class);
        corrupt++;
      } else {
        assertThat(t).as("trial %d kind %d", trial, k).isNull();
        assertThat(got).as("trial %d kind %d", trial, k).hasSize(expectedCount);
        torn++;
      }
      for (int i = 0; i < got.size(); i++) { // whatever was returned is exactly what was written
        assertThat(got.get(i).sequence()).isEqualTo(i + 1);
        assertThat(got.get(i).kind()).isEqualTo((byte) i);
        assertThat(got.get(i).payload()).isEqualTo(w.payloads().get(i));
      }
      if (t == null) { // and the repaired log accepts the next record
        try (WriteAheadLog log = WriteAheadLog.open(dir, expectedCount + 1, OPTS)) {
          assertThat(log.append((byte) 0, new byte[3], 0, 3)).isEqualTo(expectedCount + 1);
        }
      }
    }
    assertThat(torn).isPositive();
    assertThat(corrupt).isPositive();
  }

  private static long end(Written w, int record) {
    return w.offsets().get(record)[1]
        + WalFormat.RECORD_HEADER_BYTES
        + w.payloads().get(record).length;
  }

  private static void truncate(Path p, long size) throws IOException {
    try (var ch = java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(size);
    }
  }
}
