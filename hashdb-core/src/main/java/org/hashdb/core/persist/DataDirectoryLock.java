package org.hashdb.core.persist;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Exclusive ownership of a data directory: an OS file lock on {@code hashdb.lock}, holding the
 * owner's pid for the error message. Two servers writing one log would interleave records, so the
 * second one must fail at start. The OS drops the lock when the process dies, however it dies;
 * the file itself stays (deleting it would race with a concurrent acquire).
 */
public final class DataDirectoryLock implements Closeable {
  /** Name of the lock file inside the data directory. */
  public static final String FILE_NAME = "hashdb.lock";

  private final Path dir;
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirectoryLock(Path dir, FileChannel channel, FileLock lock) {
    this.dir = dir;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Creates {@code dir} if missing and locks it.
   *
   * @throws IOException "data directory DIR is in use by another process (pid N)" if another
   *     process, or another acquire in this JVM, holds the lock
   */
  public static DataDirectoryLock acquire(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(FILE_NAME);
    FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        // the lock is held within this JVM (by another acquire); same message
        lock = null;
      }
      if (lock == null) {
        throw new IOException(
            "data directory " + dir + " is in use by another process (pid " + readPid(ch) + ")");
      }
      ByteBuffer pid =
          ByteBuffer.wrap(
              (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII));
      ch.truncate(0);
      FileSync.writeFully(ch, pid, 0);
      ch.force(false);
      return new DataDirectoryLock(dir, ch, lock);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  private static String readPid(FileChannel ch) {
    try {
      ByteBuffer b = ByteBuffer.allocate(32);
      int n = FileSync.readFully(ch, b, 0);
      String s = new String(b.array(), 0, n, StandardCharsets.US_ASCII).trim();
      return s.matches("[0-9]{1,19}") ? s : "unknown";
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The locked directory. */
  public Path directory() {
    return dir;
  }

  /** Releases the lock. */
  @Override
  public void close() throws IOException {
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } finally {
      channel.close();
    }
  }
}
