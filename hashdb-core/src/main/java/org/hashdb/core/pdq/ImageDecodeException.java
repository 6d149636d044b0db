package org.hashdb.core.pdq;

import java.io.IOException;

/**
 * The bytes are not an image this build can decode: unknown format, corrupt or truncated data,
 * or more pixels than the configured cap. The message says which.
 */
public final class ImageDecodeException extends IOException {
  private static final long serialVersionUID = 1L;

  public ImageDecodeException(String message) {
    super(message);
  }

  public ImageDecodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
