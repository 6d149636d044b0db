package org.hashdb.core.disk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The on-disk layout of the write-ahead log, described once. All integers are little-endian.
 *
 * <p>The log is a series of segment files {@code wal-<first sequence, 20 digits>.log} in the
 * data directory. Sequence numbers are positive and consecutive (+1 per record) across segments;
 * a segment's first record carries the sequence in its name, an empty segment holds none yet.
 *
 * <h2>Segment header ({@value #SEGMENT_HEADER_BYTES} bytes; version 1: {@value #V1_SEGMENT_HEADER_BYTES})</h2>
 *
 * <pre>
 *   0      4      6      8                16     20               28     32
 *   +------+------+------+-----------------+------+----------------+------+
 *   |magic |versn |flags | first sequence  |crc32c| acked end      |crc32c|
 *   | u32  | u16  | u16  |      u64        | u32  |    u64         | u32  |
 *   +------+------+------+-----------------+------+----------------+------+
 * </pre>
 *
 * magic is the ASCII bytes {@code HDBW}; flags are 0, or {@value #FLAG_ENCRYPTED} for an encrypted
 * segment (a reader refuses unknown flags; builds before encryption refuse encrypted segments);
 * the first
 * crc32c covers bytes 0..15. Version 1 segments (written before the acked end existed) end the
 * header at byte 20 and are still read; a version-1 segment that is continued stays version 1.
 *
 * <p><b>Acked end</b> (version 2): the segment's records up to this byte offset were durable
 * (fsynced) before it was written; the second crc32c covers the first sequence and this field,
 * and a mark whose crc does not match (torn while being written) counts as {@value
 * #SEGMENT_HEADER_BYTES}. It is rewritten in place just before each group-commit fsync with the
 * end that the previous fsync made durable (never with the records that fsync is about to
 * cover: a crash during it may lose them, and must not look like damage), when a segment is
 * closed by a roll (after its final fsync, then fsynced again) and on a clean close. A log that
 * ends before its acked end, cleanly at a record boundary or not, lost acknowledged records: that
 * is corruption, never a torn tail. What it cannot show: records acknowledged by the very last
 * fsync before the loss (the next fsync or a clean close vouches for them), and a newest segment
 * file deleted as a whole.
 *
 * <h2>Record ({@value #RECORD_HEADER_BYTES} bytes + payload)</h2>
 *
 * <pre>
 *   0        4        8          16         24   25
 *   +--------+--------+----------+----------+----+-----------+
 *   | length | crc32c | sequence |time milli|kind| payload   |
 *   |  u32   |  u32   |   u64    |   u64    | u8 | length-17 |
 *   +--------+--------+----------+----------+----+-----------+
 * </pre>
 *
 * length counts the bytes after the crc field ({@value #RECORD_BODY_FIXED_BYTES} + payload), so
 * a record occupies {@code 8 + length} bytes. crc32c covers the length field and every byte after
 * the crc field (bytes 0..3 and 8..8+length): any damage to a record, its length included, shows
 * as a checksum mismatch. Payloads are at most {@value #MAX_PAYLOAD_BYTES} bytes.
 *
 * <h2>Encrypted segments (flag {@value #FLAG_ENCRYPTED})</h2>
 *
 * The 32-byte header is followed by a u16 length and a {@link FileCipher} header (master key id,
 * the segment's wrapped data key; role {@code wal-<first sequence>}); records start after it.
 * Records keep the layout above (length and crc32c over what is on disk, so torn tails are found
 * exactly as in a plaintext segment), but the payload field holds {@code counter u64 |
 * AES-256-GCM(payload) | tag}: the nonce is the counter, which the writer increments per record
 * and never reuses (an encrypted segment is never continued after a restart: the log rolls to a
 * new segment with a new data key); the AAD binds the header, the sequence, the time and the kind.
 * A record whose crc matches but whose tag does not was altered: that is corruption at its offset,
 * never a torn tail. Sequence, time, kind and record sizes stay readable; hashes, lists and
 * sources do not.
 *
 * <h2>Torn tail</h2>
 *
 * A crash during an append can leave the end of the <em>last</em> segment incomplete or garbled
 * (pages of an unsynced write reach the disk in any order, or a grown file shows zeros). Such a
 * record was never acknowledged. Recovery therefore treats damage in the last segment as a torn
 * tail, cuts it off and reports it, <em>if and only if no intact record (valid length and crc)
 * starts anywhere after the damage</em>. A bad record followed by an intact one, damage in any
 * older segment, a bad header or a sequence gap is corruption and stops recovery. This covers the
 * usual cases (a short last record; a complete-length last record with a bad crc; a zero-filled
 * tail) without ever dropping a record that was written after the damage.
 */
public final class WalFormat {
  /** Segment magic: the ASCII bytes "HDBW" read as a little-endian u32. */
  public static final int SEGMENT_MAGIC = 'H' | 'D' << 8 | 'B' << 16 | 'W' << 24;

  /** Current format version: 2 (the header carries the acked end); version 1 is still read. */
  public static final short VERSION = 2;

  /** The first format version: no acked end in the header. */
  public static final short VERSION_1 = 1;

  /** Header bytes of a current segment: records start here. */
  public static final int SEGMENT_HEADER_BYTES = 32;

  /** Header flag: the segment is encrypted (version 2 only). */
  public static final short FLAG_ENCRYPTED = 1;

  /** Bytes an encrypted record adds to its payload: nonce counter and GCM tag. */
  static final int ENCRYPTION_OVERHEAD = 8 + FileCipher.TAG_BYTES;

  /** Header bytes of a version-1 segment. */
  public static final int V1_SEGMENT_HEADER_BYTES = 20;
  static final int HEADER_MAGIC_OFFSET = 0;
  static final int HEADER_VERSION_OFFSET = 4;
  static final int HEADER_FLAGS_OFFSET = 6;
  static final int HEADER_FIRST_SEQUENCE_OFFSET = 8;
  static final int HEADER_CRC_OFFSET = 16;
  static final int HEADER_ACKED_END_OFFSET = 20;
  static final int HEADER_ACKED_END_CRC_OFFSET = 28;
  /** Bytes of the acked end field and its crc. */
  static final int ACKED_END_BYTES = 12;

  static final int LENGTH_OFFSET = 0;
  static final int CRC_OFFSET = 4;
  static final int SEQUENCE_OFFSET = 8;
  static final int TIME_OFFSET = 16;
  static final int KIND_OFFSET = 24;
  static final int PAYLOAD_OFFSET = 25;

  /** Fixed bytes of a record before its payload. */
  public static final int RECORD_HEADER_BYTES = PAYLOAD_OFFSET;

  /** Bytes counted by the length field besides the payload: sequence, time and kind. */
  public static final int RECORD_BODY_FIXED_BYTES = PAYLOAD_OFFSET - SEQUENCE_OFFSET;

  /** Largest payload; it bounds what a damaged length field can make a reader allocate. */
  public static final int MAX_PAYLOAD_BYTES = 256 << 20;

  private static final String PREFIX = "wal-";
  private static final String SUFFIX = ".log";

  private WalFormat() {}

  /** File name of the segment whose first record has {@code firstSequence}. */
  public static String segmentFileName(long firstSequence) {
    return SequenceFileNames.format(PREFIX, firstSequence, SUFFIX);
  }

  static Path segmentPath(Path dir, long firstSequence) {
    return dir.resolve(segmentFileName(firstSequence));
  }

  /** The first sequence encoded in a segment file name, or -1 if it is not a segment name. */
  public static long parseSegmentFileName(String name) {
    return SequenceFileNames.parse(name, PREFIX, SUFFIX);
  }

  /** Header bytes of a segment of format {@code version} (1 or 2). */
  static int headerBytes(short version) {
    return version == VERSION_1 ? V1_SEGMENT_HEADER_BYTES : SEGMENT_HEADER_BYTES;
  }

  /** Writes a current segment header at {@code buf}'s position (advancing it); acked end: none yet. */
  static void putSegmentHeader(ByteBuffer buf, long firstSequence) {
    putSegmentHeader(buf, firstSequence, null);
  }

  /**
   * Writes a current segment header, followed by the encryption header of {@code cipher} when
   * it is not null; the acked end is where records start.
   */
  static void putSegmentHeader(ByteBuffer buf, long firstSequence, FileCipher cipher) {
    assert buf.order() == ByteOrder.LITTLE_ENDIAN;
    int start = buf.position();
    short flags = cipher == null ? 0 : FLAG_ENCRYPTED;
    buf.putInt(SEGMENT_MAGIC).putShort(VERSION).putShort(flags).putLong(firstSequence);
    CRC32C crc = new CRC32C();
    crc.update(buf.duplicate().position(start).limit(start + HEADER_CRC_OFFSET));
    buf.putInt((int) crc.getValue());
    putAckedEnd(buf, firstSequence, recordsStart(cipher));
    if (cipher != null) {
      buf.putShort((short) cipher.headerLength()).put(cipher.header());
    }
  }

  /** Where records start in a current segment written with {@code cipher} (null: plaintext). */
  static int recordsStart(FileCipher cipher) {
    return cipher == null ? SEGMENT_HEADER_BYTES : SEGMENT_HEADER_BYTES + 2 + cipher.headerLength();
  }

  /**
   * Writes the {@value #ACKED_END_BYTES} bytes of the acked end field (offset {@value
   * #HEADER_ACKED_END_OFFSET} of a version-2 header) at {@code buf}'s position.
   */
  static void putAckedEnd(ByteBuffer buf, long firstSequence, long ackedEnd) {
    assert buf.order() == ByteOrder.LITTLE_ENDIAN;
    buf.putLong(ackedEnd).putInt(ackedEndCrc(firstSequence, ackedEnd));
  }

  /**
   * The acked end in the version-2 header at {@code hdr[0..]} (its first {@value
   * #SEGMENT_HEADER_BYTES} bytes), or {@value #SEGMENT_HEADER_BYTES} (nothing vouched for) if its
   * crc does not match.
   */
  static long ackedEnd(ByteBuffer hdr) {
    long first = hdr.getLong(HEADER_FIRST_SEQUENCE_OFFSET);
    long end = hdr.getLong(HEADER_ACKED_END_OFFSET);
    boolean valid = hdr.getInt(HEADER_ACKED_END_CRC_OFFSET) == ackedEndCrc(first, end)
        && end >= SEGMENT_HEADER_BYTES;
    return valid ? end : SEGMENT_HEADER_BYTES;
  }

  private static int ackedEndCrc(long firstSequence, long ackedEnd) {
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(firstSequence).putLong(ackedEnd).flip();
    CRC32C crc = new CRC32C();
    crc.update(b);
    return (int) crc.getValue();
  }

  /**
   * Checks the first {@value #V1_SEGMENT_HEADER_BYTES} header bytes at {@code buf[0..]} (the part
   * every version shares); returns null if valid, else what is wrong.
   */
  static String segmentHeaderProblem(ByteBuffer buf) {
    if (buf.getInt(HEADER_MAGIC_OFFSET) != SEGMENT_MAGIC) {
      return String.format("bad segment magic 0x%08x", buf.getInt(HEADER_MAGIC_OFFSET));
    }
    CRC32C crc = new CRC32C();
    crc.update(buf.duplicate().position(0).limit(HEADER_CRC_OFFSET));
    if ((int) crc.getValue() != buf.getInt(HEADER_CRC_OFFSET)) {
      return "segment header crc mismatch";
    }
    short version = buf.getShort(HEADER_VERSION_OFFSET);
    if (version != VERSION && version != VERSION_1) {
      return "unsupported log format version " + version + " (this build reads 1.." + VERSION + ")";
    }
    short flags = buf.getShort(HEADER_FLAGS_OFFSET);
    if (flags != 0 && !(flags == FLAG_ENCRYPTED && version == VERSION)) {
      return String.format("unknown segment flags 0x%04x", flags);
    }
    return null;
  }

  /**
   * Encodes one record at {@code buf}'s position, advancing it past the record. {@code buf} must be little-endian with {@code RECORD_HEADER_BYTES + len}
   * bytes remaining. Allocation-free (the append hot path).
   */
  static void putRecord(
      ByteBuffer buf,
      CRC32C crc,
      long sequence,
      long timeMillis,
      byte kind,
      byte[] payload,
      int off,
      int len) {
    assert buf.order() == ByteOrder.LITTLE_ENDIAN;
    int start = buf.position();
    buf.putInt(RECORD_BODY_FIXED_BYTES + len)
        .putInt(0)
        .putLong(sequence)
        .putLong(timeMillis)
        .put(kind)
        .put(payload, off, len);
    int end = buf.position();
    int limit = buf.limit();
    crc.reset();
    crc.update(buf.limit(start + CRC_OFFSET).position(start));
    crc.update(buf.limit(end).position(start + SEQUENCE_OFFSET));
    buf.limit(limit).position(end);
    buf.putInt(start + CRC_OFFSET, (int) crc.getValue());
  }

  /** crc32c of the record at {@code arr[off..]} whose length field is {@code length}. */
  static int recordCrc(CRC32C crc, byte[] arr, int off, int length) {
    crc.reset();
    crc.update(arr, off, 4);
    crc.update(arr, off + SEQUENCE_OFFSET, length);
    return (int) crc.getValue();
  }

  /** Whether a length field value can belong to a record. */
  static boolean validLength(long length) {
    return length >= RECORD_BODY_FIXED_BYTES
        && length <= (long) RECORD_BODY_FIXED_BYTES + MAX_PAYLOAD_BYTES;
  }
}
