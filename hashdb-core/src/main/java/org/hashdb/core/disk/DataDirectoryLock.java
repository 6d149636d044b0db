package org.hashdb.core.disk;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exclusive ownership of a data directory: an OS file lock on {@code hashdb.lock}, holding the
 * owner's pid for the error message. Two servers writing one log would interleave records, so the
 * second one must fail at start. The OS drops the lock when the process dies, however it dies;
 * the file itself stays (deleting it would race with a concurrent acquire).
 */
public final class DataDirectoryLock implements Closeable {
  /** Name of the lock file inside the data directory. */
  public static final String FILE_NAME = "hashdb.lock";

  /**
   * Directories (real paths) locked by this JVM. Checked before the lock file is even opened:
   * POSIX drops all of a process's locks on a file when <em>any</em> of its descriptors for that
   * file is closed, so a failed second attempt that opened and closed the file would silently
   * unlock the first holder for other processes.
   */
  private static final Set<Path> HELD_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

  private final Path dir;
  private final Path realDir; // key in HELD_IN_THIS_JVM
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirectoryLock(Path dir, Path realDir, FileChannel channel, FileLock lock) {
    this.dir = dir;
    this.realDir = realDir;
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
    PrivateFiles.secureDirectory(dir); // mode 700, files 600: repaired (and logged) if wider
    Path realDir = dir.toRealPath();
    if (!HELD_IN_THIS_JVM.add(realDir)) {
      throw inUse(dir, Long.toString(ProcessHandle.current().pid()));
    }
    FileChannel ch = null;
    try {
      ch =
          PrivateFiles.open(
              dir.resolve(FILE_NAME),
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        // locked in this JVM by other means than this class
        lock = null;
      }
      if (lock == null) {
        throw inUse(dir, readPid(ch));
      }
      ByteBuffer pid =
          ByteBuffer.wrap(
              (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII));
      ch.truncate(0);
      FileSync.writeFully(ch, pid, 0);
      ch.force(false);
      return new DataDirectoryLock(dir, realDir, ch, lock);
    } catch (IOException | RuntimeException e) {
      HELD_IN_THIS_JVM.remove(realDir);
      if (ch != null) {
        ch.close();
      }
      throw e;
    }
  }

  private static IOException inUse(Path dir, String pid) {
    return new IOException("data directory " + dir + " is in use by another process (pid " + pid + ")");
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
    if (!channel.isOpen()) {
      return;
    }
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } finally {
      try {
        channel.close();
      } finally {
        HELD_IN_THIS_JVM.remove(realDir);
      }
    }
  }
}
