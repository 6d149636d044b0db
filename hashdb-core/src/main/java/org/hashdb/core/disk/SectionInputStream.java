package org.hashdb.core.disk;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Reads one snapshot section through a large direct buffer, verifying its crc32c as bytes are
 * loaded: the check runs when the section's last byte is loaded, <em>before</em> that byte is
 * handed out, so a caller that reads a section to its end never sees it end normally if it is
 * damaged. Multi-byte values are little-endian; {@link #readLongs}, {@link #readInts} and {@link
 * #readChars} fill arrays with a bulk copy, so loading is I/O-bound. Reads never go past the
 * section's end ({@code -1} / {@link EOFException}).
 *
 * <p>Obtained from {@link SnapshotReader#sectionStream()}; valid until the next {@link
 * SnapshotReader#nextSection()}. {@link #close()} does nothing. Not thread-safe.
 */
public final class SectionInputStream extends InputStream {
  private final Path path; // for messages
  private final FileChannel channel;
  private final ByteBuffer buf; // direct, little-endian; [position, limit) = loaded, unread
  private final CRC32C crc; // over the payload loaded so far
  private final long sectionOffset; // file offset of the section header
  private final int id;
  private final long length; // payload bytes
  private long filePosition; // next payload byte to load
  private long unloaded; // payload bytes not yet loaded
  private boolean valid = true; // false once the reader moved on
  private CorruptDataException failure; // sticky: a damaged section never ends normally

  SectionInputStream(
      Path path, FileChannel channel, ByteBuffer buf, long sectionOffset, int id, long length)
      throws IOException {
    this.path = path;
    this.channel = channel;
    this.buf = buf;
    this.crc = new CRC32C();
    this.sectionOffset = sectionOffset;
    this.id = id;
    this.length = length;
    this.filePosition = sectionOffset + SnapshotFormat.SECTION_HEADER_BYTES;
    this.unloaded = length;
    buf.clear().limit(0);
    if (length == 0) {
      verify();
    }
  }

  @Override
  public int read() throws IOException {
    if (!buf.hasRemaining() && !fill()) {
      return -1;
    }
    return buf.get() & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    if (!buf.hasRemaining() && !fill()) {
      return -1;
    }
    int n = Math.min(len, buf.remaining());
    buf.get(b, off, n);
    return n;
  }

  /** Reads exactly {@code len} bytes; {@link EOFException} if the section ends first. */
  public void readFully(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    while (len > 0) {
      int n = read(b, off, len);
      if (n < 0) {
        throw eof(len);
      }
      off += n;
      len -= n;
    }
  }

  public int readUnsignedShort() throws IOException {
    need(Short.BYTES);
    return buf.getShort() & 0xffff;
  }

  public int readInt() throws IOException {
    need(Integer.BYTES);
    return buf.getInt();
  }

  public long readLong() throws IOException {
    need(Long.BYTES);
    return buf.getLong();
  }

  /** Fills {@code dst[off..off+len)}; {@link EOFException} if the section ends first. */
  public void readLongs(long[] dst, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, dst.length);
    while (len > 0) {
      int n = Math.min(len, buf.remaining() / Long.BYTES);
      if (n == 0) {
        need(Long.BYTES);
        continue;
      }
      buf.asLongBuffer().get(dst, off, n);
      buf.position(buf.position() + n * Long.BYTES);
      off += n;
      len -= n;
    }
  }

  /** Fills {@code dst[off..off+len)}; {@link EOFException} if the section ends first. */
  public void readInts(int[] dst, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, dst.length);
    while (len > 0) {
      int n = Math.min(len, buf.remaining() / Integer.BYTES);
      if (n == 0) {
        need(Integer.BYTES);
        continue;
      }
      buf.asIntBuffer().get(dst, off, n);
      buf.position(buf.position() + n * Integer.BYTES);
      off += n;
      len -= n;
    }
  }

  /**
   * Fills {@code dst[off..off+len)} with unsigned 16-bit values; {@link EOFException} if the
   * section ends first.
   */
  public void readChars(char[] dst, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, dst.length);
    while (len > 0) {
      int n = Math.min(len, buf.remaining() / Character.BYTES);
      if (n == 0) {
        need(Character.BYTES);
        continue;
      }
      buf.asCharBuffer().get(dst, off, n);
      buf.position(buf.position() + n * Character.BYTES);
      off += n;
      len -= n;
    }
  }

  /** Skips up to {@code n} bytes; skipped bytes are still checksummed. */
  @Override
  public long skip(long n) throws IOException {
    long skipped = 0;
    while (skipped < n) {
      if (!buf.hasRemaining() && !fill()) {
        break;
      }
      int k = (int) Math.min(n - skipped, buf.remaining());
      buf.position(buf.position() + k);
      skipped += k;
    }
    return skipped;
  }

  /** Payload bytes not yet read. */
  public long remaining() {
    return buf.remaining() + unloaded;
  }

  @Override
  public int available() {
    return (int) Math.min(Integer.MAX_VALUE, remaining());
  }

  /** Does nothing; {@link SnapshotReader#nextSection()} moves on (and verifies what is unread). */
  @Override
  public void close() {}

  /** Consumes the rest of the section so that its checksum is verified. */
  void finish() throws IOException {
    while (unloaded > 0) {
      buf.clear().limit(0);
      fill();
    }
    buf.clear().limit(0);
    valid = false;
  }

  private void need(int k) throws IOException {
    while (buf.remaining() < k) {
      if (!fill()) {
        throw eof(k);
      }
    }
  }

  /** Loads more payload (keeping unread bytes); false if the section is exhausted. */
  private boolean fill() throws IOException {
    if (failure != null) {
      throw failure;
    }
    if (!valid) {
      throw new IllegalStateException("the reader has moved past section " + id);
    }
    if (unloaded == 0) {
      return false;
    }
    buf.compact();
    int start = buf.position();
    int want = (int) Math.min(buf.remaining(), unloaded);
    buf.limit(start + want);
    int got = FileSync.readFully(channel, buf, filePosition);
    if (got < want) {
      throw new CorruptDataException(
          path, sectionOffset, "section id " + id + " is truncated: file ended while reading it");
    }
    crc.update(buf.duplicate().flip().position(start));
    filePosition += want;
    unloaded -= want;
    buf.flip();
    if (unloaded == 0) {
      verify();
    }
    return true;
  }

  private void verify() throws IOException {
    crc.update(SnapshotFormat.sectionHeader(id, length));
    ByteBuffer trailer =
        ByteBuffer.allocate(SnapshotFormat.SECTION_TRAILER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    int got = FileSync.readFully(channel, trailer, filePosition);
    if (got < SnapshotFormat.SECTION_TRAILER_BYTES || trailer.getInt(0) != (int) crc.getValue()) {
      buf.clear().limit(0); // hand out nothing more of a damaged section
      failure =
          new CorruptDataException(
              path,
              sectionOffset,
              "section id " + id + " (" + length + " bytes) failed its crc32c check");
      throw failure;
    }
  }

  private EOFException eof(int wanted) {
    return new EOFException(
        "section id "
            + id
            + " of "
            + path
            + " ends: "
            + wanted
            + " more bytes wanted, "
            + remaining()
            + " left");
  }
}
