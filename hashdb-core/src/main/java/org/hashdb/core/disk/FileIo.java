package org.hashdb.core.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The writes and fsyncs of the write-ahead log and the snapshot writer go through this seam, so
 * that tests and the crash matrix can inject disk-full and fsync errors ({@link
 * FaultInjectingFileIo}). Files are opened as before; only data movement passes here.
 */
public interface FileIo {
  /** Writes all of {@code buf} to {@code ch} at {@code position}; {@code file} names the file. */
  void write(Path file, FileChannel ch, ByteBuffer buf, long position) throws IOException;

  /** fdatasync of {@code ch} (the file's data, not necessarily its metadata). */
  void force(Path file, FileChannel ch) throws IOException;

  /** The real file system. */
  static FileIo system() {
    return SystemFileIo.INSTANCE;
  }

  /** {@link #system()}: plain positional writes (short writes are retried) and {@code force(false)}. */
  final class SystemFileIo implements FileIo {
    static final SystemFileIo INSTANCE = new SystemFileIo();

    private SystemFileIo() {}

    @Override
    public void write(Path file, FileChannel ch, ByteBuffer buf, long position) throws IOException {
      FileSync.writeFully(ch, buf, position);
    }

    @Override
    public void force(Path file, FileChannel ch) throws IOException {
      ch.force(false);
    }

    @Override
    public String toString() {
      return "FileIo.system()";
    }
  }
}
