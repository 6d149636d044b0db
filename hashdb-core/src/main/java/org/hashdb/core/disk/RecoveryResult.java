package org.hashdb.core.disk;

import java.nio.file.Path;

/**
 * What {@link WriteAheadLog#recover} found.
 *
 * @param lastSequence sequence of the last intact record in the log, or the {@code afterSequence}
 *     passed to recover if the log holds nothing newer; the log continues at {@code
 *     lastSequence + 1}
 * @param records number of records handed to the handler
 * @param tornFile the segment whose torn tail was cut off, or {@code null}
 * @param tornOffset byte offset in {@code tornFile} where the cut was made, or -1
 * @param tornBytes number of bytes cut off, or 0
 */
public record RecoveryResult(
    long lastSequence, long records, Path tornFile, long tornOffset, long tornBytes) {

  /** Whether a torn tail (an unacknowledged, partly written last record) was cut off. */
  public boolean torn() {
    return tornFile != null;
  }
}
