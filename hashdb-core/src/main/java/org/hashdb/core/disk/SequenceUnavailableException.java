package org.hashdb.core.disk;

import java.io.IOException;

/**
 * A change-feed read asked for records the log no longer holds (their segments were deleted
 * after a snapshot). The reader must load a snapshot and continue from its sequence.
 */
public final class SequenceUnavailableException extends IOException {
  private static final long serialVersionUID = 1L;

  private final long requested;
  private final long firstAvailable;

  public SequenceUnavailableException(long requested, long firstAvailable) {
    super(
        "sequence "
            + requested
            + " is no longer in the log (oldest available: "
            + firstAvailable
            + "); load a snapshot first");
    this.requested = requested;
    this.firstAvailable = firstAvailable;
  }

  public long requested() {
    return requested;
  }

  public long firstAvailable() {
    return firstAvailable;
  }
}
