package org.hashdb.core.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Reads the records of one segment in order, through a window buffer. It only checks framing
 * and checksums; sequence order and the torn-tail policy are the caller's. Not thread-safe.
 */
final class SegmentScanner {
  enum Status {
    /** A record with a valid crc was read; its fields are available. */
    RECORD,
    /** The segment ends cleanly at {@link #offset()}. */
    END,
    /** The bytes at {@link #offset()} are not an intact record; see {@link #problem()}. */
    DAMAGED
  }

  private static final int WINDOW_BYTES = 256 << 10;

  private final Path path; // for messages
  private final FileChannel channel; // positional reads only; shared channels are fine
  private final long size; // bytes of the segment considered (may be less than the file)
  private final CRC32C crc = new CRC32C();
  private byte[] window = new byte[WINDOW_BYTES]; // file bytes [windowStart, windowStart+windowLen)
  private ByteBuffer windowLe = ByteBuffer.wrap(window).order(ByteOrder.LITTLE_ENDIAN);
  private long windowStart;
  private int windowLen;
  private long offset; // start of the next (or current damaged) record
  private long recordOffset = -1; // start of the last record returned
  private int recordLength; // its length field
  private int recordInWindow; // its start within window
  private String problem;

  private final FileCipher cipher; // null: plaintext segment
  private javax.crypto.Cipher gcm; // for cipher, created on first use

  SegmentScanner(Path path, FileChannel channel, long size, long startOffset) {
    this(path, channel, size, startOffset, null);
  }

  SegmentScanner(Path path, FileChannel channel, long size, long startOffset, FileCipher cipher) {
    this.path = path;
    this.channel = channel;
    this.size = size;
    this.offset = startOffset;
    this.cipher = cipher;
  }

  /**
   * A segment header: its first sequence, where its records start, and the acked end (records up
   * to there were durable before it was written; {@code recordsStart} if none is vouched for).
   */
  record Header(long firstSequence, short version, int recordsStart, long ackedEnd,
      FileCipher cipher) {
    Header(long firstSequence, short version, int recordsStart, long ackedEnd) {
      this(firstSequence, version, recordsStart, ackedEnd, null);
    }
  }

  /** Reads and checks the header of a plaintext segment (an encrypted one is refused). */
  static Header readHeader(Path path, FileChannel ch, long size) throws IOException {
    return readHeader(path, ch, size, MasterKeys.none());
  }

  /**
   * Reads and checks the segment header; an encrypted segment's data key is unwrapped with
   * {@code keys}.
   *
   * @throws MasterKeyException if the segment is encrypted and its key is missing or wrong
   */
  static Header readHeader(Path path, FileChannel ch, long size, MasterKeys keys)
      throws IOException {
    if (size < WalFormat.V1_SEGMENT_HEADER_BYTES) {
      throw new CorruptDataException(
          path, 0, "segment shorter (" + size + " bytes) than its header");
    }
    ByteBuffer hdr =
        ByteBuffer.allocate(WalFormat.SEGMENT_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    hdr.limit((int) Math.min(size, WalFormat.SEGMENT_HEADER_BYTES));
    FileSync.readFully(ch, hdr, 0);
    String problem = WalFormat.segmentHeaderProblem(hdr);
    if (problem != null) {
      throw new CorruptDataException(path, 0, problem);
    }
    short version = hdr.getShort(WalFormat.HEADER_VERSION_OFFSET);
    int start = WalFormat.headerBytes(version);
    if (size < start) {
      throw new CorruptDataException(
          path, 0, "segment shorter (" + size + " bytes) than its header (" + start + " bytes)");
    }
    long first = hdr.getLong(WalFormat.HEADER_FIRST_SEQUENCE_OFFSET);
    FileCipher cipher = null;
    if (hdr.getShort(WalFormat.HEADER_FLAGS_OFFSET) == WalFormat.FLAG_ENCRYPTED) {
      if (size < start + 2) {
        throw new CorruptDataException(path, start, "encrypted segment cut short in its header");
      }
      ByteBuffer len = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN);
      FileSync.readFully(ch, len, start);
      cipher = FileCipher.read(path, ch, start + 2, size, keys, FileCipher.KIND_WAL,
          WalFormat.segmentFileName(first));
      if (cipher.headerLength() != (len.getShort(0) & 0xffff)) {
        throw new CorruptDataException(path, start, "encryption header length mismatch");
      }
      start = WalFormat.recordsStart(cipher);
    }
    long ackedEnd = version == WalFormat.VERSION_1 ? start : Math.max(start, WalFormat.ackedEnd(hdr));
    return new Header(first, version, start, ackedEnd, cipher);
  }

