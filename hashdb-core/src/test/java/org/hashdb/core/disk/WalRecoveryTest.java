package org.hashdb.core.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hashdb.testing.TestRandom;

class WalRecoveryTest {
  private static final WalOptions NO_FSYNC = WalOptions.defaults().withFsync(false);

  @TempDir Path tmp;

  /** Writes records 1..n with payload i of length lengths[i-1]; returns their byte offsets. */
  private static long[] writeLog(Path dir, int[] lengths, WalOptions options) throws IOException {
    long[] offsets = new long[lengths.length + 1];
    long pos = WalFormat.SEGMENT_HEADER_BYTES;
    try (WriteAheadLog log = WriteAheadLog.open(dir, 1, options)) {
      for (int i = 0; i < lengths.length; i++) {
        long seq = log.append((byte) (i % 7), 1000L + i, payload(i + 1, lengths[i]), 0, lengths[i]);
        assertThat(seq).isEqualTo(i + 1);
        offsets[i] = pos;
        pos += WalFormat.RECORD_HEADER_BYTES + lengths[i];
      }
      log.sync(lengths.length);
    }
    offsets[lengths.length] = pos;
    return offsets;
  }

  private static byte[] payload(long seq, int len) {
    byte[] b = new byte[len];
    new Random(seq).nextBytes(b);
    return b;
  }

  private static List<WalRecord> recoverAll(Path dir, List<RecoveryResult> result)
      throws IOException {
    List<WalRecord> out = new ArrayList<>();
    result.add(WriteAheadLog.recover(dir, 0, out::add));
    return out;
  }

  private static void assertRecords(List<WalRecord> records, int[] lengths, int count) {
    assertThat(records).hasSize(count);
    for (int i = 0; i < count; i++) {
      WalRecord r = records.get(i);
      assertThat(r.sequence()).isEqualTo(i + 1);
      assertThat(r.timeMillis()).isEqualTo(1000L + i);
      assertThat(r.kind()).isEqualTo((byte) (i % 7));
      assertThat(r.payload()).isEqualTo(payload(i + 1, lengths[i]));
    }
  }

  private Path copyWith(byte[] segment, String name) throws IOException {
    Path dir = Files.createTempDirectory(tmp, "case");
    Files.write(dir.resolve(name), segment);
    return dir;
  }

  private static void flip(byte[] bytes, int pos, int bit) {
    bytes[pos] ^= (byte) (1 << bit);
  }

  @Test
  void recover_truncatedAtEveryOffsetOfLastRecord_cutsTornTailAndKeepsEarlierRecords()
      throws IOException {
    int[] lengths = {12, 0, 33, 5, 40};
    Path dir = tmp.resolve("src");
    long[] off = writeLog(dir, lengths, NO_FSYNC);
    String name = WalFormat.segmentFileName(1);
    byte[] full = Files.readAllBytes(dir.resolve(name));
    long lastStart = off[4];
    assertThat(full).hasSize((int) off[5]);
    for (int cut = (int) lastStart; cut < full.length; cut++) {
      Path d = copyWith(Arrays.copyOf(full, cut), name);
      List<RecoveryResult> res = new ArrayList<>();
      List<WalRecord> recs = recoverAll(d, res);
      assertRecords(recs, lengths, 4);
      RecoveryResult r = res.get(0);
      assertThat(r.lastSequence()).isEqualTo(4);
      if (cut == lastStart) {
        assertThat(r.torn()).as("clean end at %d", cut).isFalse();
      } else {
        assertThat(r.torn()).as("cut at %d", cut).isTrue();
        assertThat(r.tornFile()).isEqualTo(d.resolve(name));
        assertThat(r.tornOffset()).isEqualTo(lastStart);
        assertThat(r.tornBytes()).isEqualTo(cut - lastStart);
      }
      assertThat(Files.size(d.resolve(name))).isEqualTo(lastStart);
      // the repaired log continues where it ends
      try (WriteAheadLog log = WriteAheadLog.open(d, 5, NO_FSYNC)) {
        assertThat(log.append((byte) 4, 1004, payload(5, 40), 0, 40)).isEqualTo(5);
        log.sync(5);
      }
      assertRecords(recoverAll(d, new ArrayList<>()), lengths, 5);
    }
  }

