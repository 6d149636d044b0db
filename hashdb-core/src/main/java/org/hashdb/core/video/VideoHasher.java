package org.hashdb.core.video;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.hashdb.core.pdq.PdqHash;
import org.hashdb.core.pdq.PdqHasher;

/**
 * Hashes a video as vPDQ: FFmpeg decodes it in a child process and pipes raw RGB frames, one every
 * {@link Options#secondsPerHash()} seconds, to this JVM, which PDQ-hashes each with {@link
 * PdqHasher}. As in Meta's vPDQ, the sampled frames are decoded frames {@code 0, k, 2k, ...} with
 * {@code k = round(fps * secondsPerHash)} (every frame when secondsPerHash is 0), each recorded
 * with its frame number and timestamp {@code frame_number / fps}.
 *
 * <p>The child is bounded: a wall-clock timeout (then it is killed), a cap on sampled frames, a
 * cap on its address space through {@code prlimit} when that tool is present, one decoding thread
 * per child, and frames larger than {@link Options#maxDimension()} are scaled down by FFmpeg
 * before they are piped. The JVM holds one frame at a time.
 *
 * <p>Thread-safe: each call starts its own process.
 */
public final class VideoHasher {
  /** Environment variable naming the ffmpeg program (ffprobe is looked up beside it). */
  public static final String FFMPEG_ENV = "HASHDB_FFMPEG";

  private static final int STDERR_KEEP = 2048;

  /**
   * Decoding bounds and sampling.
   *
   * @param secondsPerHash seconds between hashed frames (vPDQ default 1; 0 = every frame)
   * @param maxDimension longer side of the frames handed to PDQ; larger frames are scaled down
   * @param timeout wall-clock limit per video (decode and hash)
   * @param maxFrames most frames hashed per video; a longer video is an error (not checked)
   * @param memoryBytes address-space limit of the FFmpeg child (when {@code prlimit} exists)
   */
  public record Options(double secondsPerHash, int maxDimension, Duration timeout, int maxFrames,
      long memoryBytes) {
    public Options {
      if (!(secondsPerHash >= 0) || secondsPerHash > 3600) {
        throw new IllegalArgumentException("secondsPerHash must be in 0..3600, got " + secondsPerHash);
      }
      if (maxDimension < 16 || maxDimension > 8192) {
        throw new IllegalArgumentException("maxDimension must be in 16..8192, got " + maxDimension);
      }
      Objects.requireNonNull(timeout, "timeout");
      if (maxFrames < 1 || maxFrames > VpdqText.MAX_FRAMES) {
        throw new IllegalArgumentException("maxFrames must be in 1.." + VpdqText.MAX_FRAMES);
      }
      if (memoryBytes < (64L << 20)) {
        throw new IllegalArgumentException("memoryBytes must be at least 64 MiB");
      }
    }

    /** 1 frame per second, frames up to 1024 px, 10 minutes, 86,400 frames, 2 GiB. */
    public static Options defaults() {
      return new Options(1.0, 1024, Duration.ofMinutes(10), VpdqText.MAX_FRAMES, 2L << 30);
    }

    public Options withSecondsPerHash(double s) {
      return new Options(s, maxDimension, timeout, maxFrames, memoryBytes);
    }

    public Options withTimeout(Duration t) {
      return new Options(secondsPerHash, maxDimension, t, maxFrames, memoryBytes);
    }
  }

  private final Path ffmpeg; // null when missing
  private final Path ffprobe;
  private final Path prlimit;
  private final Options options;
  private final PdqHasher pdq = new PdqHasher();

  /** Finds FFmpeg on the PATH (or through {@value #FFMPEG_ENV}); default options. */
  public VideoHasher() {
    this(Options.defaults());
  }

  public VideoHasher(Options options) {
    this(locateFfmpeg(), options);
  }

  /** With an explicit ffmpeg program ({@code null}: missing; ffprobe must sit beside it). */
  public VideoHasher(Path ffmpeg, Options options) {
    this.options = Objects.requireNonNull(options, "options");
    Path probe = ffmpeg == null ? null : ffmpeg.resolveSibling("ffprobe");
    boolean ok = ffmpeg != null && Files.isExecutable(ffmpeg) && Files.isExecutable(probe);
    this.ffmpeg = ok ? ffmpeg : null;
    this.ffprobe = ok ? probe : null;
    this.prlimit = onPath("prlimit");
  }

  public Options options() {
    return options;
  }

  /** True when ffmpeg and ffprobe were found. */
  public boolean available() {
    return ffmpeg != null;
  }

  /** ffmpeg from {@value #FFMPEG_ENV}, else the PATH; null when absent. */
  public static Path locateFfmpeg() {
    String env = System.getenv(FFMPEG_ENV);
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return onPath("ffmpeg");
  }

