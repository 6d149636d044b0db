package org.hashdb.core.video;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes short test videos with FFmpeg's synthetic sources (testsrc2, mandelbrot, life...) and
 * derives copies from them (re-encoded, resized, watermarked, trimmed). FFmpeg must be installed
 * ({@code .ci/run} installs it).
 */
public final class SyntheticVideos {
  /** Semi-transparent white text in the top-left corner (DejaVu comes with FFmpeg's fontconfig). */
  public static final String TEXT_WATERMARK = "drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
      + ":text='SAMPLE':x=10:y=10:fontsize=24:fontcolor=white@0.5";
  /** A 30 %-opaque dark box over 6 % of a 320x240 frame. */
  public static final String BOX_WATERMARK = "drawbox=x=10:y=10:w=120:h=40:color=black@0.3:t=fill";

  private SyntheticVideos() {}

  /** A lavfi source, e.g. {@code testsrc2=size=320x240:rate=25}, for {@code seconds}, as H.264 MP4. */
  public static Path source(Path dir, String name, String lavfi, int seconds) throws IOException {
    Path out = dir.resolve(name);
    ffmpeg("-f", "lavfi", "-i", lavfi, "-t", Integer.toString(seconds), "-c:v", "libx264",
        "-preset", "veryfast", "-b:v", "400k", "-pix_fmt", "yuv420p", out.toString());
    return out;
  }

  /** {@code in} transformed: {@code args} go between input and output (filters, codec, trim). */
  public static Path derive(Path in, Path out, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("-i", in.toString()));
    cmd.addAll(List.of(args));
    cmd.add(out.toString());
    ffmpeg(cmd.toArray(String[]::new));
    return out;
  }

  /** Runs ffmpeg with {@code args}; fails with its message on a non-zero exit. */
  public static void ffmpeg(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-y"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException("ffmpeg " + String.join(" ", args) + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
