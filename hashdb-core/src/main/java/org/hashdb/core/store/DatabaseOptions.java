package org.hashdb.core.store;

/**
 * How a database with a data directory persists.
 *
 * @param fsync fsync the log before acknowledging a write (turn off only for tests and benchmarks)
 * @param snapshotLogBytes write a snapshot once the log holds this many bytes
 * @param walSegmentBytes size at which the log starts a new segment file
 */
public record DatabaseOptions(boolean fsync, long snapshotLogBytes, long walSegmentBytes) {
  public DatabaseOptions {
    if (snapshotLogBytes < 1) {
      throw new IllegalArgumentException("snapshotLogBytes must be >= 1, got " + snapshotLogBytes);
    }
    if (walSegmentBytes < 4096) {
      throw new IllegalArgumentException("walSegmentBytes must be >= 4096, got " + walSegmentBytes);
    }
  }

  /** fsync on, snapshot every 256 MiB of log, 64 MiB log segments. */
  public static DatabaseOptions defaults() {
    return new DatabaseOptions(true, 256L << 20, 64L << 20);
  }

  public DatabaseOptions withFsync(boolean fsync) {
    return new DatabaseOptions(fsync, snapshotLogBytes, walSegmentBytes);
  }

  public DatabaseOptions withSnapshotLogBytes(long bytes) {
    return new DatabaseOptions(fsync, bytes, walSegmentBytes);
  }
}