  private static Path onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path p = Path.of(dir, program);
        if (Files.isExecutable(p)) {
          return p;
        }
      }
    }
    return null;
  }

  /** Video stream properties reported by ffprobe. */
  record Probe(int width, int height, double fps) {}

  /**
   * Decodes and hashes {@code video}.
   *
   * @throws FfmpegMissingException FFmpeg is not installed
   * @throws VideoDecodeException no video stream, undecodable content, or a bound reached
   * @throws IOException the file cannot be read
   */
  public List<VpdqFrame> hash(Path video) throws IOException {
    List<VpdqFrame> out = new ArrayList<>();
    hash(video, out::add);
    return out;
  }

  /** Receives frames as they are hashed. */
  @FunctionalInterface
  public interface FrameSink {
    void accept(VpdqFrame frame) throws IOException;
  }

  /** {@link #hash(Path)} streaming each frame to {@code sink}; returns the number of frames. */
  public int hash(Path video, FrameSink sink) throws IOException {
    return decode(video, Objects.requireNonNull(sink, "sink"));
  }

  /** Decodes the sampled frames; hashes them into {@code sink} unless it is null. */
  private int decode(Path video, FrameSink sink) throws IOException {
    if (ffmpeg == null) {
      throw new FfmpegMissingException("ffmpeg/ffprobe not found on the PATH (install FFmpeg, or set "
          + FFMPEG_ENV + ")");
    }
    if (!Files.isRegularFile(video)) {
      throw new java.nio.file.NoSuchFileException(video.toString());
    }
    long deadline = System.nanoTime() + options.timeout().toNanos();
    Probe p = probe(video, deadline);
    int k = options.secondsPerHash() == 0 ? 1
        : (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round(p.fps() * options.secondsPerHash())));
    double scale = Math.min(1.0, (double) options.maxDimension() / Math.max(p.width(), p.height()));
    int w = Math.max(1, (int) Math.round(p.width() * scale));
    int h = Math.max(1, (int) Math.round(p.height() * scale));
    List<String> cmd = bounded(List.of(ffmpeg.toString(), "-nostdin", "-hide_banner", "-v", "error",
        "-threads", "1", "-noautorotate", "-i", video.toString(), "-map", "0:v:0", "-an", "-sn",
        "-vf", "select=not(mod(n\\," + k + ")),scale=" + w + ":" + h + ":flags=area",
        // passthrough: only the selected frames, none duplicated to keep a constant rate
        // (-vsync rather than -fps_mode: FFmpeg 4.x has only the former, 5.x-7.x accept both)
        "-vsync", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"));
    Process proc = start(cmd);
    StderrTail err = new StderrTail(proc.getErrorStream());
    Watchdog dog = new Watchdog(proc, deadline);
    byte[] buf = new byte[w * h * 3];
    BufferedImage image = rgbImage(buf, w, h);
    int count = 0;
    try (InputStream in = proc.getInputStream()) {
      while (true) {
        int n = readFully(in, buf);
        if (n == 0) {
          break;
        }
        if (n < buf.length) {
          throw new VideoDecodeException("ffmpeg ended in the middle of a frame");
        }
        if (count >= options.maxFrames()) {
          throw new VideoDecodeException("more than " + options.maxFrames() + " sampled frames");
        }
        long frameNo = (long) count * k;
        if (frameNo > Integer.MAX_VALUE) {
          throw new VideoDecodeException("frame number out of range");
        }
        count++;
        if (sink == null) {
          continue;
        }
        PdqHash hsh = pdq.hash(image);
        double seconds = p.fps() > 0 ? frameNo / p.fps() : 0; // a tiny declared rate: capped
        sink.accept(new VpdqFrame((int) frameNo, hsh.quality(), hsh.hash(),
            Math.min(seconds, VpdqFrame.MAX_TIMESTAMP_SECONDS)));
      }
      int rc = waitFor(proc, deadline);
      if (dog.fired()) {
        throw new VideoDecodeException("decoding took longer than " + options.timeout().toSeconds() + " s");
      }
      if (rc != 0) {
        throw new VideoDecodeException("ffmpeg failed (exit " + rc + "): " + err.text());
      }
      if (count == 0) {
        throw new VideoDecodeException("no frame decoded: " + err.text());
      }
      return count;
    } catch (IOException e) {
      if (dog.fired() && !(e instanceof VideoDecodeException)) {
        throw new VideoDecodeException("decoding took longer than " + options.timeout().toSeconds() + " s");
      }
      throw e;
    } finally {
      dog.cancel();
      proc.destroyForcibly();
    }
  }

  /** Decodes the sampled frames without hashing them (the floor for benchmarks); returns the count. */
  public int decodeOnly(Path video) throws IOException {
    return decode(video, null);
  }

  Probe probe(Path video, long deadline) throws IOException {
    Process proc = start(bounded(List.of(ffprobe.toString(), "-v", "error", "-select_streams", "v:0",
        "-show_entries", "stream=width,height,avg_frame_rate,r_frame_rate", "-of", "default=nw=1",
        video.toString())));
    StderrTail err = new StderrTail(proc.getErrorStream());
    Watchdog dog = new Watchdog(proc, deadline);
    String text;
    try (InputStream in = proc.getInputStream()) {
      text = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
      int rc = waitFor(proc, deadline);
      if (dog.fired()) {
        throw new VideoDecodeException("probing took longer than the time limit");
      }
      if (rc != 0) {
        throw new VideoDecodeException("not a decodable video: " + err.text());
      }
    } catch (IOException e) {
      if (dog.fired() && !(e instanceof VideoDecodeException)) {
        throw new VideoDecodeException("probing took longer than the time limit", e);
      }
      throw e;
    } finally {
      dog.cancel();
      proc.destroyForcibly();
    }
    int width = 0;
    int height = 0;
    double avg = 0;
    double r = 0;
    for (String line : text.split("\n")) {
      String[] kv = line.strip().split("=", 2);
      if (kv.length != 2) {
        continue;
      }
      switch (kv[0]) {
        case "width" -> width = parseInt(kv[1]);
        case "height" -> height = parseInt(kv[1]);
        case "avg_frame_rate" -> avg = rate(kv[1]);
        case "r_frame_rate" -> r = rate(kv[1]);
        default -> { }
      }
    }
    if (width <= 0 || height <= 0) {
      throw new VideoDecodeException("no video stream");
    }
    if ((long) width * height > 100_000_000L) {
      throw new VideoDecodeException("video frames of " + width + "x" + height + " exceed 100 megapixels");
    }
    double fps = avg > 0 ? avg : r;
    return new Probe(width, height, fps > 0 && fps < 10_000 ? fps : 25);
  }

  private static int parseInt(String s) {
    try {
      return Integer.parseInt(s.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static double rate(String s) {
    String[] nd = s.strip().split("/");
    try {
      double n = Double.parseDouble(nd[0]);
      double d = nd.length > 1 ? Double.parseDouble(nd[1]) : 1;
      return d == 0 ? 0 : n / d;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private List<String> bounded(List<String> cmd) {
    if (prlimit == null) {
      return cmd;
    }
    List<String> out = new ArrayList<>(cmd.size() + 2);
    out.add(prlimit.toString());
    out.add("--as=" + options.memoryBytes());
    out.addAll(cmd);
    return out;
  }

  private static Process start(List<String> cmd) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    try {
      Process p = pb.start();
      p.getOutputStream().close(); // the child reads nothing from us
      return p;
    } catch (IOException e) {
      throw new FfmpegMissingException("cannot run " + cmd.get(0) + ": " + e.getMessage());
    }
  }

  private static int waitFor(Process p, long deadline) throws IOException {
    try {
      long left = Math.max(1, deadline - System.nanoTime());
      if (!p.waitFor(left, TimeUnit.NANOSECONDS)) {
        p.destroyForcibly();
        throw new VideoDecodeException("decoder did not finish in time");
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new java.io.InterruptedIOException("interrupted while decoding");
    }
  }

  private static int readFully(InputStream in, byte[] buf) throws IOException {
    int n = 0;
    while (n < buf.length) {
      int r = in.read(buf, n, buf.length - n);
      if (r < 0) {
        break;
      }
      n += r;
    }
    return n;
  }

  /** An sRGB image over {@code buf} (rgb24, row after row): PDQ reads the bytes directly. */
  static BufferedImage rgbImage(byte[] buf, int w, int h) {
    DataBufferByte data = new DataBufferByte(buf, buf.length);
    WritableRaster raster = Raster.createInterleavedRaster(data, w, h, w * 3, 3, new int[] {0, 1, 2}, null);
    ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB),
        false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
    return new BufferedImage(cm, raster, false, null);
  }

  /** Drains the child's stderr on a daemon thread, keeping its last bytes for error messages. */
  private static final class StderrTail {
    private final ByteArrayOutputStream tail = new ByteArrayOutputStream();
    private final Thread thread;

    StderrTail(InputStream err) {
      thread = new Thread(() -> {
        byte[] b = new byte[1024];
        try (err) {
          int r;
          while ((r = err.read(b)) > 0) {
            synchronized (tail) {
              if (tail.size() < STDERR_KEEP) {
                tail.write(b, 0, Math.min(r, STDERR_KEEP - tail.size()));
              }
            }
          }
        } catch (IOException ignored) {
          // the process ended
        }
      }, "ffmpeg-stderr");
      thread.setDaemon(true);
      thread.start();
    }

    String text() {
      try {
        thread.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      synchronized (tail) {
        String s = tail.toString(StandardCharsets.UTF_8).strip().replace('\n', ' ');
        return s.isEmpty() ? "(no message)" : s;
      }
    }
  }

  /** Kills the child at the deadline, so a stalled decoder cannot block a reader forever. */
  private static final class Watchdog {
    private static final java.util.concurrent.ScheduledExecutorService TIMER =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "ffmpeg-watchdog");
          t.setDaemon(true);
          return t;
        });
    private final java.util.concurrent.ScheduledFuture<?> task;
    private volatile boolean fired;

    Watchdog(Process p, long deadline) {
      task = TIMER.schedule(() -> {
        fired = true;
        p.destroyForcibly();
      }, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    boolean fired() {
      return fired;
    }

    void cancel() {
      task.cancel(false);
    }
  }
}
