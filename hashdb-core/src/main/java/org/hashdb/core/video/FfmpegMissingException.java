package org.hashdb.core.video;

/** FFmpeg (the {@code ffmpeg} and {@code ffprobe} programs) is not installed or not on the PATH. */
public final class FfmpegMissingException extends VideoDecodeException {
  private static final long serialVersionUID = 1L;

  public FfmpegMissingException(String message) {
    super(message);
  }
}
