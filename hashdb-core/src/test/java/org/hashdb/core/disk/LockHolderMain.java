package org.hashdb.core.disk;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Child-process helper for {@link DataDirectoryLockTest}. {@code LockHolderMain DIR}: locks DIR,
 * prints {@code locked}, holds the lock until stdin closes. {@code LockHolderMain DIR try}: prints
 * {@code locked} and exits 0 if DIR can be locked, else prints the error and exits 3.
 */
public final class LockHolderMain {
  private LockHolderMain() {}

  public static void main(String[] args) throws IOException {
    boolean tryOnly = args.length > 1 && args[1].equals("try");
    DataDirectoryLock lock;
    try {
      lock = DataDirectoryLock.acquire(Path.of(args[0]));
    } catch (IOException e) {
      System.out.println("failed: " + e.getMessage());
      System.out.flush();
      System.exit(3);
      return;
    }
    try (lock) {
      System.out.println("locked");
      System.out.flush();
      while (!tryOnly && System.in.read() >= 0) {
        // hold until the parent closes our stdin (or dies)
      }
    }
  }
}
