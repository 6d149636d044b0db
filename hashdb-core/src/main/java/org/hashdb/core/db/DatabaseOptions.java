package org.hashdb.core.db;

import org.hashdb.core.disk.FileIo;
import org.hashdb.core.disk.MasterKeys;

/**
 * How a database with a data directory persists.
 *
 * @param fsync fsync the log before acknowledging a write (turn off only for tests and benchmarks)
 * @param snapshotLogBytes write a snapshot once the log holds this many bytes
 * @param walSegmentBytes size at which the log starts a new segment file
 * @param io writes and fsyncs of the log and snapshots ({@link FileIo#system()}; tests inject
 *     faults here)
 * @param masterKeys encryption at rest: new snapshots and log segments are encrypted under the
 *     current master key, files under any of the keys are read ({@link MasterKeys#none()}:
 *     plaintext, and an encrypted file is refused)
 */
public record DatabaseOptions(boolean fsync, long snapshotLogBytes, long walSegmentBytes,
    FileIo io, MasterKeys masterKeys) {
  public DatabaseOptions {
    java.util.Objects.requireNonNull(io, "io");
    java.util.Objects.requireNonNull(masterKeys, "masterKeys");
    if (snapshotLogBytes < 1) {
      throw new IllegalArgumentException("snapshotLogBytes must be >= 1, got " + snapshotLogBytes);
    }
    if (walSegmentBytes < 4096) {
      throw new IllegalArgumentException("walSegmentBytes must be >= 4096, got " + walSegmentBytes);
    }
  }

  /** Plaintext options. */
  public DatabaseOptions(boolean fsync, long snapshotLogBytes, long walSegmentBytes, FileIo io) {
    this(fsync, snapshotLogBytes, walSegmentBytes, io, MasterKeys.none());
  }

  /** Options on the real file system. */
  public DatabaseOptions(boolean fsync, long snapshotLogBytes, long walSegmentBytes) {
    this(fsync, snapshotLogBytes, walSegmentBytes, FileIo.system());
  }

  /** fsync on, snapshot every 256 MiB of log, 64 MiB log segments. */
  public static DatabaseOptions defaults() {
    return new DatabaseOptions(true, 256L << 20, 64L << 20);
  }

  public DatabaseOptions withFsync(boolean fsync) {
    return new DatabaseOptions(fsync, snapshotLogBytes, walSegmentBytes, io, masterKeys);
  }

  public DatabaseOptions withSnapshotLogBytes(long bytes) {
    return new DatabaseOptions(fsync, bytes, walSegmentBytes, io, masterKeys);
  }

  /** A copy whose log and snapshot writes and fsyncs go through {@code io}. */
  public DatabaseOptions withFileIo(FileIo io) {
    return new DatabaseOptions(fsync, snapshotLogBytes, walSegmentBytes, io, masterKeys);
  }

  /**
   * A copy that encrypts at rest under {@code keys} ({@link MasterKeys#load}). A plaintext
   * directory opened with a key is migrated: the log continues in a new encrypted segment and a
   * snapshot under the key is written at once, after which the plaintext files are removed.
   */
  public DatabaseOptions withMasterKeys(MasterKeys keys) {
    return new DatabaseOptions(fsync, snapshotLogBytes, walSegmentBytes, io, keys);
  }
}
