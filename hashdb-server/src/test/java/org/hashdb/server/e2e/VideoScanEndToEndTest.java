package org.hashdb.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hashdb.client.EmbeddedHashDb;
import org.hashdb.client.VideoMatch;
import org.hashdb.core.db.ListFilter;
import org.hashdb.core.video.VpdqComparison;
import org.hashdb.core.video.VpdqFrame;
import org.hashdb.core.video.VpdqFrames;
import org.hashdb.core.video.VpdqText;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The video commands end to end, in-process: {@code hash --vpdq} a synthetic clip, {@code import
 * --format vpdq} it, then {@code scan} a tree with re-encoded, resized, watermarked and trimmed
 * copies (under misleading names) among unrelated videos and files: exactly the copies are
 * reported. Meta's sample vPDQ files import (as files and as CSV rows) and match with the
 * brute-force percentages.
 */
class VideoScanEndToEndTest {
  private static final Path SAMPLES = Path.of("../hashdb-core/src/test/resources/vpdq");
  private static final String[] SAMPLE_FILES = {
      "chair-19-sd-bar.txt", "chair-22-sd-sepia-bar.txt", "chair-22-with-large-logo-bar.txt"};

  @TempDir Path tmp;

  /** The real {@code hashdb} command line, in-process: exit code, stdout, stderr. */
  record CliRun(int exit, String out, String err) {
    static CliRun run(String... args) {
      picocli.CommandLine cl = org.hashdb.server.cli.HashDbCommand.commandLine();
      java.io.StringWriter out = new java.io.StringWriter();
      java.io.StringWriter err = new java.io.StringWriter();
      cl.setOut(new java.io.PrintWriter(out, true));
      cl.setErr(new java.io.PrintWriter(err, true));
      return new CliRun(cl.execute(args), out.toString(), err.toString());
    }
  }

  static void ffmpeg(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-y"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0).as(out).isTrue();
  }

  static void source(Path out, String lavfi, int seconds) throws Exception {
    ffmpeg("-f", "lavfi", "-i", lavfi, "-t", Integer.toString(seconds), "-c:v", "libx264", "-preset",
        "veryfast", "-b:v", "400k", "-pix_fmt", "yuv420p", out.toString());
  }