  @Test
  void recover_flippedBitInEachByteOfMiddleRecord_throwsNamingFileAndRecordOffset()
      throws IOException {
    int[] lengths = {20, 20, 30, 20, 20};
    Path dir = tmp.resolve("src");
    long[] off = writeLog(dir, lengths, NO_FSYNC);
    String name = WalFormat.segmentFileName(1);
    byte[] full = Files.readAllBytes(dir.resolve(name));
    Random rnd = TestRandom.random(7);
    for (long pos = off[2]; pos < off[3]; pos++) {
      byte[] bad = full.clone();
      flip(bad, (int) pos, rnd.nextInt(8));
      Path d = copyWith(bad, name);
      assertThatThrownBy(() -> WriteAheadLog.recover(d, 0, r -> {}))
          .as("flip at %d", pos)
          .isInstanceOfSatisfying(
              CorruptDataException.class,
              e -> {
                assertThat(e.file()).isEqualTo(d.resolve(name));
                assertThat(e.offset()).isEqualTo(off[2]);
                assertThat(e.getMessage()).contains(name).contains("at byte " + off[2]);
              });
      assertThat(Files.readAllBytes(d.resolve(name))).as("file untouched").isEqualTo(bad);
    }
  }

  @Test
  void recover_flippedBitInEachByteOfLastRecord_cutsItAsTorn() throws IOException {
    int[] lengths = {20, 20, 30};
    Path dir = tmp.resolve("src");
    long[] off = writeLog(dir, lengths, NO_FSYNC);
    String name = WalFormat.segmentFileName(1);
    byte[] full = Files.readAllBytes(dir.resolve(name));
    Random rnd = TestRandom.random(8);
    for (long pos = off[2]; pos < off[3]; pos++) {
      byte[] bad = full.clone();
      flip(bad, (int) pos, rnd.nextInt(8));
      Path d = copyWith(bad, name);
      List<RecoveryResult> res = new ArrayList<>();
      assertRecords(recoverAll(d, res), lengths, 2);
      assertThat(res.get(0).torn()).isTrue();
      assertThat(res.get(0).tornOffset()).isEqualTo(off[2]);
      assertThat(res.get(0).tornBytes()).isEqualTo(off[3] - off[2]);
    }
  }

  @Test
  void recover_zeroFilledTail_cutsItAsTorn() throws IOException {
    int[] lengths = {10, 10};
    Path dir = tmp.resolve("src");
    long[] off = writeLog(dir, lengths, NO_FSYNC);
    Path seg = dir.resolve(WalFormat.segmentFileName(1));
    Files.write(seg, new byte[100], StandardOpenOption.APPEND);
    List<RecoveryResult> res = new ArrayList<>();
    assertRecords(recoverAll(dir, res), lengths, 2);
    assertThat(res.get(0).tornOffset()).isEqualTo(off[2]);
    assertThat(res.get(0).tornBytes()).isEqualTo(100);
    assertThat(Files.size(seg)).isEqualTo(off[2]);
  }

  @Test
  void recover_damagedRecordFollowedByIntactOneAfterGarbage_isCorruptionNotTornTail()
      throws IOException {
    // a complete-length record with a bad crc, then an intact record: data after the damage
    // exists, so cutting would lose it
    Path dir = tmp.resolve("src");
    int[] lengths = {10, 10, 10};
    long[] off = writeLog(dir, lengths, NO_FSYNC);
    Path seg = dir.resolve(WalFormat.segmentFileName(1));
    byte[] bytes = Files.readAllBytes(seg);
    bytes[(int) off[1] + WalFormat.PAYLOAD_OFFSET] ^= 1; // record 2 payload
    // record 2 length now claims more bytes than the file has
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt((int) off[1], 5000);
    Files.write(seg, bytes);
    assertThatThrownBy(() -> WriteAheadLog.recover(dir, 0, r -> {}))
        .isInstanceOfSatisfying(
            CorruptDataException.class, e -> assertThat(e.offset()).isEqualTo(off[1]));
  }

