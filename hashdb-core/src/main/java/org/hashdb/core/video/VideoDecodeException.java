package org.hashdb.core.video;

import java.io.IOException;

/**
 * A video could not be hashed: FFmpeg is missing, the content does not decode, or a time, frame or
 * memory bound was reached. The file is then not checked, which callers must report as such and
 * never as clean.
 */
public class VideoDecodeException extends IOException {
  private static final long serialVersionUID = 1L;

  public VideoDecodeException(String message) {
    super(message);
  }

  public VideoDecodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
