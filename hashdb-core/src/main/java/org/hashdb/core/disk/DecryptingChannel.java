package org.hashdb.core.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;

/**
 * Read side of an encrypted snapshot: the plaintext, one authenticated chunk at a time. Frame
 * {@code i} sits at {@code header + i * FRAME_BYTES}; its AAD holds its index and whether it is
 * the last, so reordered, swapped or dropped chunks fail. Opening already authenticates the last
 * chunk: a file truncated at a frame boundary is refused before anything is loaded. Damage is
 * reported with the byte offset of the frame on disk. Not thread-safe.
 */
final class DecryptingChannel extends FrameChannel {
  private final Path file;
  private final FileCipher cipher;
  private final Cipher gcm = FileCipher.newCipher();
  private final long headerBytes;
  private final long frames;
  private final long size; // plaintext bytes
  private final byte[] frame = new byte[FRAME_BYTES];
  private final byte[] chunk = new byte[CHUNK_BYTES];
  private long chunkIndex = -1;
  private int chunkLength;

  private DecryptingChannel(Path file, FileChannel raw, FileCipher cipher, long frames,
      long size) {
    super(raw);
    this.file = file;
    this.cipher = cipher;
    this.headerBytes = cipher.headerLength();
    this.frames = frames;
    this.size = size;
  }

  /** Whether {@code file} starts with an encryption header (else it is a plaintext file). */
  static boolean isEncrypted(FileChannel ch) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(4);
    if (FileSync.readFully(ch, b, 0) < 4) {
      return false;
    }
    return FileCipher.isEncrypted(b.flip());
  }

  /** Opens the plaintext of {@code raw} (closed with the returned channel), file role {@code role}. */
  static DecryptingChannel open(Path file, FileChannel raw, MasterKeys keys, byte kind,
      String role) throws IOException {
    long phys = raw.size();
    FileCipher c = FileCipher.read(file, raw, 0, phys, keys, kind, role);
    long body = phys - c.headerLength();
    long frames = (body + FRAME_BYTES - 1) / FRAME_BYTES;
    long lastFrame = body - (frames - 1) * FRAME_BYTES;
    if (frames == 0 || lastFrame < FileCipher.TAG_BYTES) {
      throw new CorruptDataException(file, c.headerLength() + Math.max(0, frames - 1) * FRAME_BYTES,
          "the last encrypted chunk is cut short (" + Math.max(0, lastFrame) + " bytes): truncated");
    }
    long size = (frames - 1) * CHUNK_BYTES + lastFrame - FileCipher.TAG_BYTES;
    DecryptingChannel ch = new DecryptingChannel(file, raw, c, frames, size);
    ch.load(frames - 1); // authenticates the end: truncation at a frame boundary shows here
    return ch;
  }

  /** Id of the master key the file is written under. */
  String keyId() {
    return cipher.keyId();
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    if (position >= size) {
      return -1;
    }
    int total = 0;
    while (dst.hasRemaining() && position < size) {
      long idx = position / CHUNK_BYTES;
      load(idx);
      int within = (int) (position - idx * CHUNK_BYTES);
      int n = Math.min(dst.remaining(), chunkLength - within);
      dst.put(chunk, within, n);
      position += n;
      total += n;
    }
    return total;
  }

  private void load(long idx) throws IOException {
    if (idx == chunkIndex) {
      return;
    }
    boolean last = idx == frames - 1;
    long at = headerBytes + idx * FRAME_BYTES;
    int len = last ? (int) (size - idx * CHUNK_BYTES) + FileCipher.TAG_BYTES : FRAME_BYTES;
    ByteBuffer b = ByteBuffer.wrap(frame, 0, len);
    int got = FileSync.readFully(raw, b, at);
    if (got < len) {
      throw new CorruptDataException(file, at, "file shrank while being read");
    }
    chunkIndex = -1;
    try {
      chunkLength = cipher.open(gcm, idx, idx, last ? 1 : 0, frame, 0, len, chunk, 0);
    } catch (GeneralSecurityException e) {
      throw new CorruptDataException(file, at, "encrypted chunk " + idx + " of " + frames
          + (last ? " (the last)" : "") + " does not authenticate: "
          + (last ? "truncated at a chunk boundary, damaged or tampered" : "damaged or tampered"));
    }
    chunkIndex = idx;
  }

  @Override
  public int write(ByteBuffer src, long position) {
    throw new UnsupportedOperationException("read only");
  }

  @Override
  public void force(boolean metaData) {}
}
