package org.hashdb.core.disk;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Writes one snapshot file ({@link SnapshotFormat}) crash-safely: into a temp file in the target
 * directory, then on {@link #commit()} footer, fsync, atomic rename to {@code
 * snapshot-<sequence>.hdb} and directory fsync. A crash at any point leaves either the previous
 * snapshots untouched plus a {@code .tmp} leftover ({@link SnapshotFiles#deleteTempFiles}), or the
 * complete new snapshot. {@link #close()} without commit deletes the temp file.
 *
 * <p>Usage: {@code beginSection(id)}, stream the payload, {@code endSection()}, repeat; then
 * {@code commit()}. Not thread-safe.
 */
public final class SnapshotWriter implements Closeable {
  static final int BUFFER_BYTES = 1 << 20;

  private final Path dir;
  private final Path temp;
  private final long sequence;
  private final FileChannel channel;
  private final FileIo io;
  private final ByteBuffer buffer; // reused by every section
  private final CRC32C crc = new CRC32C();
  private long position; // end of the last finished part (header or section)
  private int sections;
  private SectionOutputStream current; // open section or null
  private int currentId;
  private boolean committed;
  private boolean closed;

  private SnapshotWriter(Path dir, Path temp, long sequence, FileChannel channel, FileIo io) {
    this.dir = dir;
    this.temp = temp;
    this.sequence = sequence;
    this.channel = channel;
    this.io = io;
    this.buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Starts a snapshot of the state after log record {@code sequence}, stamped with the current time. */
  public static SnapshotWriter create(Path dir, long sequence) throws IOException {
    return create(dir, sequence, System.currentTimeMillis());
  }

  /** Starts a snapshot with an explicit creation time. */
  public static SnapshotWriter create(Path dir, long sequence, long createdMillis)
      throws IOException {
    return create(dir, sequence, createdMillis, FileIo.system());
  }

  /** Starts a snapshot whose writes and fsync go through {@code io}. */
  public static SnapshotWriter create(Path dir, long sequence, long createdMillis, FileIo io)
      throws IOException {
    return create(dir, sequence, createdMillis, io, MasterKeys.none());
  }

  /**
   * Starts a snapshot, encrypted under {@code keys}' current master key when it has one
   * ({@link FileCipher}, {@link EncryptingChannel}: the same content in authenticated chunks).
   */
  public static SnapshotWriter create(Path dir, long sequence, long createdMillis, FileIo io,
      MasterKeys keys) throws IOException {
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must be >= 0, got " + sequence);
    }
    PrivateFiles.createDirectories(dir);
    // a unique name and owner-only permissions from the start (the content is sensitive)
    Path temp =
        PrivateFiles.createTempFile(
            dir,
            SnapshotFormat.PREFIX + String.format("%020d", sequence) + ".",
            SnapshotFormat.TEMP_SUFFIX);
    FileChannel ch = null;
    try {
      ch = FileChannel.open(temp, StandardOpenOption.WRITE);
      if (keys.encrypting()) {
        FileCipher cipher = FileCipher.create(keys.current(), FileCipher.KIND_SNAPSHOT,
            SnapshotFormat.fileName(sequence));
        ch = EncryptingChannel.create(temp, ch, io, cipher);
      }
      io.write(temp, ch, SnapshotFormat.header(sequence, createdMillis), 0);
      SnapshotWriter w = new SnapshotWriter(dir, temp, sequence, ch, io);
      w.position = SnapshotFormat.HEADER_BYTES;
      return w;
    } catch (IOException | RuntimeException e) {
      if (ch != null) {
        ch.close();
      }
      Files.deleteIfExists(temp);
      throw e;
    }
  }

  /**
   * Starts section {@code id} (0..{@value SnapshotFormat#MAX_SECTION_ID}) and returns the stream
   * for its payload. Ids need not be unique or ordered; the database defines their meaning.
   */
  public SectionOutputStream beginSection(int id) throws IOException {
    ensureWritable();
    if (id < 0 || id > SnapshotFormat.MAX_SECTION_ID) {
      throw new IllegalArgumentException(
          "section id must be in [0, " + SnapshotFormat.MAX_SECTION_ID + "], got " + id);
    }
    if (current != null) {
      throw new IllegalStateException("section " + currentId + " is still open");
    }
    current =
        new SectionOutputStream(
            temp, channel, io, buffer, crc, position + SnapshotFormat.SECTION_HEADER_BYTES);
    currentId = id;
    return current;
  }

  /** Finishes the open section: writes its header (now that the length is known) and checksum. */
  public void endSection() throws IOException {
    ensureWritable();
    if (current == null) {
      throw new IllegalStateException("no section is open");
    }
    long length = current.finish();
    ByteBuffer header = SnapshotFormat.sectionHeader(currentId, length);
    crc.update(header.duplicate());
    ByteBuffer trailer =
        ByteBuffer.allocate(SnapshotFormat.SECTION_TRAILER_BYTES)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putInt((int) crc.getValue())
            .flip();
    io.write(temp, channel, header, position);
    io.write(temp, channel, trailer, position + SnapshotFormat.SECTION_HEADER_BYTES + length);
    position += SnapshotFormat.SECTION_HEADER_BYTES + length + SnapshotFormat.SECTION_TRAILER_BYTES;
    sections++;
    current = null;
  }

  /** Bytes of the file so far (finished parts plus the open section's payload). */
  public long bytesWritten() {
    return position
        + (current == null ? 0 : SnapshotFormat.SECTION_HEADER_BYTES + current.bytesWritten());
  }

  /**
   * Writes the footer, fsyncs, renames the file to its final name and fsyncs the directory.
   * Replaces an existing snapshot of the same sequence.
   *
   * @return the final path
   */
  public Path commit() throws IOException {
    ensureWritable();
    if (current != null) {
      throw new IllegalStateException("section " + currentId + " is still open; end it first");
    }
    io.write(temp, channel, SnapshotFormat.footer(sequence, sections), position);
    position += SnapshotFormat.FOOTER_BYTES;
    io.force(temp, channel);
    channel.close();
    Path target = dir.resolve(SnapshotFormat.fileName(sequence));
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    committed = true;
    FileSync.fsyncDirectory(dir);
    return target;
  }

  /** Path of the temp file being written. */
  Path tempFile() {
    return temp;
  }

  /** Without a commit, abandons the snapshot and deletes its temp file. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (!committed) {
      try {
        channel.close();
      } finally {
        Files.deleteIfExists(temp);
      }
    }
  }

  private void ensureWritable() {
    if (committed || closed) {
      throw new IllegalStateException(committed ? "snapshot already committed" : "writer closed");
    }
  }
}
