package org.hashdb.server.audit;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.hashdb.core.disk.PrivateFiles;

/**
 * The administrative audit stream ({@code admin-audit.jsonl}): one JSON line per change (add,
 * remove, import, snapshot download, key created or revoked). Unlike the match records it is
 * never queued, dropped or rotated away: {@link #append} writes the line and fsyncs it before it
 * returns, on the thread that made the change, so a change is acknowledged only once its record
 * is durable. Admin changes are rare, so the fsync per record costs nothing that matters.
 *
 * <p>Lines are appended with {@code O_APPEND} in one write each, so the server and a
 * {@code keys} command run at the same time do not interleave within a line.
 */
public final class AdminAuditLog implements Closeable {
  /** Name of the file in the data directory. */
  public static final String FILE_NAME = "admin-audit.jsonl";

  private final FileChannel channel; // null: disabled

  private AdminAuditLog(FileChannel channel) {
    this.channel = channel;
  }

  /** Opens (creating, mode 600) the admin audit file of {@code dir}. */
  public static AdminAuditLog open(Path dir) throws IOException {
    PrivateFiles.createDirectories(dir);
    Path file = dir.resolve(FILE_NAME);
    FileChannel ch = PrivateFiles.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND);
    PrivateFiles.syncDirectory(dir); // the file's name is durable before any record relies on it
    return new AdminAuditLog(ch);
  }

  /** A log that records nothing (tests, embedded servers without a data directory). */
  public static AdminAuditLog disabled() {
    return new AdminAuditLog(null);
  }

  /** Appends one encoded line (ending in '\n') and fsyncs it. */
  public synchronized void append(byte[] line) throws IOException {
    if (channel == null) {
      return;
    }
    ByteBuffer b = ByteBuffer.wrap(line);
    while (b.hasRemaining()) {
      channel.write(b);
    }
    channel.force(false);
  }

  /** Appends one line to {@code dir}'s admin audit file from a process that is not the server. */
  public static void appendOnce(Path dir, byte[] line) throws IOException {
    try (AdminAuditLog log = open(dir)) {
      log.append(line);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (channel != null) {
      channel.close();
    }
  }
}
