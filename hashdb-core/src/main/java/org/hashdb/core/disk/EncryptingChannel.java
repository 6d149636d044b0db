package org.hashdb.core.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.TreeMap;
import javax.crypto.Cipher;

/**
 * Write side of an encrypted snapshot. Takes positional writes of the plaintext, each byte
 * exactly once (the snapshot writer fills a section's header in after its payload), and seals a
 * chunk into its frame once it is complete and a later chunk has begun; {@link #force} seals the
 * rest, the highest chunk flagged as the last. Each chunk is sealed once, with its index as the
 * nonce: a nonce is never reused under the file's key. Memory: the chunks still open (a
 * section's first chunk waits for the section's header). Not thread-safe.
 */
final class EncryptingChannel extends FrameChannel {
  private final Path file;
  private final FileCipher cipher;
  private final Cipher gcm = FileCipher.newCipher();
  private final long headerBytes;
  private final TreeMap<Long, Chunk> open = new TreeMap<>();
  private final ArrayDeque<byte[]> spare = new ArrayDeque<>();
  private final byte[] frame = new byte[FRAME_BYTES];
  private final java.util.BitSet sealed = new java.util.BitSet();
  private long highest = -1; // highest chunk index written so far
  private long size;
  private boolean finished;

  private static final class Chunk {
    final byte[] data;
    int filled;
    int end;

    Chunk(byte[] data) {
      this.data = data;
    }
  }

  private EncryptingChannel(Path file, FileChannel raw, FileCipher cipher) {
    super(raw);
    this.file = file;
    this.cipher = cipher;
    this.headerBytes = cipher.headerLength();
  }

  /** Writes the encryption header through {@code io} and returns the channel for the plaintext. */
  static EncryptingChannel create(Path file, FileChannel raw, FileIo io, FileCipher cipher)
      throws IOException {
    io.write(file, raw, ByteBuffer.wrap(cipher.header()), 0);
    return new EncryptingChannel(file, raw, cipher);
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    if (finished) {
      throw new IllegalStateException("encrypted file already finished");
    }
    int total = src.remaining();
    while (src.hasRemaining()) {
      long idx = position / CHUNK_BYTES;
      if (sealed.get(Math.toIntExact(idx))) {
        throw new IllegalStateException("write into chunk " + idx + " after it was sealed");
      }
      int within = (int) (position - idx * CHUNK_BYTES);
      int n = Math.min(src.remaining(), CHUNK_BYTES - within);
      Chunk c = open.computeIfAbsent(idx, k -> new Chunk(newBuffer()));
      src.get(c.data, within, n);
      c.filled += n;
      c.end = Math.max(c.end, within + n);
      position += n;
      highest = Math.max(highest, idx);
    }
    size = Math.max(size, position);
    sealComplete();
    return total;
  }

  private byte[] newBuffer() {
    byte[] b = spare.poll();
    return b != null ? b : new byte[CHUNK_BYTES];
  }

  /** Seals every complete chunk below the highest one. */
  private void sealComplete() throws IOException {
    if (open.size() < 2) {
      return;
    }
    for (Long idx : open.keySet().toArray(new Long[0])) {
      Chunk c = open.get(idx);
      if (idx < highest && c.filled == CHUNK_BYTES) {
        seal(idx, c, false);
      }
    }
  }

  private void seal(long idx, Chunk c, boolean last) throws IOException {
    int n = cipher.seal(gcm, idx, idx, last ? 1 : 0, c.data, 0, c.end, frame, 0);
    FileSync.writeFully(raw, ByteBuffer.wrap(frame, 0, n), headerBytes + idx * FRAME_BYTES);
    open.remove(idx);
    spare.push(c.data);
    sealed.set(Math.toIntExact(idx));
  }

  /** Seals what is left (the highest chunk as the last), then fsyncs the file. */
  @Override
  public void force(boolean metaData) throws IOException {
    if (!finished) {
      for (var e : open.entrySet().toArray(new java.util.Map.Entry<?, ?>[0])) {
        long idx = (Long) e.getKey();
        Chunk c = (Chunk) e.getValue();
        boolean last = idx == highest;
        if (c.filled != (last ? c.end : CHUNK_BYTES) || (last && c.end != size - idx * CHUNK_BYTES)) {
          throw new IOException(file + ": encrypted snapshot has unwritten bytes in chunk " + idx);
        }
        seal(idx, c, last);
      }
      if (sealed.cardinality() != highest + 1) {
        throw new IOException(file + ": encrypted snapshot is missing chunks");
      }
      finished = true;
    }
    raw.force(metaData);
  }

  @Override
  public int read(ByteBuffer dst, long position) {
    throw new UnsupportedOperationException("write only");
  }
}
