package org.hashdb.client.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hashdb.client.EmbeddedHashDb;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.ListFilter;
import org.hashdb.core.db.NewEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hashdb.testing.TestRandom;

class TreeScannerTest {
  private static final Set<HashType> EXACT = Set.of(HashType.MD5, HashType.SHA1, HashType.SHA256);

  @TempDir Path tmp;
  private final Random random = TestRandom.random(1234);
  private final HashDatabase db = HashDatabase.inMemory();
  private final EmbeddedHashDb lookup = EmbeddedHashDb.wrap(db, ListFilter.all());
  private ReportWriter report = new ReportWriter();

  @AfterEach
  void close() throws IOException {
    lookup.close();
    db.close();
  }

  private Path file(Path p, int size) throws IOException {
    byte[] b = new byte[size];
    random.nextBytes(b);
    Files.createDirectories(p.getParent());
    Files.write(p, b);
    return p;
  }

  private void plant(HashType type, Path file) throws Exception {
    String alg = switch (type) {
      case MD5 -> "MD5";
      case SHA1 -> "SHA-1";
      case SHA256 -> "SHA-256";
      default -> throw new AssertionError(type);
    };
    byte[] h = MessageDigest.getInstance(alg).digest(Files.readAllBytes(file));
    db.add(List.of(new NewEntry(type, h, "test", "X", "unit")));
  }

  private ScanSummary scan(ScanOptions options) throws Exception {
    return scan(options, null);
  }

  private ScanSummary scan(ScanOptions options, HashCache cache) throws Exception {
    return new TreeScanner(options, lookup, report, cache).run();
  }

  private ScanOptions options(Path... roots) {
    return ScanOptions.of(List.of(roots)).withTypes(EXACT).withThreads(3).withBatchQueries(17);
  }

  private Set<String> matchedPaths() {
    Set<String> s = new HashSet<>();
    for (FileMatch m : report.matches()) {
      s.add(m.path().display());
    }
    return s;
  }

  @Test
  void run_treeWithPlantedFiles_reportsExactlyThePlanted() throws Exception {
    Set<String> planted = new HashSet<>();
    HashType[] types = {HashType.MD5, HashType.SHA1, HashType.SHA256};
    long bytes = 0;
    for (int i = 0; i < 120; i++) {
      int size = random.nextInt(5) == 0 ? 0 : random.nextInt(300_000);
      Path f = file(tmp.resolve("d" + (i % 7)).resolve("sub" + (i % 3)).resolve("f" + i + ".bin"), size);
      bytes += size;
      if (i % 11 == 0 && size > 0) {
        plant(types[i % 3], f);
        planted.add(f.toString());
      }
    }
    ScanSummary s = scan(options(tmp));
    assertThat(matchedPaths()).isEqualTo(planted);
    assertThat(s.files()).isEqualTo(120);
    assertThat(s.bytes()).isEqualTo(bytes);
    assertThat(s.hashedFiles()).isEqualTo(120);
    assertThat(s.matchedFiles()).isEqualTo(planted.size());
    assertThat(s.errors()).isZero();
    assertThat(s.exitCode()).isEqualTo(1);
    assertThat(report.matches()).allSatisfy(m -> {
      assertThat(m.match().list()).isEqualTo("test");
      assertThat(m.match().distance()).isZero();
      assertThat(m.size()).isEqualTo(Files.size(Path.of(m.path().display())));
    });
  }

  @Test
  void progress_afterRun_countsEveryByteReadOrCachedOnce() throws Exception {
    long bytes = 0;
    for (int i = 0; i < 30; i++) {
      bytes += Files.size(file(tmp.resolve("p/f" + i), random.nextInt(700_000)));
    }
    TreeScanner scanner = new TreeScanner(options(tmp.resolve("p")).withCountFirst(true), lookup, report, null);
    scanner.run();
    ScanProgress p = scanner.progress();
    assertThat(p.bytesDone()).isEqualTo(bytes);
    assertThat(p.filesDone()).isEqualTo(30);
    // The counting walk is stopped when the scan ends; when it finished first, its totals are exact.
    assertThat(p.totalBytes()).isLessThanOrEqualTo(bytes);
    if (p.totalKnown()) {
      assertThat(p.totalBytes()).isEqualTo(bytes);
      assertThat(p.totalFiles()).isEqualTo(30);
    }
  }

