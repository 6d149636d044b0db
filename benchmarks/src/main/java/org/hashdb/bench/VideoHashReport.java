package org.hashdb.bench;

import java.nio.file.Path;
import java.util.Locale;
import org.hashdb.core.video.VideoHasher;

/**
 * Frames hashed per second, FFmpeg decoding included, against FFmpeg decoding the same frames
 * alone (the floor: the same child process and pipe, frames read and dropped). Alternating rounds
 * in one JVM, so both see the same machine load; the ratio is what carries over to other hosts.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.hashdb.bench.VideoHashReport VIDEO [secondsPerHash] [rounds]
 * </pre>
 * (benchmarks/video-hash-vs-ffmpeg.sh makes a test video and runs this.)
 */
public final class VideoHashReport {
  private VideoHashReport() {}

  public static void main(String[] args) throws Exception {
    Path video = Path.of(args[0]);
    double secondsPerHash = args.length > 1 ? Double.parseDouble(args[1]) : 0;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    VideoHasher hasher = new VideoHasher(VideoHasher.Options.defaults().withSecondsPerHash(secondsPerHash));
    double[] sum = new double[2];
    int frames = 0;
    for (int r = 0; r < rounds; r++) {
      long t0 = System.nanoTime();
      int decoded = hasher.decodeOnly(video);
      long t1 = System.nanoTime();
      frames = hasher.hash(video).size();
      long t2 = System.nanoTime();
      if (decoded != frames) {
        throw new IllegalStateException("decoded " + decoded + " frames but hashed " + frames);
      }
      double decodeFps = frames / ((t1 - t0) / 1e9);
      double hashFps = frames / ((t2 - t1) / 1e9);
      System.out.printf(Locale.ROOT, "round %d: %d frames; ffmpeg decode only %.0f frames/s;"
          + " decode + PDQ %.0f frames/s (%.2fx the floor's time)%n", r, frames, decodeFps, hashFps,
          decodeFps / hashFps);
      if (r > 0) { // round 0 warms up the JIT and the page cache
        sum[0] += (t1 - t0) / 1e9;
        sum[1] += (t2 - t1) / 1e9;
      }
    }
    int n = rounds - 1;
    System.out.printf(Locale.ROOT, "mean of rounds 1..%d: decode only %.0f frames/s, decode + hash"
        + " %.0f frames/s; hashing costs %.2fx the decode floor%n", n, frames * n / sum[0],
        frames * n / sum[1], sum[1] / sum[0]);
  }
}
