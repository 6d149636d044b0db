package org.hashdb.core.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Small I/O helpers shared by the log and the snapshot code. */
final class FileSync {
  private static final boolean WINDOWS =
      System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");

  private FileSync() {}

  /**
   * Makes the creation, rename or deletion of entries in {@code dir} durable. Without it a
   * freshly renamed snapshot or a new log segment may vanish after a power cut although its data
   * was fsynced. Windows cannot open directories; there the call is a no-op.
   */
  static void fsyncDirectory(Path dir) throws IOException {
    if (WINDOWS) {
      return;
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /** Writes all of {@code buf} at {@code position}; a short write is retried, never dropped. */
  static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      pos += ch.write(buf, pos);
    }
  }

  /**
   * Reads until {@code buf} is full or the file ends; returns the number of bytes read. A short
   * result means end of file.
   */
  static int readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    int total = 0;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, position + total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }
}
