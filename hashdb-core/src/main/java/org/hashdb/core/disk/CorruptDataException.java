package org.hashdb.core.disk;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A persisted file (log segment or snapshot) is damaged or not in a format this build reads. It
 * names the file and the byte offset of the damaged structure (record, section, header or
 * footer), so an operator can inspect it; start-up stops rather than serve a silently damaged
 * database.
 */
public final class CorruptDataException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long offset;

  public CorruptDataException(Path file, long offset, String problem) {
    super(file + " at byte " + offset + ": " + problem);
    this.file = file;
    this.offset = offset;
  }

  public CorruptDataException(Path file, long offset, String problem, Throwable cause) {
    this(file, offset, problem);
    initCause(cause);
  }

  /** The damaged file. */
  public Path file() {
    return file;
  }

  /** Byte offset in {@link #file()} of the start of the damaged structure. */
  public long offset() {
    return offset;
  }
}