  static void derive(Path in, Path out, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("-i", in.toString()));
    cmd.addAll(List.of(args));
    cmd.add(out.toString());
    ffmpeg(cmd.toArray(String[]::new));
  }

  @Test
  @Tag("slow") // about a minute on a loaded 2-core machine: 9 encodes and 8 decodes
  void scan_reportsEachPlantedCopyOfAListedVideo_andNothingElse() throws Exception {
    Path original = tmp.resolve("original.mp4");
    source(original, "testsrc2=size=320x240:rate=25", 8);
    CliRun hashed = CliRun.run("hash", "--vpdq", original.toString());
    assertThat(hashed.exit()).as(hashed.err()).isZero();
    List<VpdqFrame> frames = VpdqText.read(new java.io.StringReader(hashed.out()));
    assertThat(frames).hasSize(8);
    Path vpdq = Files.writeString(tmp.resolve("original.txt"), hashed.out());
    Path data = tmp.resolve("data");
    CliRun imported = CliRun.run("import", "--data", data.toString(), "--list", "known", "--format", "vpdq",
        vpdq.toString());
    assertThat(imported.exit()).as(imported.err()).isZero();
    assertThat(imported.out()).contains("added 1");

    Path tree = tmp.resolve("tree");
    Files.createDirectories(tree.resolve("sub"));
    Path reencoded = tree.resolve("holiday.dat");
    derive(original, reencoded, "-c:v", "libvpx", "-b:v", "150k", "-f", "webm");
    Path resized = tree.resolve("sub/notes");
    derive(original, resized, "-vf", "scale=160:120", "-c:v", "mpeg4", "-f", "matroska");
    Path text = tree.resolve("sub/text.bin");
    derive(original, text, "-vf", "drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
        + ":text='SAMPLE':x=10:y=10:fontsize=24:fontcolor=white@0.5", "-c:v", "libx264", "-preset", "veryfast",
        "-f", "mp4");
    Path box = tree.resolve("box.mov");
    derive(original, box, "-vf", "drawbox=x=10:y=10:w=120:h=40:color=black@0.3:t=fill", "-c:v", "libx264",
        "-preset", "veryfast");
    Path trimmed = tree.resolve("clip.mp4");
    derive(original, trimmed, "-ss", "2", "-t", "4", "-c:v", "libx264", "-preset", "veryfast");
    source(tree.resolve("fractal.mp4"), "mandelbrot=size=320x240:rate=25", 4);
    source(tree.resolve("sub/life.mkv"), "life=size=320x240:rate=25:mold=10:ratio=0.1", 4);
    Files.writeString(tree.resolve("readme.txt"), "not a video");

    Path report = tmp.resolve("report.json");
    CliRun scan = CliRun.run("scan", tree.toString(), "--data", data.toString(), "--report", report.toString(),
        "--threads", "2", "--progress", "never");
    assertThat(scan.exit()).as(scan.out() + scan.err()).isEqualTo(1);
    String json = Files.readString(report);
    Set<String> reported = new java.util.TreeSet<>();
    Matcher m = Pattern.compile("\"path\" ?: ?\"([^\"]+)\"").matcher(json);
    int matchesSection = json.indexOf("\"matches\"");
    int problemsSection = json.indexOf("\"problems\"");
    while (m.find()) {
      if (m.start() > matchesSection && m.start() < problemsSection) {
        reported.add(Path.of(m.group(1)).getFileName().toString());
      }
    }
    assertThat(reported).containsExactlyInAnyOrder("holiday.dat", "notes", "text.bin", "box.mov", "clip.mp4");
    assertThat(json).contains("\"rule\"").contains("\"excerpt\"");
    assertThat(scan.out()).contains("Errors: 0");

    CliRun stats = CliRun.run("stats", "--data", data.toString(), "--json");
    assertThat(stats.out()).contains("\"frames\":8");
  }

  @Test
  void sampleVpdqFiles_importAsFilesAndCsvRows_andMatchWithTheOraclesPercentages() throws Exception {
    Path data = tmp.resolve("data");
    List<String> args = new ArrayList<>(List.of("import", "--data", data.toString(), "--list", "meta",
        "--format", "vpdq"));
    Map<String, byte[]> canonical = new HashMap<>();
    for (String f : SAMPLE_FILES) {
      Path p = SAMPLES.resolve(f);
      assertThat(p).exists();
      args.add(p.toString());
      canonical.put(f, VpdqFrames.canonical(VpdqText.read(p), 50));
    }
    CliRun imported = CliRun.run(args.toArray(String[]::new));
    assertThat(imported.exit()).as(imported.err()).isZero();
    assertThat(imported.out()).contains("added 3");

    // The same files referenced from CSV rows (paths relative to the CSV) onto another list.
    Path dir = Files.createDirectories(tmp.resolve("csv"));
    StringBuilder csv = new StringBuilder("type,hash,category,source\n");
    for (String f : SAMPLE_FILES) {
      Files.copy(SAMPLES.resolve(f), dir.resolve(f));
      csv.append("vpdq,").append(f).append(",sample,meta\n");
    }
    Path list = Files.writeString(dir.resolve("videos.csv"), csv);
    CliRun rows = CliRun.run("import", "--data", data.toString(), "--list", "csv", list.toString());
    assertThat(rows.exit()).as(rows.err()).isZero();
    assertThat(rows.out()).contains("added 3");

    try (EmbeddedHashDb db = EmbeddedHashDb.open(data, ListFilter.of(List.of("meta")))) {
      for (String q : SAMPLE_FILES) {
        List<VpdqFrame> query = VpdqText.read(SAMPLES.resolve(q));
        List<VideoMatch> found = db.lookupVideo(query, new org.hashdb.core.video.VpdqMatchOptions(31, 50, 0, 0, false, 100));
        assertThat(found).hasSize(3);
        for (VideoMatch vm : found) {
          String stored = sourceOf(db, vm);
          VpdqComparison oracle = VpdqComparison.bruteForce(canonical.get(q), canonical.get(stored), 31);
          assertThat(vm.queryPercent()).as(q + " vs " + stored).isEqualTo(oracle.queryPercent());
          assertThat(vm.storedPercent()).as(q + " vs " + stored).isEqualTo(oracle.storedPercent());
        }
      }
    }
  }

  /** The sample file a match names: the import used each file's name as the entry's source. */
  private static String sourceOf(EmbeddedHashDb db, VideoMatch m) throws IOException {
    for (String f : SAMPLE_FILES) {
      byte[] c = VpdqFrames.canonical(VpdqText.read(SAMPLES.resolve(f)), 50);
      List<org.hashdb.client.LookupResult> r = db.lookupAll(List.of(
          org.hashdb.client.Query.of(org.hashdb.core.hash.HashType.VPDQ, VpdqFrames.digest(c))));
      if (r.get(0).match() && r.get(0).matches().get(0).entry().equals(m.entry())) {
        return f;
      }
    }
    throw new AssertionError("no sample file is entry " + m.entry());
  }

  @Test
  void checkFile_decodesAVideoAndReportsItsMatches_otherFilesGetNoVideoPart() throws Exception {
    Path original = tmp.resolve("o.mp4");
    source(original, "testsrc2=size=320x240:rate=25", 3);
    Path resized = tmp.resolve("resized.bin");
    derive(original, resized, "-vf", "scale=160:120", "-c:v", "mpeg4", "-f", "matroska");
    org.hashdb.core.db.HashDatabase db = org.hashdb.core.db.HashDatabase.inMemory();
    List<VpdqFrame> frames = new org.hashdb.core.video.VideoHasher().hash(original);
    db.add(List.of(org.hashdb.core.db.NewEntry.video(VpdqFrames.canonical(frames, 50), "known", "V", "")));
    try (EmbeddedHashDb lookup = EmbeddedHashDb.wrap(db, ListFilter.all())) {
      org.hashdb.client.ContentCheck check = lookup.checkFile(resized);
      assertThat(check.video()).isNotNull();
      assertThat(check.video().frames()).hasSize(3);
      assertThat(check.video().matches()).singleElement()
          .satisfies(m -> assertThat(m.rule()).isEqualTo("vpdq"))
          .satisfies(m -> assertThat(m.list()).isEqualTo("known"));
      assertThat(check.match()).isTrue();
      Path text = Files.writeString(tmp.resolve("t.mp4"), "not a video");
      org.hashdb.client.ContentCheck plain = lookup.checkFile(text);
      assertThat(plain.video()).isNull();
      assertThat(plain.match()).isFalse();
    }
  }

  @Test
  void badVpdqFile_importsNothing() throws Exception {
    Path good = SAMPLES.resolve(SAMPLE_FILES[0]);
    Path bad = Files.writeString(tmp.resolve("bad.txt"), "0,100,nothex,0.000\n");
    Path data = tmp.resolve("data");
    CliRun r = CliRun.run("import", "--data", data.toString(), "--list", "l", "--format", "vpdq",
        good.toString(), bad.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("bad.txt").contains("line 1").contains("nothing imported");
  }
}
