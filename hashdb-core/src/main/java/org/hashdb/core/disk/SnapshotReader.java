package org.hashdb.core.disk;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a snapshot file ({@link SnapshotFormat}). {@link #open} checks header and footer, so a
 * truncated or foreign file fails before anything is loaded. Then iterate:
 *
 * <pre>{@code
 * try (SnapshotReader r = SnapshotReader.open(file)) {
 *   while (r.nextSection()) {
 *     switch (r.sectionId()) { case 1 -> load(r.sectionStream()); default -> {} }
 *   }
 * }
 * }</pre>
 *
 * Every section's crc32c is verified by the time its last byte is handed out, or by {@link
 * #nextSection()} for bytes the caller did not read; the file is fully verified only once {@link
 * #nextSection()} has returned false. Until then, treat what was loaded as untrusted (a codec
 * should also bound counts it reads before allocating). Any damage throws {@link
 * CorruptDataException} naming the file and the offset of the damaged header, section or footer.
 * Not thread-safe.
 */
public final class SnapshotReader implements Closeable {
  static final int BUFFER_BYTES = 1 << 20;

  private final Path path;
  private final FileChannel channel;
  private final long sequence;
  private final long createdMillis;
  private final long footerOffset; // start of the footer = end of the last section
  private final int footerSections;
  private ByteBuffer buffer; // shared by all sections; allocated on first section
  private long position; // start of the next section
  private int sectionsSeen;
  private SectionInputStream current;
  private int currentId = -1;
  private long currentLength = -1;
  private boolean done;

  private SnapshotReader(
      Path path,
      FileChannel channel,
      long sequence,
      long createdMillis,
      long footerOffset,
      int footerSections) {
    this.path = path;
    this.channel = channel;
    this.sequence = sequence;
    this.createdMillis = createdMillis;
    this.footerOffset = footerOffset;
    this.footerSections = footerSections;
    this.position = SnapshotFormat.HEADER_BYTES;
  }

  /**
   * Opens {@code file} and checks its header and footer.
   *
   * @throws CorruptDataException if the file is too short, not a snapshot, of an unknown version
   *     or flags, or its header or footer is damaged (the footer is missing after truncation)
   */
  public static SnapshotReader open(Path file) throws IOException {
    return open(file, MasterKeys.none());
  }

