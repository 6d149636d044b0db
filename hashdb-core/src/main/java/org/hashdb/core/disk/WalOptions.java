package org.hashdb.core.disk;

/**
 * Settings of a {@link WriteAheadLog}.
 *
 * @param fsync whether {@link WriteAheadLog#sync} really calls fdatasync; {@code false} is only
 *     for tests and benchmarks, since an acknowledged change may then be lost on power failure
 * @param segmentBytes size after which the log starts a new segment file; a single larger record
 *     still fits (it gets a segment of its own)
 * @param io the writes and fsyncs ({@link FileIo#system()}; tests inject faults here)
 * @param keys master keys: new segments are encrypted under the current one (none: plaintext),
 *     segments written under any of them are read
 */
public record WalOptions(boolean fsync, long segmentBytes, FileIo io, MasterKeys keys) {
  /** Default segment size: 64 MiB, a few seconds of replay at most. */
  public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;

  /** Smallest accepted segment size (tests use tiny segments to exercise rolling). */
  public static final long MIN_SEGMENT_BYTES = 64;

  public WalOptions {
    java.util.Objects.requireNonNull(io, "io");
    java.util.Objects.requireNonNull(keys, "keys");
    if (segmentBytes < MIN_SEGMENT_BYTES) {
      throw new IllegalArgumentException(
          "segmentBytes must be >= " + MIN_SEGMENT_BYTES + ", got " + segmentBytes);
    }
  }

  /** Plaintext options. */
  public WalOptions(boolean fsync, long segmentBytes, FileIo io) {
    this(fsync, segmentBytes, io, MasterKeys.none());
  }

  /** Options on the real file system. */
  public WalOptions(boolean fsync, long segmentBytes) {
    this(fsync, segmentBytes, FileIo.system());
  }

  /** fsync on, 64 MiB segments. */
  public static WalOptions defaults() {
    return new WalOptions(true, DEFAULT_SEGMENT_BYTES);
  }

  /** A copy with another segment size. */
  public WalOptions withSegmentBytes(long bytes) {
    return new WalOptions(fsync, bytes, io, keys);
  }

  /** A copy with fsync switched on or off. */
  public WalOptions withFsync(boolean on) {
    return new WalOptions(on, segmentBytes, io, keys);
  }

  /** A copy whose writes and fsyncs go through {@code io}. */
  public WalOptions withFileIo(FileIo io) {
    return new WalOptions(fsync, segmentBytes, io, keys);
  }

  /** A copy that encrypts new segments under {@code keys} (and reads segments under them). */
  public WalOptions withMasterKeys(MasterKeys keys) {
    return new WalOptions(fsync, segmentBytes, io, keys);
  }
}
