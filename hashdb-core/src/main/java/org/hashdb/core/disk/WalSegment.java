package org.hashdb.core.disk;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * One segment file of a {@link WriteAheadLog}: where its records start, how far it is written,
 * durable and vouched for (acked end), its sequence-to-offset checkpoints, and the data key of an
 * encrypted segment.
 */
final class WalSegment {
  /** Distance in bytes between entries of a segment's sequence-to-offset index. */
  static final long CHECKPOINT_BYTES = 1 << 20;

  final Path path;
  final long firstSequence;
  final int recordsStart; // header bytes: 32, or 20 in a version-1 segment
  final boolean hasAckedEnd; // version 2: the header carries the acked end
  final FileCipher cipher; // data key of an encrypted segment; null: plaintext
  WalRecordCipher encryptor; // the active encrypted segment this process created; under appendLock
  volatile long size; // bytes written; for the active segment grows with each append
  volatile long durableEnd; // bytes made durable by the last fsync
  long ackedEnd; // the acked end last written to the header; guarded by this
  long lastRecordOffset = -CHECKPOINT_BYTES; // active segment only, under appendLock
  final ConcurrentSkipListMap<Long, Long> checkpoints = new ConcurrentSkipListMap<>();

  WalSegment(Path path, SegmentScanner.Header header, long size) {
    this.path = path;
    this.firstSequence = header.firstSequence();
    this.recordsStart = header.recordsStart();
    this.hasAckedEnd = header.version() != WalFormat.VERSION_1;
    this.size = size;
    this.durableEnd = size;
    this.ackedEnd = header.ackedEnd();
    this.cipher = header.cipher();
  }

  void checkpoint(long sequence, long offset, long previousOffset) {
    if (offset / CHECKPOINT_BYTES != previousOffset / CHECKPOINT_BYTES) {
      checkpoints.put(sequence, offset);
    }
  }
}
