package org.hashdb.core.disk;

import java.io.IOException;

/**
 * A write failed because the disk (or the process's file size limit) is full, and nothing of it
 * was kept: the log and snapshots are as before the write, so writes may be retried once space
 * is back. Only write errors become this; a failed fsync never does (see {@link WriteAheadLog}).
 */
public final class DiskFullException extends IOException {
  private static final long serialVersionUID = 1L;

  public DiskFullException(String message, IOException cause) {
    super(message, cause);
  }

  /**
   * Whether {@code e} reports a full disk: ENOSPC ("No space left on device"), EDQUOT ("Disk
   * quota exceeded") or EFBIG ("File too large", e.g. {@code ulimit -f}). The JDK reports these
   * only as message text.
   */
  public static boolean isDiskFull(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof DiskFullException) {
        return true;
      }
      String m = t.getMessage();
      if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded")
          || m.contains("File too large"))) {
        return true;
      }
    }
    return false;
  }
}
