package org.hashdb.core.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Base of the encrypted snapshot channels: a {@link FileChannel} over the plaintext of an
 * encrypted file, so that the snapshot reader and writer (positional reads and writes only) work
 * on it unchanged. Everything but positional I/O, size, force and close is unsupported.
 */
abstract class FrameChannel extends FileChannel {
  /** Plaintext bytes per chunk; each chunk is one AES-GCM frame on disk. */
  static final int CHUNK_BYTES = 64 << 10;
  /** Bytes of a full frame on disk. */
  static final int FRAME_BYTES = CHUNK_BYTES + FileCipher.TAG_BYTES;

  protected final FileChannel raw;

  FrameChannel(FileChannel raw) {
    this.raw = raw;
  }

  @Override
  public int read(ByteBuffer dst) {
    throw new UnsupportedOperationException("positional reads only");
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) {
    throw new UnsupportedOperationException("positional reads only");
  }

  @Override
  public int write(ByteBuffer src) {
    throw new UnsupportedOperationException("positional writes only");
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) {
    throw new UnsupportedOperationException("positional writes only");
  }

  @Override
  public long position() {
    throw new UnsupportedOperationException("positional I/O only");
  }

  @Override
  public FileChannel position(long newPosition) {
    throw new UnsupportedOperationException("positional I/O only");
  }

  @Override
  public FileChannel truncate(long size) {
    throw new UnsupportedOperationException("encrypted files are not truncated");
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) {
    throw new UnsupportedOperationException();
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) {
    throw new UnsupportedOperationException();
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) {
    throw new UnsupportedOperationException("encrypted files are not mapped");
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) {
    throw new UnsupportedOperationException();
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) {
    throw new UnsupportedOperationException();
  }

  @Override
  protected void implCloseChannel() throws IOException {
    raw.close();
  }
}
