package org.hashdb.client.scan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What identifies one version of a file's content without reading it: device, inode, size, mtime
 * and ctime. The mtime can be set back by anyone who may write the file ({@code touch -d}, SFTP
 * {@code setstat}), but the ctime cannot: the kernel sets it on every write and every change of
 * the mtime, so a file swapped for another of the same size with its mtime restored gets a new
 * ctime (and, when replaced by a rename, a new inode).
 *
 * <p>Read through the {@code unix} attribute view (Linux, macOS). Where a file system lacks it
 * (Windows, some network or in-memory file systems) device, inode and ctime are {@link #UNKNOWN}
 * and only size and mtime are compared, as before: a swap with the mtime restored goes unseen there.
 *
 * @param device the device id ({@code st_dev}), or {@link #UNKNOWN}
 * @param inode the inode number ({@code st_ino}), or {@link #UNKNOWN}
 * @param size bytes
 * @param mtimeNanos last modification, nanoseconds since the epoch
 * @param ctimeNanos last status change, nanoseconds since the epoch, or {@link #UNKNOWN}
 */
public record FileStamp(long device, long inode, long size, long mtimeNanos, long ctimeNanos) {
  /** A field the file system does not report. */
  public static final long UNKNOWN = Long.MIN_VALUE;

  private static final String UNIX_ATTRIBUTES = "unix:dev,ino,size,lastModifiedTime,ctime";

  /** The stamp of {@code file} now. */
  public static FileStamp read(Path file, LinkOption... options) throws IOException {
    if (file.getFileSystem().supportedFileAttributeViews().contains("unix")) {
      try {
        Map<String, Object> a = Files.readAttributes(file, UNIX_ATTRIBUTES, options);
        return new FileStamp(((Number) a.get("dev")).longValue(), ((Number) a.get("ino")).longValue(),
            ((Number) a.get("size")).longValue(), nanos((FileTime) a.get("lastModifiedTime")),
            nanos((FileTime) a.get("ctime")));
      } catch (UnsupportedOperationException | IllegalArgumentException | ClassCastException | NullPointerException e) {
        // a provider that announces the view but not these attributes: fall back below
      }
    }
    return of(Files.readAttributes(file, BasicFileAttributes.class, options));
  }

  /** Size and mtime only (no {@code unix} view). */
  public static FileStamp of(BasicFileAttributes a) {
    return new FileStamp(UNKNOWN, UNKNOWN, a.size(), nanos(a.lastModifiedTime()), UNKNOWN);
  }

  /** True when device, inode and ctime are known. */
  public boolean complete() {
    return device != UNKNOWN && inode != UNKNOWN && ctimeNanos != UNKNOWN;
  }

  private static long nanos(FileTime t) {
    return t.to(TimeUnit.NANOSECONDS);
  }
}
