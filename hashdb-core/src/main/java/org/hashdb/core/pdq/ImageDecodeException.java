package org.hashdb.core.pdq;

import java.io.IOException;

/**
 * The bytes are not an image this build can decode: unknown format, corrupt or truncated data,
 * or more pixels than the configured cap. The message says which.
 */
public final class ImageDecodeException extends IOException {
  private static final long serialVersionUID = 1L;

  private final boolean overLimit;

  public ImageDecodeException(String message) {
    this(message, null, false);
  }

  public ImageDecodeException(String message, Throwable cause) {
    this(message, cause, false);
  }

  /**
   * @param overLimit true when a valid-looking image was refused for its size (pixels or decoded
   *     bytes) or the decoder ran out of memory, not for bad data: it was not checked, which a
   *     scan must not call clean
   */
  public ImageDecodeException(String message, Throwable cause, boolean overLimit) {
    super(message, cause);
    this.overLimit = overLimit;
  }

  /** True when the image was refused for its size (or exhausted memory) rather than for bad data. */
  public boolean overLimit() {
    return overLimit;
  }
}
