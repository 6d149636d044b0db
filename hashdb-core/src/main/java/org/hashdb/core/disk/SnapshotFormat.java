package org.hashdb.core.disk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The on-disk layout of a snapshot file, described once. All integers are little-endian (so that
 * sections of {@code long[]}/{@code int[]} load with a plain memory copy on x86 and ARM).
 *
 * <p>A snapshot is {@code snapshot-<sequence, 20 digits>.hdb}: the database state after applying
 * every log record up to that sequence. It is written as {@code snapshot-<sequence>.<random>.tmp},
 * fsynced, renamed atomically and the directory fsynced; a {@code .tmp} file is always a leftover.
 *
 * <h2>Header ({@value #HEADER_BYTES} bytes)</h2>
 *
 * <pre>
 *   0      4      6      8            16           24     28
 *   +------+------+------+------------+------------+------+
 *   |magic |versn |flags |  sequence  |created ms  |crc32c|
 *   | u32  | u16  | u16  |    u64     |    u64     | u32  |
 *   +------+------+------+------------+------------+------+
 * </pre>
 *
 * magic is the ASCII bytes {@code HDBS}; flags are 0 (readers refuse unknown flags, which are
 * reserved for e.g. encryption); crc32c covers bytes 0..23.
 *
 * <h2>Section (repeated, {@value #SECTION_HEADER_BYTES} + length + {@value
 * #SECTION_TRAILER_BYTES} bytes)</h2>
 *
 * <pre>
 *   0      2            10                10+length
 *   +------+------------+-----------------+--------+
 *   |  id  |   length   | payload         | crc32c |
 *   | u16  |    u64     | length bytes    |  u32   |
 *   +------+------------+-----------------+--------+
 * </pre>
 *
 * id is chosen by the database, 0..{@value #MAX_SECTION_ID} ({@code 0xFFFF} marks the footer).
 * crc32c covers the payload <em>followed by</em> the 10 section-header bytes: the payload is
 * streamed before its length is known (the header is filled in afterwards), so its checksum is
 * computed first, and a damaged id or length still fails the check.
 *
 * <h2>Footer ({@value #FOOTER_BYTES} bytes, the last bytes of the file)</h2>
 *
 * <pre>
 *   0      2            10            14     18
 *   +------+------------+-------------+------+
 *   |FFFF  |  sequence  |section count|crc32c|
 *   | u16  |    u64     |     u32     | u32  |
 *   +------+------------+-------------+------+
 * </pre>
 *
 * sequence repeats the header's; crc32c covers bytes 0..13. A reader checks header and footer on
 * open, so a truncated or foreign file is refused before any section is loaded; each section's
 * checksum is verified by the time its last byte is handed out.
 */
public final class SnapshotFormat {
  /** Header magic: the ASCII bytes "HDBS" read as a little-endian u32. */
  public static final int MAGIC = 'H' | 'D' << 8 | 'B' << 16 | 'S' << 24;

  /** Current (and only) format version. */
  public static final short VERSION = 1;

  public static final int HEADER_BYTES = 28;
  static final int HEADER_VERSION_OFFSET = 4;
  static final int HEADER_FLAGS_OFFSET = 6;
  static final int HEADER_SEQUENCE_OFFSET = 8;
  static final int HEADER_CREATED_OFFSET = 16;
  static final int HEADER_CRC_OFFSET = 24;

  public static final int SECTION_HEADER_BYTES = 10;
  public static final int SECTION_TRAILER_BYTES = 4;
  /** Largest section id; {@code 0xFFFF} is the footer's marker. */
  public static final int MAX_SECTION_ID = 0xFFFE;
  static final int END_MARKER = 0xFFFF;

  public static final int FOOTER_BYTES = 18;
  static final int FOOTER_SEQUENCE_OFFSET = 2;
  static final int FOOTER_COUNT_OFFSET = 10;
  static final int FOOTER_CRC_OFFSET = 14;

  static final String PREFIX = "snapshot-";
  static final String SUFFIX = ".hdb";
  static final String TEMP_SUFFIX = ".tmp";

  private SnapshotFormat() {}

  /** File name of the snapshot at {@code sequence}. */
  public static String fileName(long sequence) {
    return SequenceFileNames.format(PREFIX, sequence, SUFFIX);
  }

  /** The sequence encoded in a snapshot file name, or -1 if it is not a snapshot name. */
  public static long parseFileName(String name) {
    return SequenceFileNames.parse(name, PREFIX, SUFFIX);
  }

  static ByteBuffer header(long sequence, long createdMillis) {
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(MAGIC).putShort(VERSION).putShort((short) 0).putLong(sequence).putLong(createdMillis);
    b.putInt(crc(b, 0, HEADER_CRC_OFFSET));
    return b.flip();
  }

  static ByteBuffer footer(long sequence, int sectionCount) {
    ByteBuffer b = ByteBuffer.allocate(FOOTER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) END_MARKER).putLong(sequence).putInt(sectionCount);
    b.putInt(crc(b, 0, FOOTER_CRC_OFFSET));
    return b.flip();
  }

  static ByteBuffer sectionHeader(int id, long length) {
    ByteBuffer b = ByteBuffer.allocate(SECTION_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    return b.putShort((short) id).putLong(length).flip();
  }

  /** crc32c of {@code b[from, to)}, ignoring and not moving its position. */
  static int crc(ByteBuffer b, int from, int to) {
    CRC32C c = new CRC32C();
    c.update(b.duplicate().limit(to).position(from));
    return (int) c.getValue();
  }
}