  /**
   * Opens {@code file}, decrypting it with {@code keys} if it is encrypted; the role its data key
   * is bound to is the snapshot name of its file name's sequence.
   *
   * @throws MasterKeyException if it is encrypted and the key is missing or wrong
   */
  public static SnapshotReader open(Path file, MasterKeys keys) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    try {
      if (DecryptingChannel.isEncrypted(ch)) {
        long seq = SnapshotFiles.sequenceOf(file);
        String role = seq >= 0 ? SnapshotFormat.fileName(seq) : String.valueOf(file.getFileName());
        ch = DecryptingChannel.open(file, ch, keys, FileCipher.KIND_SNAPSHOT, role);
      }
      long size = ch.size();
      if (size < SnapshotFormat.HEADER_BYTES + SnapshotFormat.FOOTER_BYTES) {
        throw new CorruptDataException(
            file, 0, "too short (" + size + " bytes) to be a snapshot: truncated?");
      }
      ByteBuffer h = ByteBuffer.allocate(SnapshotFormat.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      FileSync.readFully(ch, h, 0);
      if (h.getInt(0) != SnapshotFormat.MAGIC) {
        throw new CorruptDataException(
            file, 0, String.format("not a HashDB snapshot (magic 0x%08x)", h.getInt(0)));
      }
      if (SnapshotFormat.crc(h, 0, SnapshotFormat.HEADER_CRC_OFFSET)
          != h.getInt(SnapshotFormat.HEADER_CRC_OFFSET)) {
        throw new CorruptDataException(file, 0, "header crc32c mismatch");
      }
      short version = h.getShort(SnapshotFormat.HEADER_VERSION_OFFSET);
      if (version != SnapshotFormat.VERSION) {
        throw new CorruptDataException(
            file,
            SnapshotFormat.HEADER_VERSION_OFFSET,
            "unsupported snapshot format version "
                + version
                + " (this build reads "
                + SnapshotFormat.VERSION
                + ")");
      }
      short flags = h.getShort(SnapshotFormat.HEADER_FLAGS_OFFSET);
      if (flags != 0) {
        throw new CorruptDataException(
            file,
            SnapshotFormat.HEADER_FLAGS_OFFSET,
            String.format("unknown snapshot flags 0x%04x", flags));
      }
      long sequence = h.getLong(SnapshotFormat.HEADER_SEQUENCE_OFFSET);
      long created = h.getLong(SnapshotFormat.HEADER_CREATED_OFFSET);

      long footerOffset = size - SnapshotFormat.FOOTER_BYTES;
      ByteBuffer f = ByteBuffer.allocate(SnapshotFormat.FOOTER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      FileSync.readFully(ch, f, footerOffset);
      if ((f.getShort(0) & 0xffff) != SnapshotFormat.END_MARKER
          || SnapshotFormat.crc(f, 0, SnapshotFormat.FOOTER_CRC_OFFSET)
              != f.getInt(SnapshotFormat.FOOTER_CRC_OFFSET)) {
        throw new CorruptDataException(
            file, footerOffset, "no valid end marker at the end of the file: truncated or damaged");
      }
      if (f.getLong(SnapshotFormat.FOOTER_SEQUENCE_OFFSET) != sequence) {
        throw new CorruptDataException(
            file,
            footerOffset,
            "footer sequence "
                + f.getLong(SnapshotFormat.FOOTER_SEQUENCE_OFFSET)
                + " differs from header sequence "
                + sequence);
      }
      int count = f.getInt(SnapshotFormat.FOOTER_COUNT_OFFSET);
      return new SnapshotReader(file, ch, sequence, created, footerOffset, count);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Whether {@code file} is encrypted, and under which master key id (null: plaintext). */
  public static String keyIdOf(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      if (!DecryptingChannel.isEncrypted(ch)) {
        return null;
      }
      ByteBuffer b = ByteBuffer.allocate(FileCipher.FIXED_HEADER_BYTES + 64);
      int n = FileSync.readFully(ch, b, 0);
      int len = n > 6 ? b.get(6) & 0xff : 0;
      if (n < FileCipher.FIXED_HEADER_BYTES + len || len == 0) {
        return "?";
      }
      return new String(b.array(), FileCipher.FIXED_HEADER_BYTES, len,
          java.nio.charset.StandardCharsets.US_ASCII);
    }
  }

  public Path path() {
    return path;
  }

  /** The log sequence this snapshot includes (replay the log after it). */
  public long sequence() {
    return sequence;
  }

  public long createdMillis() {
    return createdMillis;
  }

  /** File size in bytes. */
  public long sizeBytes() {
    return footerOffset + SnapshotFormat.FOOTER_BYTES;
  }

  /**
   * Moves to the next section, first verifying the checksum of the current one (reading what the
   * caller left unread). Returns false at the end marker, once the section count is checked.
   */
  public boolean nextSection() throws IOException {
    if (done) {
      return false;
    }
    if (current != null) {
      current.finish();
      current = null;
      currentId = -1;
      currentLength = -1;
    }
    long p = position;
    if (p == footerOffset) {
      if (sectionsSeen != footerSections) {
        throw new CorruptDataException(
            path,
            footerOffset,
            "footer counts " + footerSections + " sections, the file holds " + sectionsSeen);
      }
      done = true;
      return false;
    }
    long room = footerOffset - p;
    if (room < SnapshotFormat.SECTION_HEADER_BYTES + SnapshotFormat.SECTION_TRAILER_BYTES) {
      throw new CorruptDataException(
          path, p, "section header overlaps the end marker (" + room + " bytes before it)");
    }
    ByteBuffer h =
        ByteBuffer.allocate(SnapshotFormat.SECTION_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    FileSync.readFully(channel, h, p);
    int id = h.getShort(0) & 0xffff;
    long length = h.getLong(2);
    long maxLength =
        room - SnapshotFormat.SECTION_HEADER_BYTES - SnapshotFormat.SECTION_TRAILER_BYTES;
    if (id == SnapshotFormat.END_MARKER) {
      throw new CorruptDataException(path, p, "end marker before the end of the file");
    }
    if (length < 0 || length > maxLength) {
      throw new CorruptDataException(
          path,
          p,
          "section id "
              + id
              + " claims "
              + length
              + " bytes but only "
              + maxLength
              + " remain before the end marker");
    }
    if (buffer == null) {
      buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    }
    sectionsSeen++;
    position =
        p + SnapshotFormat.SECTION_HEADER_BYTES + length + SnapshotFormat.SECTION_TRAILER_BYTES;
    currentId = id;
    currentLength = length;
    current = new SectionInputStream(path, channel, buffer, p, id, length);
    return true;
  }

  /** Id of the current section. */
  public int sectionId() {
    requireSection();
    return currentId;
  }

  /** Payload length of the current section. */
  public long sectionLength() {
    requireSection();
    return currentLength;
  }

  /**
   * The current section's payload; the same stream on every call, valid until {@link
   * #nextSection()}.
   */
  public SectionInputStream sectionStream() {
    requireSection();
    return current;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  private void requireSection() {
    if (current == null) {
      throw new IllegalStateException("no current section: call nextSection() first");
    }
  }
}