  @Test
  void recover_garbageAtEndOfOlderSegment_throws() throws IOException {
    Path dir = tmp.resolve("src");
    try (WriteAheadLog log = WriteAheadLog.open(dir, 1, NO_FSYNC)) {
      log.append((byte) 1, new byte[8], 0, 8);
      log.rollSegment();
      log.append((byte) 1, new byte[8], 0, 8);
      log.sync(2);
    }
    Path first = dir.resolve(WalFormat.segmentFileName(1));
    long end = Files.size(first);
    Files.write(first, new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
    assertThatThrownBy(() -> WriteAheadLog.recover(dir, 0, r -> {}))
        .isInstanceOfSatisfying(
            CorruptDataException.class,
            e -> {
              assertThat(e.file()).isEqualTo(first);
              assertThat(e.offset()).isEqualTo(end);
            });
    assertThat(Files.size(first)).isEqualTo(end + 3);
  }

  @Test
  void recover_truncatedOlderSegment_throws() throws IOException {
    Path dir = tmp.resolve("src");
    try (WriteAheadLog log = WriteAheadLog.open(dir, 1, NO_FSYNC)) {
      log.append((byte) 1, new byte[8], 0, 8);
      log.append((byte) 1, new byte[8], 0, 8);
      log.rollSegment();
      log.append((byte) 1, new byte[8], 0, 8);
      log.sync(3);
    }
    Path first = dir.resolve(WalFormat.segmentFileName(1));
    long size = Files.size(first);
    try (var ch = java.nio.channels.FileChannel.open(first, StandardOpenOption.WRITE)) {
      ch.truncate(size - 5);
    }
    assertThatThrownBy(() -> WriteAheadLog.recover(dir, 0, r -> {}))
        .isInstanceOfSatisfying(
            CorruptDataException.class, e -> assertThat(e.file()).isEqualTo(first));
  }

  @Test
  void recover_sequenceGapInsideSegment_throwsAtTheRecord() throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(1000).order(ByteOrder.LITTLE_ENDIAN);
    WalFormat.putSegmentHeader(buf, 1);
    CRC32C crc = new CRC32C();
    byte[] p = {1, 2, 3};
    WalFormat.putRecord(buf, crc, 1, 0, (byte) 0, p, 0, 3);
    WalFormat.putRecord(buf, crc, 2, 0, (byte) 0, p, 0, 3);
    long gapAt = buf.position();
    WalFormat.putRecord(buf, crc, 4, 0, (byte) 0, p, 0, 3);
    WalFormat.putRecord(buf, crc, 5, 0, (byte) 0, p, 0, 3);
    Path dir = copyWith(Arrays.copyOf(buf.array(), buf.position()), WalFormat.segmentFileName(1));
    assertThatThrownBy(() -> WriteAheadLog.recover(dir, 0, r -> {}))
        .isInstanceOfSatisfying(
            CorruptDataException.class,
            e -> {
              assertThat(e.offset()).isEqualTo(gapAt);
              assertThat(e.getMessage()).contains("sequence gap: expected sequence 3, found 4");
            });
  }

  @Test
  void recover_missingMiddleSegment_throwsAtNextSegment() throws IOException {
    Path dir = tmp.resolve("src");
    try (WriteAheadLog log = WriteAheadLog.open(dir, 1, NO_FSYNC)) {
      for (int i = 0; i < 3; i++) {
        log.append((byte) 1, new byte[8], 0, 8);
        log.append((byte) 1, new byte[8], 0, 8);
        log.rollSegment();
      }
      log.sync(6);
    }
    Files.delete(dir.resolve(WalFormat.segmentFileName(3)));
    Path third = dir.resolve(WalFormat.segmentFileName(5));
    assertThatThrownBy(() -> WriteAheadLog.recover(dir, 0, r -> {}))
        .isInstanceOfSatisfying(
            CorruptDataException.class,
            e -> {
              assertThat(e.file()).isEqualTo(third);
              assertThat(e.offset()).isZero();
              assertThat(e.getMessage()).contains("expected 3");
            });
  }

  @Test
  void recover_logStartsAfterNeededSequence_throwsMissingRecords() throws IOException {
    Path dir = tmp.resolve("src");
    try (WriteAheadLog log = WriteAheadLog.open(dir, 1, NO_FSYNC)) {
      for (int i = 0; i < 4; i++) {
        log.append((byte) 1, new byte[8], 0, 8);
      }
      log.rollSegment();
      log.append((byte) 1, new byte[8], 0, 8);
      log.sync(5);
      log.deleteSegmentsUpTo(4);
    }
    // a snapshot at 4 is fine; one at 2 would need records 3 and 4, which are gone
    List<WalRecord> tail = new ArrayList<>();
    assertThat(WriteAheadLog.recover(dir, 4, tail::add).lastSequence()).isEqualTo(5);
    assertThat(tail).extracting(WalRecord::sequence).containsExactly(5L);
    assertThatThrownBy(() -> WriteAheadLog.recover(dir, 2, r -> {}))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("3..4 are missing");
  }

  @Test
  void recover_badMagic_throwsAtOffsetZero() throws IOException {
    Path dir = tmp.resolve("src");
    writeLog(dir, new int[] {5, 5}, NO_FSYNC);
    Path seg = dir.resolve(WalFormat.segmentFileName(1));
    byte[] bytes = Files.readAllBytes(seg);
    bytes[0] = 'X';
    Files.write(seg, bytes);
    assertThatThrownBy(() -> WriteAheadLog.recover(dir, 0, r -> {}))
        .isInstanceOfSatisfying(
            CorruptDataException.class,
            e -> {
              assertThat(e.offset()).isZero();
              assertThat(e.getMessage()).contains("bad segment magic");
            });
  }

