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

  // ------------------------------------------------- acked end in the header (format version 2)

  /** fsync on: the acked end is written with the fsyncs. */
  private static final WalOptions FSYNC = WalOptions.defaults().withFsync(true);

  /** Appends records 1..n, each synced on its own (one fsync each); returns their end offsets. */
  private static long[] syncedOneByOne(WriteAheadLog log, int n) throws IOException {
    long[] ends = new long[n + 1];
    ends[0] = WalFormat.SEGMENT_HEADER_BYTES;
    for (int i = 1; i <= n; i++) {
      log.sync(log.append((byte) 1, 1000L + i, payload(i, 10 + i), 0, 10 + i));
      ends[i] = log.sizeBytes();
    }
    return ends;
  }

  private static void truncate(Path file, long size) throws IOException {
    try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(size);
    }
  }

  /** A copy of {@code seg} in a new directory: what the disk holds if the machine stops now. */
  private Path crashImage(Path seg, String name) throws IOException {
    Path image = Files.createDirectories(tmp.resolve(name));
    Files.copy(seg, image.resolve(seg.getFileName()));
    return image;
  }

  private static void assertMissingAckedTail(Path dir, Path seg, long offset) {
    assertThatThrownBy(() -> WriteAheadLog.recover(dir, 0, r -> { }))
        .isInstanceOfSatisfying(CorruptDataException.class, e -> {
          assertThat(e.file()).isEqualTo(dir.resolve(seg.getFileName()));
          assertThat(e.offset()).isEqualTo(offset);
          assertThat(e.getMessage()).contains("acknowledged records are missing");
        });
  }

  @Test
  void recover_cutAtARecordBoundaryAfterACleanClose_reportsTheMissingAcknowledgedRecords()
      throws IOException {
    Path dir = tmp.resolve("cut");
    long[] ends;
    try (WriteAheadLog log = WriteAheadLog.open(dir, 1, FSYNC)) {
      ends = syncedOneByOne(log, 5);
    }
    Path seg = dir.resolve(WalFormat.segmentFileName(1));
    truncate(seg, ends[3]); // records 4 and 5 are gone; the file ends cleanly at a record boundary
    assertThatThrownBy(() -> WriteAheadLog.recover(dir, 0, r -> { }))
        .isInstanceOfSatisfying(CorruptDataException.class, e -> {
          assertThat(e.file()).isEqualTo(seg);
          assertThat(e.offset()).isEqualTo(ends[3]);
          assertThat(e.getMessage()).contains("acknowledged records are missing")
              .contains("up to byte " + ends[5]);
        });
    // nothing was cut: the evidence stays for the operator
    assertThat(Files.size(seg)).isEqualTo(ends[3]);
  }

  @Test
  void recover_acknowledgedLastRecordGarbledAfterACleanClose_isDamageNotATornTail()
      throws IOException {
    Path dir = tmp.resolve("garbled");
    long[] ends;
    try (WriteAheadLog log = WriteAheadLog.open(dir, 1, FSYNC)) {
      ends = syncedOneByOne(log, 5);
    }
    Path seg = dir.resolve(WalFormat.segmentFileName(1));
    truncate(seg, ends[4] + 5); // record 5 was acknowledged, so this is no torn tail of a crash
    assertThatThrownBy(() -> WriteAheadLog.recover(dir, 0, r -> { }))
        .isInstanceOfSatisfying(CorruptDataException.class, e -> {
          assertThat(e.file()).isEqualTo(seg);
          assertThat(e.offset()).isEqualTo(ends[4]);
        });
  }

  @Test
  void recover_crashImage_cutBeforeTheVouchedEndIsDamage_tornOrMissingLastRecordIsRecovered()
      throws IOException {
    Path dir = tmp.resolve("crash");
    try (WriteAheadLog log = WriteAheadLog.open(dir, 1, FSYNC)) {
      long[] ends = syncedOneByOne(log, 5);
      Path seg = dir.resolve(WalFormat.segmentFileName(1));
      // the machine stops now (no close): the fifth fsync vouched for records 1..4
      Path cut = crashImage(seg, "cut-at-2");
      truncate(cut.resolve(seg.getFileName()), ends[2]);
      assertMissingAckedTail(cut, seg, ends[2]);

      // the record of the last fsync is not vouched for yet: cut at its start, it is not seen
      Path last = crashImage(seg, "cut-at-4");
      truncate(last.resolve(seg.getFileName()), ends[4]);
      List<WalRecord> got = new ArrayList<>();
      RecoveryResult r = WriteAheadLog.recover(last, 0, got::add);
      assertThat(got).hasSize(4);
      assertThat(r.torn()).isFalse();

      // a crash during the next fsync: record 6 (not yet acknowledged) torn or not on disk at all
      Path[] during = new Path[1];
      log.forcer = ch -> {
        during[0] = crashImage(seg, "during-fsync-6"); // the header is already rewritten
        ch.force(false);
      };
      log.sync(log.append((byte) 1, 1006L, payload(6, 16), 0, 16));
      log.forcer = null;
      Path image = during[0].resolve(seg.getFileName());
      Path torn = crashImage(image, "torn-6");
      truncate(torn.resolve(seg.getFileName()), ends[5] + 9);
      got.clear();
      r = WriteAheadLog.recover(torn, 0, got::add);
      assertThat(got).hasSize(5);
      assertThat(r.torn()).isTrue();
      assertThat(r.tornOffset()).isEqualTo(ends[5]);
      truncate(image, ends[5]); // record 6 never reached the disk: a clean end, no damage
      got.clear();
      r = WriteAheadLog.recover(during[0], 0, got::add);
      assertThat(got).hasSize(5);
      assertThat(r.torn()).isFalse();
    }
  }

  @Test
  void recover_rolledSegments_olderSegmentCutAtABoundary_isDamage() throws IOException {
    Path dir = tmp.resolve("rolled");
    long firstEnd;
    try (WriteAheadLog log = WriteAheadLog.open(dir, 1, FSYNC)) {
      syncedOneByOne(log, 3);
      firstEnd = log.sizeBytes();
      log.rollSegment();
      log.sync(log.append((byte) 1, payload(4, 8), 0, 8));
    }
    Path first = dir.resolve(WalFormat.segmentFileName(1));
    assertThat(Files.size(first)).isEqualTo(firstEnd);
    // the roll vouched for the whole older segment: its last record cut off is named as such
    long cut = firstEnd - (WalFormat.RECORD_HEADER_BYTES + 13);
    truncate(first, cut);
    assertThatThrownBy(() -> WriteAheadLog.recover(dir, 0, r -> { }))
        .isInstanceOfSatisfying(CorruptDataException.class, e -> {
          assertThat(e.file()).isEqualTo(first);
          assertThat(e.offset()).isEqualTo(cut);
          assertThat(e.getMessage()).contains("acknowledged records are missing");
        });
  }

  @Test
  void version1Log_stillRecoversOpensAndContinues() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("v1"));
    Path seg = dir.resolve(WalFormat.segmentFileName(1));
    ByteBuffer buf = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    buf.putInt(WalFormat.SEGMENT_MAGIC).putShort(WalFormat.VERSION_1).putShort((short) 0).putLong(1);
    CRC32C crc = new CRC32C();
    crc.update(buf.array(), 0, 16);
    buf.putInt((int) crc.getValue());
    for (int i = 1; i <= 3; i++) {
      WalFormat.putRecord(buf, crc, i, 1000L + i, (byte) 1, payload(i, 10 + i), 0, 10 + i);
    }
    Files.write(seg, Arrays.copyOf(buf.array(), buf.position()));
    List<WalRecord> got = new ArrayList<>();
    RecoveryResult r = WriteAheadLog.recover(dir, 0, got::add);
    assertThat(got).extracting(WalRecord::sequence).containsExactly(1L, 2L, 3L);
    assertThat(got.get(2).payload()).isEqualTo(payload(3, 13));
    try (WriteAheadLog log = WriteAheadLog.open(dir, r.lastSequence() + 1, FSYNC)) {
      log.sync(log.append((byte) 1, 1004L, payload(4, 14), 0, 14));
      assertThat(log.read(1, 10)).extracting(WalRecord::sequence).containsExactly(1L, 2L, 3L, 4L);
      log.rollSegment();
      log.sync(log.append((byte) 1, 1005L, payload(5, 15), 0, 15));
    }
    // the continued segment stays version 1; the next one is current
    ByteBuffer hdr = ByteBuffer.wrap(Files.readAllBytes(seg)).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(hdr.getShort(4)).isEqualTo(WalFormat.VERSION_1);
    ByteBuffer hdr2 = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(WalFormat.segmentFileName(5))))
        .order(ByteOrder.LITTLE_ENDIAN);
    assertThat(hdr2.getShort(4)).isEqualTo(WalFormat.VERSION);
    got.clear();
    WriteAheadLog.recover(dir, 0, got::add);
    assertThat(got).extracting(WalRecord::sequence).containsExactly(1L, 2L, 3L, 4L, 5L);
  }
}
