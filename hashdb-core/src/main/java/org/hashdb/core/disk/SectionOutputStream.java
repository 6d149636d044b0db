package org.hashdb.core.disk;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Streams one snapshot section to disk through a direct buffer, computing its crc32c on the fly;
 * sections of any size (GBs) are never held in memory. Multi-byte values are little-endian. Bulk
 * writers ({@link #writeLongs}, {@link #writeInts}, {@link #writeChars}) copy arrays with no
 * per-element work.
 *
 * <p>Obtained from {@link SnapshotWriter#beginSection}; finished by {@link
 * SnapshotWriter#endSection}. {@link #close()} and {@link #flush()} do nothing, so the stream can
 * be wrapped (e.g. in a {@code DataOutputStream}) and closed. Not thread-safe.
 */
public final class SectionOutputStream extends OutputStream {
  private final java.nio.file.Path file;
  private final FileChannel channel;
  private final FileIo io;
  private final ByteBuffer buf; // direct, little-endian; bytes not yet written to the file
  private final CRC32C crc; // over the payload written so far
  private long filePosition; // where buf's content goes
  private long drained; // payload bytes already written to the file
  private boolean finished;

  SectionOutputStream(java.nio.file.Path file, FileChannel channel, FileIo io, ByteBuffer buf,
      CRC32C crc, long filePosition) {
    this.file = file;
    this.channel = channel;
    this.io = io;
    this.buf = buf.clear();
    this.crc = crc;
    this.filePosition = filePosition;
    crc.reset();
  }

  @Override
  public void write(int b) throws IOException {
    if (finished) {
      throw ended();
    }
    if (!buf.hasRemaining()) {
      drain();
    }
    buf.put((byte) b);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (finished) {
      throw ended();
    }
    Objects.checkFromIndexSize(off, len, b.length);
    while (len > 0) {
      if (!buf.hasRemaining()) {
        drain();
      }
      int n = Math.min(len, buf.remaining());
      buf.put(b, off, n);
      off += n;
      len -= n;
    }
  }

  /** Writes the low 16 bits of {@code v}. */
  public void writeShort(int v) throws IOException {
    if (finished) {
      throw ended();
    }
    if (buf.remaining() < Short.BYTES) {
      drain();
    }
    buf.putShort((short) v);
  }

  public void writeInt(int v) throws IOException {
    if (finished) {
      throw ended();
    }
    if (buf.remaining() < Integer.BYTES) {
      drain();
    }
    buf.putInt(v);
  }

  public void writeLong(long v) throws IOException {
    if (finished) {
      throw ended();
    }
    if (buf.remaining() < Long.BYTES) {
      drain();
    }
    buf.putLong(v);
  }

  /** Writes {@code src[off..off+len)}. */
  public void writeLongs(long[] src, int off, int len) throws IOException {
    if (finished) {
      throw ended();
    }
    Objects.checkFromIndexSize(off, len, src.length);
    while (len > 0) {
      int n = Math.min(len, buf.remaining() / Long.BYTES);
      if (n == 0) {
        drain();
        continue;
      }
      buf.asLongBuffer().put(src, off, n);
      buf.position(buf.position() + n * Long.BYTES);
      off += n;
      len -= n;
    }
  }

  /** Writes {@code src[off..off+len)}. */
  public void writeInts(int[] src, int off, int len) throws IOException {
    if (finished) {
      throw ended();
    }
    Objects.checkFromIndexSize(off, len, src.length);
    while (len > 0) {
      int n = Math.min(len, buf.remaining() / Integer.BYTES);
      if (n == 0) {
        drain();
        continue;
      }
      buf.asIntBuffer().put(src, off, n);
      buf.position(buf.position() + n * Integer.BYTES);
      off += n;
      len -= n;
    }
  }

  /** Writes {@code src[off..off+len)} as unsigned 16-bit values. */
  public void writeChars(char[] src, int off, int len) throws IOException {
    if (finished) {
      throw ended();
    }
    Objects.checkFromIndexSize(off, len, src.length);
    while (len > 0) {
      int n = Math.min(len, buf.remaining() / Character.BYTES);
      if (n == 0) {
        drain();
        continue;
      }
      buf.asCharBuffer().put(src, off, n);
      buf.position(buf.position() + n * Character.BYTES);
      off += n;
      len -= n;
    }
  }

  /** Payload bytes written to this section so far. */
  public long bytesWritten() {
    return drained + buf.position();
  }

  /** Does nothing: the writer writes buffered bytes when the section ends. */
  @Override
  public void flush() {}

  /** Does nothing; {@link SnapshotWriter#endSection} finishes the section. */
  @Override
  public void close() {}

  /** Writes what is buffered and returns the payload length; the stream is unusable after. */
  long finish() throws IOException {
    drain();
    finished = true;
    return drained;
  }

  /** crc32c of the payload (valid after {@link #finish}). */
  CRC32C crc() {
    return crc;
  }

  private static IllegalStateException ended() {
    return new IllegalStateException("section already ended");
  }

  private void drain() throws IOException {
    buf.flip();
    int n = buf.remaining();
    crc.update(buf.duplicate());
    io.write(file, channel, buf, filePosition);
    filePosition += n;
    drained += n;
    buf.clear();
  }
}