  @Test
  void recover_headerNameMismatch_throws() throws IOException {
    Path dir = tmp.resolve("src");
    writeLog(dir, new int[] {5}, NO_FSYNC);
    Files.move(
        dir.resolve(WalFormat.segmentFileName(1)), dir.resolve(WalFormat.segmentFileName(2)));
    assertThatThrownBy(() -> WriteAheadLog.recover(dir, 0, r -> {}))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("file name says 2");
  }

  @Test
  void recover_tornHeaderOfNewestSegment_deletesItAndReportsTorn() throws IOException {
    Path dir = tmp.resolve("src");
    try (WriteAheadLog log = WriteAheadLog.open(dir, 1, NO_FSYNC)) {
      log.append((byte) 1, new byte[8], 0, 8);
      log.append((byte) 1, new byte[8], 0, 8);
      log.rollSegment();
    }
    Path newest = dir.resolve(WalFormat.segmentFileName(3));
    for (int size : new int[] {0, 7, WalFormat.SEGMENT_HEADER_BYTES - 1, WalFormat.SEGMENT_HEADER_BYTES, 100}) {
      Files.write(newest, new byte[size]);
      List<RecoveryResult> res = new ArrayList<>();
      assertThat(recoverAll(dir, res)).hasSize(2);
      assertThat(res.get(0).torn()).isTrue();
      assertThat(res.get(0).tornFile()).isEqualTo(newest);
      assertThat(res.get(0).tornBytes()).isEqualTo(size);
      assertThat(newest).doesNotExist();
    }
    try (WriteAheadLog log = WriteAheadLog.open(dir, 3, NO_FSYNC)) {
      assertThat(log.append((byte) 1, new byte[8], 0, 8)).isEqualTo(3);
    }
  }

  @Test
  void recover_afterSequence_handsOnlyNewerRecordsAcrossSegments() throws IOException {
    Path dir = tmp.resolve("src");
    Random rnd = TestRandom.random(3);
    List<byte[]> oracle = new ArrayList<>();
    try (WriteAheadLog log = WriteAheadLog.open(dir, 1, NO_FSYNC.withSegmentBytes(300))) {
      for (int i = 0; i < 200; i++) {
        byte[] p = new byte[rnd.nextInt(60)];
        rnd.nextBytes(p);
        oracle.add(p);
        log.append((byte) i, p, 0, p.length);
      }
      assertThat(log.segmentCount()).isGreaterThan(10);
      log.sync(200);
    }
    List<WalRecord> got = new ArrayList<>();
    RecoveryResult r = WriteAheadLog.recover(dir, 57, got::add);
    assertThat(r.records()).isEqualTo(143);
    assertThat(r.lastSequence()).isEqualTo(200);
    assertThat(r.torn()).isFalse();
    for (int i = 0; i < got.size(); i++) {
      assertThat(got.get(i).sequence()).isEqualTo(58 + i);
      assertThat(got.get(i).kind()).isEqualTo((byte) (57 + i));
      assertThat(got.get(i).payload()).isEqualTo(oracle.get(57 + i));
    }
  }

  @Test
  void recover_emptyOrMissingDirectory_returnsNothing() throws IOException {
    RecoveryResult r = WriteAheadLog.recover(tmp.resolve("none"), 9, rec -> {});
    assertThat(r.lastSequence()).isEqualTo(9);
    assertThat(r.records()).isZero();
    assertThat(r.torn()).isFalse();
  }

  @Test
  void open_tornTailNotRecovered_throws() throws IOException {
    Path dir = tmp.resolve("src");
    writeLog(dir, new int[] {5, 5}, NO_FSYNC);
    Files.write(dir.resolve(WalFormat.segmentFileName(1)), new byte[] {9, 9}, StandardOpenOption.APPEND);
    assertThatThrownBy(() -> WriteAheadLog.open(dir, 3, NO_FSYNC))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("recover");
  }

  @Test
  void open_nextSequenceNotContinuingLog_throws() throws IOException {
    Path dir = tmp.resolve("src");
    writeLog(dir, new int[] {5, 5}, NO_FSYNC);
    assertThatThrownBy(() -> WriteAheadLog.open(dir, 5, NO_FSYNC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nextSequence 5 does not continue")
        .hasMessageContaining("last record is 2");
    assertThatThrownBy(() -> WriteAheadLog.open(dir, 0, NO_FSYNC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("nextSequence must be >= 1, got 0");
  }
}