  Status next() throws IOException {
    problem = null;
    long p = offset;
    if (p == size) {
      return Status.END;
    }
    if (size - p < 4) {
      problem = "incomplete record: " + (size - p) + " bytes left for its length field";
      return Status.DAMAGED;
    }
    ensure(p, 4);
    long length = windowLe.getInt((int) (p - windowStart)) & 0xffffffffL;
    if (!WalFormat.validLength(length)) {
      problem = "invalid record length " + length;
      return Status.DAMAGED;
    }
    long total = WalFormat.SEQUENCE_OFFSET + length;
    if (p + total > size) {
      problem = "incomplete record: " + total + " bytes long, " + (size - p) + " bytes left";
      return Status.DAMAGED;
    }
    ensure(p, (int) total);
    int at = (int) (p - windowStart);
    if (WalFormat.recordCrc(crc, window, at, (int) length)
        != windowLe.getInt(at + WalFormat.CRC_OFFSET)) {
      problem = "record crc mismatch";
      return Status.DAMAGED;
    }
    recordOffset = p;
    recordLength = (int) length;
    recordInWindow = at;
    offset = p + total;
    return Status.RECORD;
  }

  /** Start of the next record, or of the damage after {@link Status#DAMAGED}. */
  long offset() {
    return offset;
  }

  String problem() {
    return problem;
  }

  long recordOffset() {
    return recordOffset;
  }

  long sequence() {
    return windowLe.getLong(recordInWindow + WalFormat.SEQUENCE_OFFSET);
  }

  long timeMillis() {
    return windowLe.getLong(recordInWindow + WalFormat.TIME_OFFSET);
  }

  byte kind() {
    return window[recordInWindow + WalFormat.KIND_OFFSET];
  }

  int payloadLength() {
    return recordLength - WalFormat.RECORD_BODY_FIXED_BYTES;
  }

  /**
   * The current record, its payload decrypted in an encrypted segment.
   *
   * @throws CorruptDataException if an encrypted payload does not authenticate (its crc matched:
   *     the record was altered, or copied from elsewhere)
   */
  WalRecord record() throws IOException {
    int from = recordInWindow + WalFormat.PAYLOAD_OFFSET;
    if (cipher == null) {
      byte[] payload = Arrays.copyOfRange(window, from, from + payloadLength());
      return new WalRecord(sequence(), timeMillis(), kind(), payload);
    }
    int len = payloadLength() - WalFormat.ENCRYPTION_OVERHEAD;
    if (len < 0) {
      throw new CorruptDataException(path, recordOffset, "encrypted record too short");
    }
    if (gcm == null) {
      gcm = FileCipher.newCipher();
    }
    byte[] payload = new byte[len];
    long counter = windowLe.getLong(from);
    try {
      cipher.open(gcm, counter, sequence(), WalRecordCipher.aadTimeKind(timeMillis(), kind()),
          window, from + 8, len + FileCipher.TAG_BYTES, payload, 0);
    } catch (java.security.GeneralSecurityException e) {
      throw new CorruptDataException(path, recordOffset, "record " + sequence()
          + " does not authenticate (AES-GCM): altered, or not written in this segment");
    }
    return new WalRecord(sequence(), timeMillis(), kind(), payload);
  }

  /**
   * Whether an intact record with a sequence in {@code [minSequence, ...)} starts anywhere in
   * {@code (from, size)}. Decides whether damage at {@code from} is a torn tail (no) or
   * corruption (yes). Costs one pass over the rest of the segment.
   */
  boolean intactRecordAfter(long from, long minSequence) throws IOException {
    long rest = size - from;
    if (rest <= WalFormat.RECORD_HEADER_BYTES) {
      return false;
    }
    // the tail of the last segment is bounded by the segment size (plus one record)
    if (rest > Integer.MAX_VALUE - 16) {
      return true; // cannot inspect; never assume a torn tail over gigabytes of data
    }
    byte[] tail = new byte[(int) rest];
    ByteBuffer le = ByteBuffer.wrap(tail).order(ByteOrder.LITTLE_ENDIAN);
    FileSync.readFully(channel, le, from);
    long maxSequence = minSequence + rest / WalFormat.RECORD_HEADER_BYTES + 1;
    for (int q = 1; q + WalFormat.RECORD_HEADER_BYTES <= tail.length; q++) {
      long length = le.getInt(q) & 0xffffffffL;
      if (!WalFormat.validLength(length) || q + WalFormat.SEQUENCE_OFFSET + length > tail.length) {
        continue;
      }
      long seq = le.getLong(q + WalFormat.SEQUENCE_OFFSET);
      if (seq < minSequence || seq > maxSequence) {
        continue;
      }
      if (WalFormat.recordCrc(crc, tail, q, (int) length)
          == le.getInt(q + WalFormat.CRC_OFFSET)) {
        return true;
      }
    }
    return false;
  }

  /** Makes file bytes {@code [p, p+n)} available in the window (n <= size - p). */
  private void ensure(long p, int n) throws IOException {
    if (p >= windowStart && p + n <= windowStart + windowLen) {
      return;
    }
    if (n > window.length) {
      window = new byte[Math.max(n, window.length * 2)];
      windowLe = ByteBuffer.wrap(window).order(ByteOrder.LITTLE_ENDIAN);
    }
    int want = (int) Math.min(window.length, size - p);
    ByteBuffer buf = ByteBuffer.wrap(window, 0, want);
    int got = FileSync.readFully(channel, buf, p);
    if (got < n) {
      throw new CorruptDataException(
          path, p, "file shrank while being read (expected " + n + " bytes, got " + got + ")");
    }
    windowStart = p;
    windowLen = got;
  }
}
