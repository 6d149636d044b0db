package org.hashdb.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.pdq.PdqBits;
import org.hashdb.core.db.DatabaseStats;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.ListFilter;
import org.hashdb.core.db.NewEntry;
import org.hashdb.core.db.VideoHit;
import org.hashdb.core.video.VpdqFrames;
import org.hashdb.core.video.VpdqMatchOptions;

/**
 * Video lookups per second against many stored videos: {@code videos} synthetic videos of 600
 * frames (a 10-minute video at one frame per second) made of scenes (a random PDQ hash per scene,
 * each frame of it a few bits away, as consecutive frames of one shot are), queried with 600-frame
 * videos at vPDQ's defaults: noisy copies of stored videos (each frame 0-12 bits away: every one
 * must match) and unrelated videos (none may). Prints the frame index's bytes per frame.
 *
 * <pre>
 * java -Xmx8g -cp benchmarks/target/benchmarks.jar org.hashdb.bench.VideoLookupReport [videos] [queries] [rounds]
 * </pre>
 */
public final class VideoLookupReport {
  static final int FRAMES = 600;
  static final int SCENE = 10; // frames per scene

  private VideoLookupReport() {}

  static byte[] video(SplittableRandom rnd) {
    byte[] out = new byte[FRAMES * 32];
    byte[] scene = new byte[32];
    for (int i = 0; i < FRAMES; i++) {
      if (i % SCENE == 0) {
        rnd.nextBytes(scene);
      }
      byte[] f = scene.clone();
      PdqBits.flipDistinctBits(f, 4 + rnd.nextInt(12), new java.util.Random(rnd.nextLong()));
      System.arraycopy(f, 0, out, i * 32, 32);
    }
    return out;
  }

  static byte[] noisyCopy(byte[] frames, SplittableRandom rnd) {
    byte[] out = frames.clone();
    java.util.Random r = new java.util.Random(rnd.nextLong());
    for (int i = 0; i < out.length / 32; i++) {
      byte[] f = Arrays.copyOfRange(out, i * 32, i * 32 + 32);
      PdqBits.flipDistinctBits(f, r.nextInt(13), r);
      System.arraycopy(f, 0, out, i * 32, 32);
    }
    return out;
  }

  public static void main(String[] args) throws Exception {
    int videos = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int queries = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    SplittableRandom rnd = new SplittableRandom(20261203L);
    HashDatabase db = HashDatabase.inMemory();
    long t0 = System.nanoTime();
    List<byte[]> sampled = new ArrayList<>(); // stored videos the copies are made from
    List<NewEntry> batch = new ArrayList<>();
    for (int v = 0; v < videos; v++) {
      byte[] f = video(rnd);
      if (sampled.size() < queries && v % Math.max(1, videos / queries) == 0) {
        sampled.add(f);
      }
      batch.add(NewEntry.video(f, "known", "", ""));
      if (batch.size() == 500) {
        db.add(batch);
        batch.clear();
      }
    }
    db.add(batch);
    DatabaseStats.TypeStats st = db.stats().types().get(HashType.VPDQ);
    System.out.printf(Locale.ROOT, "%d videos, %d frames stored in %.1f s; vpdq index %d bytes ="
        + " %.1f bytes per frame (frame MIH index, frame-to-video column, video digests); heap used %.2f GB%n",
        videos, st.frames(), (System.nanoTime() - t0) / 1e9, st.indexBytes(), st.indexBytesPerFrame(),
        (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1e9);
    List<byte[]> copies = new ArrayList<>();
    List<byte[]> unrelated = new ArrayList<>();
    for (byte[] s : sampled) {
      copies.add(VpdqFrames.canonical(noisyCopy(s, rnd)));
      unrelated.add(VpdqFrames.canonical(video(rnd)));
    }
    VpdqMatchOptions opt = VpdqMatchOptions.defaults();
    double[] sum = new double[2];
    for (int r = 0; r < rounds; r++) {
      long a = System.nanoTime();
      for (byte[] q : copies) {
        List<VideoHit> m = db.searchVideo(q, opt, ListFilter.all());
        if (m.isEmpty()) {
          throw new IllegalStateException("a noisy copy did not match");
        }
      }
      long b = System.nanoTime();
      for (byte[] q : unrelated) {
        if (!db.searchVideo(q, opt, ListFilter.all()).isEmpty()) {
          throw new IllegalStateException("an unrelated video matched");
        }
      }
      long c = System.nanoTime();
      double hitRate = copies.size() / ((b - a) / 1e9);
      double missRate = unrelated.size() / ((c - b) / 1e9);
      System.out.printf(Locale.ROOT, "round %d: matching copies %.1f lookups/s (%.2f ms each),"
          + " unrelated %.1f lookups/s (%.2f ms each)%n", r, hitRate, 1000 / hitRate, missRate, 1000 / missRate);
      if (r > 0) {
        sum[0] += (b - a) / 1e9 / copies.size();
        sum[1] += (c - b) / 1e9 / unrelated.size();
      }
    }
    System.out.printf(Locale.ROOT, "mean of rounds 1..%d: matching copies %.1f lookups/s, unrelated"
        + " %.1f lookups/s (600-frame queries, one thread)%n", rounds - 1, (rounds - 1) / sum[0],
        (rounds - 1) / sum[1]);
  }
}