  @Test
  void run_cleanTree_exitsZero() throws Exception {
    file(tmp.resolve("a.bin"), 1000);
    ScanSummary s = scan(options(tmp));
    assertThat(s.exitCode()).isZero();
    assertThat(s.files()).isEqualTo(1);
  }

  @Test
  void run_missingRoot_isAnErrorAndExitsTwo() throws Exception {
    ScanSummary s = scan(options(tmp.resolve("nope")));
    assertThat(s.errors()).isEqualTo(1);
    assertThat(s.exitCode()).isEqualTo(2);
    assertThat(report.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("no such file"));
  }

  @Test
  void run_symlinkLoopFollowed_isReportedAndEachFileCheckedOnce() throws Exception {
    Path f = file(tmp.resolve("a/b/f.bin"), 500);
    plant(HashType.SHA256, f);
    Files.createSymbolicLink(tmp.resolve("a/b/loop"), tmp.resolve("a"));
    ScanSummary s = scan(options(tmp).withFollowSymlinks(true));
    assertThat(s.files()).isEqualTo(1);
    assertThat(report.problems()).anySatisfy(p -> assertThat(p.message()).contains("loop"));
    assertThat(s.errors()).isZero();
    assertThat(s.exitCode()).isEqualTo(1);
  }

  @Test
  void run_symlinksNotFollowed_areSkipped() throws Exception {
    Path outside = file(tmp.resolve("outside/secret.bin"), 300);
    plant(HashType.MD5, outside);
    Path root = Files.createDirectories(tmp.resolve("root"));
    file(root.resolve("x.bin"), 10);
    Files.createSymbolicLink(root.resolve("link.bin"), outside);
    Files.createSymbolicLink(root.resolve("dirlink"), outside.getParent());
    ScanSummary s = scan(options(root));
    assertThat(s.files()).isEqualTo(1);
    assertThat(s.skipped()).isEqualTo(2);
    assertThat(s.matches()).isZero();
    report = new ReportWriter();
    ScanSummary followed = scan(options(root).withFollowSymlinks(true));
    assertThat(followed.files()).isEqualTo(3);
    assertThat(followed.matchedFiles()).isEqualTo(2);
    report = new ReportWriter();
    ScanSummary named = scan(options(root.resolve("link.bin"))); // a root that is a link is followed
    assertThat(named.files()).isEqualTo(1);
    assertThat(named.matchedFiles()).isEqualTo(1);
  }

  @Test
  void run_fifoAndBrokenLink_areSkippedWithoutBlocking() throws Exception {
    file(tmp.resolve("ok.bin"), 100);
    Process p = new ProcessBuilder("mkfifo", tmp.resolve("pipe").toString()).start();
    assertThat(p.waitFor()).isZero();
    Files.createSymbolicLink(tmp.resolve("broken"), tmp.resolve("does-not-exist"));
    ScanSummary s = scan(options(tmp).withFollowSymlinks(true));
    assertThat(s.files()).isEqualTo(1);
    assertThat(s.skipped()).isEqualTo(2);
    assertThat(s.errors()).isZero();
  }

  @Test
  void run_excludeGlobs_skipFilesAndDirectories() throws Exception {
    Path kept = file(tmp.resolve("keep/a.bin"), 100);
    Path log = file(tmp.resolve("keep/b.log"), 100);
    Path inCache = file(tmp.resolve("cache/deep/c.bin"), 100);
    Path rel = file(tmp.resolve("keep/sub/d.bin"), 100);
    for (Path f : List.of(kept, log, inCache, rel)) {
      plant(HashType.SHA1, f);
    }
    ScanSummary s = scan(options(tmp).withExcludes(List.of("*.log", "cache", "keep/sub/**")));
    assertThat(matchedPaths()).containsExactly(kept.toString());
    assertThat(s.files()).isEqualTo(1);
  }

