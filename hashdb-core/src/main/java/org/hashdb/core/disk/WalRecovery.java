package org.hashdb.core.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Start-up replay of the write-ahead log ({@link WalFormat}): checks every segment and record,
 * hands the records after the snapshot to the database and cuts off a torn tail; and the checks
 * it shares with {@link WriteAheadLog#open}.
 */
final class WalRecovery {
  private WalRecovery() {}

  /**
   * Replays the log in {@code dir}: checks every segment and record, hands the records with
   * sequence {@code > afterSequence} to {@code handler} in order, and cuts off a torn tail of the
   * last segment (see {@link WalFormat} for exactly what counts as torn). A missing directory or
   * an empty log yields no records.
   *
   * @throws CorruptDataException naming file and byte offset for any other damage: a bad record
   *     followed by intact ones, damage in an older segment, a bad header, a sequence gap (also
   *     between {@code afterSequence} and the first record in the log)
   */
  static RecoveryResult recover(Path dir, long afterSequence, MasterKeys keys,
      RecordHandler handler) throws IOException {
    Objects.requireNonNull(handler, "handler");
    if (!Files.isDirectory(dir)) {
      return new RecoveryResult(afterSequence, 0, null, -1, 0);
    }
    List<Long> firsts = listSegments(dir);
    long last = afterSequence;
    long count = 0;
    long expected = -1;
    for (int i = 0; i < firsts.size(); i++) {
      boolean lastSegment = i == firsts.size() - 1;
      Path path = WalFormat.segmentPath(dir, firsts.get(i));
      long tornHeader = lastSegment ? tornHeaderBytes(path) : -1;
      if (tornHeader >= 0) {
        // crash while the segment was being created: it never held a record
        Files.delete(path);
        FileSync.fsyncDirectory(dir);
        return new RecoveryResult(last, count, path, 0, tornHeader);
      }
      try (FileChannel ch =
          lastSegment // only the last segment may need its tail cut
              ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
              : FileChannel.open(path, StandardOpenOption.READ)) {
        long size = ch.size();
        SegmentScanner.Header h = SegmentScanner.readHeader(path, ch, size, keys);
        long first = h.firstSequence();
        checkHeaderMatchesName(path, first, firsts.get(i));
        if (expected == -1 && first > afterSequence + 1) {
          throw new CorruptDataException(
              path,
              0,
              "the log starts at sequence "
                  + first
                  + " but records after "
                  + afterSequence
                  + " are needed: "
                  + (afterSequence + 1)
                  + ".."
                  + (first - 1)
                  + " are missing");
        }
        if (expected != -1 && first != expected) {
          throw new CorruptDataException(
              path, 0, "segment starts at sequence " + first + ", expected " + expected);
        }
        expected = first;
        SegmentScanner sc = new SegmentScanner(path, ch, size, h.recordsStart(), h.cipher());
        while (true) {
          SegmentScanner.Status st = sc.next();
          if (st == SegmentScanner.Status.END) {
            if (sc.offset() < h.ackedEnd()) {
              throw missingAckedTail(path, sc.offset(), h.ackedEnd());
            }
            break;
          }
          if (st == SegmentScanner.Status.DAMAGED) {
            long at = sc.offset();
            if (at < h.ackedEnd()) {
              // an acknowledged record is damaged: never a torn tail
              throw new CorruptDataException(path, at, sc.problem() + " before the acked end "
                  + h.ackedEnd() + " (records acknowledged earlier are damaged)");
            }
            if (!lastSegment || sc.intactRecordAfter(at, expected)) {
              throw new CorruptDataException(path, at, sc.problem());
            }
            ch.truncate(at);
            ch.force(false);
            return new RecoveryResult(last, count, path, at, size - at);
          }
          long seq = sc.sequence();
          if (seq != expected) {
            throw gap(path, sc.recordOffset(), expected, seq);
          }
          if (seq > afterSequence) {
            handler.handle(sc.record());
            count++;
            last = seq;
          }
          expected++;
        }
      }
    }
    return new RecoveryResult(last, count, null, -1, 0);
  }

  /**
   * If the header of (last) segment {@code path} never fully reached the disk (file shorter than
   * a header, or all zeros), its size; else -1.
   */
  static long tornHeaderBytes(Path path) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < WalFormat.V1_SEGMENT_HEADER_BYTES) {
        return size;
      }
      if (size < WalFormat.SEGMENT_HEADER_BYTES) {
        // an empty version-1 segment is whole at 20 bytes; a current header is not
        ByteBuffer hdr = ByteBuffer.allocate(WalFormat.V1_SEGMENT_HEADER_BYTES)
            .order(ByteOrder.LITTLE_ENDIAN);
        FileSync.readFully(ch, hdr, 0);
        boolean v1 = WalFormat.segmentHeaderProblem(hdr) == null
            && hdr.getShort(WalFormat.HEADER_VERSION_OFFSET) == WalFormat.VERSION_1;
        return v1 ? -1 : size;
      }
      ByteBuffer hdr = ByteBuffer.allocate(WalFormat.SEGMENT_HEADER_BYTES + 2)
          .order(ByteOrder.LITTLE_ENDIAN);
      int got = FileSync.readFully(ch, hdr, 0);
      if (WalFormat.segmentHeaderProblem(hdr) == null
          && hdr.getShort(WalFormat.HEADER_FLAGS_OFFSET) == WalFormat.FLAG_ENCRYPTED
          && (got < hdr.capacity()
              || size < WalFormat.SEGMENT_HEADER_BYTES + 2 + (hdr.getShort(WalFormat.SEGMENT_HEADER_BYTES) & 0xffff))) {
        return size; // an encrypted segment's header is written at once, before any record
      }
      if (size > 1 << 20) {
        return -1;
      }
      ByteBuffer all = ByteBuffer.allocate((int) size);
      FileSync.readFully(ch, all, 0);
      for (int i = 0; i < size; i++) {
        if (all.get(i) != 0) {
          return -1;
        }
      }
      return size;
    }
  }

  static void checkHeaderMatchesName(Path path, long headerFirst, long nameFirst)
      throws CorruptDataException {
    if (headerFirst != nameFirst) {
      throw new CorruptDataException(
          path,
          WalFormat.HEADER_FIRST_SEQUENCE_OFFSET,
          "header says first sequence " + headerFirst + " but the file name says " + nameFirst);
    }
  }

  static CorruptDataException missingAckedTail(Path path, long end, long ackedEnd) {
    return new CorruptDataException(path, end, "the log ends at byte " + end
        + " but its records up to byte " + ackedEnd + " were acknowledged (written and fsynced):"
        + " acknowledged records are missing (the file was truncated or overwritten)");
  }

  static CorruptDataException gap(Path path, long offset, long expected, long found) {
    return new CorruptDataException(
        path, offset, "sequence gap: expected sequence " + expected + ", found " + found);
  }

  /** First sequences of the segment files in {@code dir}, ascending. */
  static List<Long> listSegments(Path dir) throws IOException {
    List<Long> firsts = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "wal-*.log")) {
      for (Path p : ds) {
        long first = WalFormat.parseSegmentFileName(p.getFileName().toString());
        if (first >= 0) {
          firsts.add(first);
        }
      }
    }
    firsts.sort(null);
    return firsts;
  }
}
