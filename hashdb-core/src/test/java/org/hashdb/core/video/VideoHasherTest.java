package org.hashdb.core.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hashing real (synthetic) video with FFmpeg, and vPDQ matching of derived copies at the defaults. */
class VideoHasherTest {
  @TempDir static Path dir;
  static Path original;
  static byte[] originalFrames;
  static final VideoHasher HASHER = new VideoHasher();

  @BeforeAll
  static void makeOriginal() throws IOException {
    assertTrue(HASHER.available(), "FFmpeg is required (apt-get install ffmpeg)");
    original = SyntheticVideos.source(dir, "orig.mp4", "testsrc2=size=320x240:rate=25", 8);
    originalFrames = VpdqFrames.canonical(HASHER.hash(original), 50);
  }

  @Test
  void samplesOneFramePerSecond_withVpdqFrameNumbersAndTimestamps() throws IOException {
    List<VpdqFrame> frames = HASHER.hash(original);
    assertEquals(8, frames.size());
    for (int i = 0; i < frames.size(); i++) {
      assertEquals(25 * i, frames.get(i).frameNumber());
      assertEquals(i, frames.get(i).timestampSeconds(), 1e-9);
      assertTrue(frames.get(i).quality() >= 50);
    }
    List<VpdqFrame> every = new VideoHasher(VideoHasher.Options.defaults().withSecondsPerHash(0)).hash(original);
    assertEquals(200, every.size());
    assertEquals(0.04, every.get(1).timestampSeconds(), 1e-9);
    assertEquals(VpdqText.format(frames.get(3)), VpdqText.format(every.get(75)));
  }

  static VpdqComparison compare(Path copy) throws IOException {
    byte[] q = VpdqFrames.canonical(HASHER.hash(copy), 50);
    return VpdqComparison.bruteForce(q, originalFrames, VpdqMatchOptions.DEFAULT_MAX_DISTANCE);
  }

  @Test
  void derivedCopiesMatchTheOriginal_unrelatedVideosDoNot() throws IOException {
    Map<String, Path> copies = new LinkedHashMap<>();
    copies.put("re-encoded VP8 at 150 kbit/s", SyntheticVideos.derive(original, dir.resolve("re.webm"),
        "-c:v", "libvpx", "-b:v", "150k"));
    copies.put("resized MPEG-4 Part 2", SyntheticVideos.derive(original, dir.resolve("small.mkv"),
        "-vf", "scale=160:120", "-c:v", "mpeg4"));
    copies.put("semi-transparent text watermark", SyntheticVideos.derive(original, dir.resolve("text.mp4"),
        "-vf", SyntheticVideos.TEXT_WATERMARK, "-c:v", "libx264", "-preset", "veryfast"));
    copies.put("semi-transparent box watermark", SyntheticVideos.derive(original, dir.resolve("box.mp4"),
        "-vf", SyntheticVideos.BOX_WATERMARK, "-c:v", "libx264", "-preset", "veryfast"));
    copies.put("trimmed 2..6 s", SyntheticVideos.derive(original, dir.resolve("trim.mp4"),
        "-ss", "2", "-t", "4", "-c:v", "libx264", "-preset", "veryfast"));
    VpdqMatchOptions defaults = VpdqMatchOptions.defaults();
    for (Map.Entry<String, Path> c : copies.entrySet()) {
      VpdqComparison r = compare(c.getValue());
      assertNotNull(r.rule(defaults), c.getKey() + ": " + r);
    }
    for (String lavfi : List.of("mandelbrot=size=320x240:rate=25", "life=size=320x240:rate=25:mold=10:ratio=0.1",
        "smptehdbars=size=320x240:rate=25", "rgbtestsrc=size=320x240:rate=25")) {
      Path other = SyntheticVideos.source(dir, "other.mp4", lavfi, 4);
      VpdqComparison r = compare(other);
      assertEquals(null, r.rule(defaults), lavfi + ": " + r);
    }
  }

  @Test
  void notAVideo_isAnError() throws IOException {
    Path text = Files.writeString(dir.resolve("not-video.mp4"), "hello");
    assertThrows(VideoDecodeException.class, () -> HASHER.hash(text));
  }

  @Test
  void missingFfmpeg_isAnErrorNeverAnEmptyResult() {
    VideoHasher none = new VideoHasher(dir.resolve("no-such-ffmpeg"), VideoHasher.Options.defaults());
    assertFalse(none.available());
    assertThrows(FfmpegMissingException.class, () -> none.hash(original));
  }

  @Test
  void timeLimit_isAnError() {
    VideoHasher slow = new VideoHasher(VideoHasher.Options.defaults().withTimeout(Duration.ofMillis(1)));
    assertThrows(VideoDecodeException.class, () -> slow.hash(original));
  }

  @Test
  void magicBytes_recogniseContainersNotNames() throws IOException {
    assertTrue(VideoMagic.looksLikeVideo(original));
    assertTrue(VideoMagic.looksLikeVideo(SyntheticVideos.derive(original, dir.resolve("x.bin"),
        "-t", "1", "-c:v", "libvpx", "-f", "webm")));
    assertTrue(VideoMagic.looksLikeVideo(SyntheticVideos.derive(original, dir.resolve("y.dat"),
        "-t", "1", "-c:v", "mpeg2video", "-f", "mpegts")));
    assertFalse(VideoMagic.looksLikeVideo(Files.writeString(dir.resolve("nv.mp4"), "just text, called .mp4")));
  }
}