  @Test
  void run_nameNotValidUtf8_isReportedLosslessly() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("names"));
    // Java cannot spell this name as a String; the shell can.
    Process p = new ProcessBuilder("sh", "-c", "printf 'listed content' > \"$(printf 'bad\\377name.bin')\"")
        .directory(dir.toFile()).start();
    assertThat(p.waitFor()).isZero();
    byte[] sha = MessageDigest.getInstance("SHA-256").digest("listed content".getBytes(StandardCharsets.UTF_8));
    db.add(List.of(new NewEntry(HashType.SHA256, sha, "test", "", "")));
    ScanSummary s = scan(options(dir));
    assertThat(s.matchedFiles()).isEqualTo(1);
    FileMatch m = report.matches().get(0);
    assertThat(m.path().display()).endsWith("bad\\xffname.bin");
    assertThat(m.path().uri()).startsWith("file:/").endsWith("bad%FFname.bin");
    byte[] raw = ReportPath.percentDecode(java.net.URI.create(m.path().uri()).getRawPath());
    byte[] expected = (dir.toAbsolutePath() + "/bad").getBytes(StandardCharsets.UTF_8);
    assertThat(new String(raw, 0, expected.length, StandardCharsets.UTF_8)).isEqualTo(dir.toAbsolutePath() + "/bad");
    assertThat(raw[expected.length] & 0xff).isEqualTo(0xff);
  }

  @Test
  void run_featurelessPicture_pdqNotLookedUpBelowMinQuality() throws Exception {
    java.awt.image.BufferedImage flat = new java.awt.image.BufferedImage(200, 200, java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = flat.createGraphics();
    g.setColor(java.awt.Color.GRAY);
    g.fillRect(0, 0, 200, 200);
    g.dispose();
    Path png = tmp.resolve("flat.png");
    javax.imageio.ImageIO.write(flat, "png", png.toFile());
    org.hashdb.core.content.FileHashes h = new org.hashdb.core.content.FileHasher(Set.of(HashType.PDQ)).hash(png);
    assertThat(h.pdqQuality()).isLessThan(ScanOptions.DEFAULT_MIN_PDQ_QUALITY);
    db.add(List.of(new NewEntry(HashType.PDQ, h.pdq(), "test", "", "")));
    ScanOptions pdqOnly = options(png).withTypes(Set.of(HashType.PDQ));
    assertThat(scan(pdqOnly).matches()).isZero();
    assertThat(scan(pdqOnly.withMinPdqQuality(0)).matches()).isEqualTo(1);
  }

  @Test
  void run_largeSparseFile_isStreamedAndHashedCorrectly() throws Exception {
    Path big = tmp.resolve("big.img");
    long size = 96L << 20;
    try (RandomAccessFile raf = new RandomAccessFile(big.toFile(), "rw")) {
      raf.setLength(size);
    }
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    byte[] zeros = new byte[1 << 20];
    for (long i = 0; i < size; i += zeros.length) {
      md.update(zeros);
    }
    db.add(List.of(new NewEntry(HashType.SHA256, md.digest(), "test", "", "")));
    ScanSummary s = scan(options(big).withTypes(Set.of(HashType.SHA256)));
    assertThat(s.bytes()).isEqualTo(size);
    assertThat(matchedPaths()).containsExactly(big.toString());
  }

  @Test
  void run_fileGrowingWhileRead_isReportedAsChangedNotMatched() throws Exception {
    Path growing = file(tmp.resolve("growing.log"), 32 << 20);
    AtomicBoolean stop = new AtomicBoolean();
    Thread writer = new Thread(() -> {
      try (RandomAccessFile raf = new RandomAccessFile(growing.toFile(), "rw")) {
        while (!stop.get()) {
          raf.seek(raf.length());
          raf.write(new byte[64]);
          Thread.sleep(1);
        }
      } catch (IOException | InterruptedException e) {
        throw new RuntimeException(e);
      }
    });
    writer.start();
    try {
      ScanSummary s = scan(options(growing));
      assertThat(s.errors()).isEqualTo(1);
      assertThat(s.files()).isZero();
      assertThat(report.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("changed while being read"));
    } finally {
      stop.set(true);
      writer.join();
    }
  }

  @Test
  void run_withCache_rescanHashesOnlyChangedFiles() throws Exception {
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      files.add(file(tmp.resolve("tree/d" + (i % 4) + "/f" + i), 1000 + i));
    }
    plant(HashType.MD5, files.get(5));
    Path cacheFile = tmp.resolve("scan.cache");
    ScanOptions opts = options(tmp.resolve("tree")).withCacheFile(cacheFile);
    try (HashCache cache = HashCache.open(cacheFile)) {
      ScanSummary first = scan(opts, cache);
      assertThat(first.hashedFiles()).isEqualTo(40);
      cache.compactAndClose(opts.roots());
    }
    // change one file (new size), delete one, add one
    Files.write(files.get(7), new byte[3]);
    Files.delete(files.get(9));
    file(tmp.resolve("tree/new.bin"), 77);
    report = new ReportWriter();
    try (HashCache cache = HashCache.open(cacheFile)) {
      assertThat(cache.size()).isEqualTo(40);
      ScanSummary second = scan(opts, cache);
      assertThat(second.files()).isEqualTo(40);
      assertThat(second.hashedFiles()).isEqualTo(2);
      assertThat(second.cachedFiles()).isEqualTo(38);
      assertThat(matchedPaths()).containsExactly(files.get(5).toString()); // matches found from cached hashes too
      cache.compactAndClose(opts.roots());
      assertThat(cache.liveAfterCompaction()).isEqualTo(40);
    }
    // a scan asking for a subset of the cached types needs no hashing either
    try (HashCache cache = HashCache.open(cacheFile)) {
      ScanSummary third = scan(opts.withTypes(Set.of(HashType.SHA256)), cache);
      assertThat(third.cachedFiles()).isEqualTo(40);
      assertThat(third.hashedFiles()).isZero();
    }
  }

  @Test
  void run_withCache_fileSwappedForSameSizeWithMtimeRestored_isRehashed() throws Exception {
    assumeTrue(tmp.getFileSystem().supportedFileAttributeViews().contains("unix"),
        "no unix attribute view here: the cache compares size and mtime only (README)");
    Path target = file(tmp.resolve("tree/upload.bin"), 4096);
    Path listed = file(tmp.resolve("elsewhere/listed.bin"), 4096);
    plant(HashType.SHA256, listed);
    byte[] clean = Files.readAllBytes(target);
    FileTime mtime = Files.getLastModifiedTime(target);
    Path cacheFile = tmp.resolve("scan.cache");
    ScanOptions opts = options(tmp.resolve("tree")).withCacheFile(cacheFile);
    try (HashCache cache = HashCache.open(cacheFile)) {
      assertThat(scan(opts, cache).matchedFiles()).isZero();
    }
    // in place, as SFTP write + setstat does: same inode, same size, mtime put back
    swapInPlace(target, Files.readAllBytes(listed), mtime);
    report = new ReportWriter();
    try (HashCache cache = HashCache.open(cacheFile)) {
      ScanSummary second = scan(opts, cache);
      assertThat(second.hashedFiles()).isEqualTo(1);
      assertThat(second.cachedFiles()).isZero();
      assertThat(matchedPaths()).containsExactly(target.toString());
    }
    // and back, by writing a copy and renaming it over the file (a new inode), mtime put back
    Path copy = tmp.resolve("tree/.upload.tmp");
    Files.write(copy, clean);
    Files.setLastModifiedTime(copy, mtime);
    Files.move(copy, target, StandardCopyOption.REPLACE_EXISTING);
    assertThat(Files.size(target)).isEqualTo(4096);
    assertThat(Files.getLastModifiedTime(target)).isEqualTo(mtime);
    report = new ReportWriter();
    try (HashCache cache = HashCache.open(cacheFile)) {
      ScanSummary third = scan(opts, cache);
      assertThat(third.hashedFiles()).isEqualTo(1);
      assertThat(third.matchedFiles()).isZero();
    }
  }

  /**
   * Overwrites {@code file} with {@code content} of the same size and restores its mtime; makes
   * sure the kernel's (coarse) ctime clock has moved on, which is what the cache relies on.
   */
  private static void swapInPlace(Path file, byte[] content, FileTime mtime) throws Exception {
    long ctimeBefore = FileStamp.read(file).ctimeNanos();
    Files.write(file, content); // truncates and rewrites the same inode
    Files.setLastModifiedTime(file, mtime);
    for (int i = 0; i < 200 && FileStamp.read(file).ctimeNanos() == ctimeBefore; i++) {
      Thread.sleep(5);
      Files.setLastModifiedTime(file, mtime);
    }
    assertThat(Files.getLastModifiedTime(file)).isEqualTo(mtime);
    assertThat(Files.size(file)).isEqualTo(content.length);
  }
}
