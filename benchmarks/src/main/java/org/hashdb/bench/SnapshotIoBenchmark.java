package org.hashdb.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hashdb.core.disk.SectionInputStream;
import org.hashdb.core.disk.SectionOutputStream;
import org.hashdb.core.disk.SnapshotReader;
import org.hashdb.core.disk.SnapshotWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Snapshot file throughput: one op writes (or reads) a snapshot holding one section of {@code
 * sizeMiB} MiB of random {@code long}s, the shape of the exact index's key lanes.
 *
 * <ul>
 *   <li>{@code write}: stream the section with {@code writeLongs}, then commit (footer, fsync,
 *       atomic rename, directory fsync): the durable write rate of the disk.
 *   <li>{@code read}: open, stream the section into a {@code long[]} with {@code readLongs}
 *       (crc32c verified), reach the end marker. {@code cache=warm}: the file is in the page
 *       cache; {@code cache=cold}: before each op the file's pages are evicted with {@code dd
 *       if=FILE iflag=nocache count=0} (posix_fadvise DONTNEED on that file only, so other
 *       processes' caches are left alone).
 * </ul>
 *
 * Single-shot: MB/s = sizeMiB * 1.048576 / (reported seconds per op). Run:
 *
 * <pre>
 * mvn -B -ntp -o -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar SnapshotIoBenchmark -p sizeMiB=1024
 * </pre>
 *
 * The file goes to {@code -p dir=...} (default: {@code java.io.tmpdir}); it needs 2x sizeMiB free.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class SnapshotIoBenchmark {
  /** Longs per chunk handed to writeLongs/readLongs: 8 MiB. */
  static final int CHUNK_LONGS = 1 << 20;

  /** Shared: data, directory, the file read by {@code read}. */
  @State(Scope.Benchmark)
  public static class Data {
    @Param({"1024"})
    public int sizeMiB;

    @Param({""})
    public String dir;

    long[] chunk; // written sizeMiB/8 times
    int chunks;
    long expectedChecksum; // of the whole section, see checksum()
    Path base;
    Path readFile;
    long sequence;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      if (sizeMiB < 8 || sizeMiB % 8 != 0) {
        throw new IllegalArgumentException("sizeMiB must be a positive multiple of 8, got " + sizeMiB);
      }
      chunks = sizeMiB / 8;
      chunk = new SplittableRandom(42).longs(CHUNK_LONGS).toArray();
      long sum = 0;
      for (int c = 0; c < chunks; c++) {
        sum = checksum(sum, chunk, CHUNK_LONGS);
      }
      expectedChecksum = sum;
      Path parent = dir.isEmpty() ? Path.of(System.getProperty("java.io.tmpdir")) : Path.of(dir);
      base = Files.createTempDirectory(parent, "hashdb-snapshot-bench");
      readFile = writeSnapshot(this);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      try (Stream<Path> s = Files.walk(base)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** Page-cache state of the file read by {@code read}. */
  @State(Scope.Benchmark)
  public static class Cache {
    @Param({"warm", "cold"})
    public String cache;

    @Setup(Level.Invocation)
    public void prepare(Data f) throws IOException, InterruptedException {
      if (cache.equals("cold")) {
        evict(f.readFile);
      } else if (!cache.equals("warm")) {
        throw new IllegalArgumentException("cache must be warm or cold, got " + cache);
      }
    }
  }

  /**
   * Cheap order-sensitive fingerprint of one loaded chunk (first, middle and last element), so
   * the timed loop measures loading, not a checksum over every element; the crc32c of the
   * section already guards the content, and the unit test compares every element.
   */
  static long checksum(long sum, long[] a, int n) {
    return (sum * 31 + a[0]) * 31 + a[n >>> 1] * 7 + a[n - 1];
  }

  static Path writeSnapshot(Data f) throws IOException {
    try (SnapshotWriter w = SnapshotWriter.create(f.base, ++f.sequence)) {
      SectionOutputStream out = w.beginSection(1);
      for (int c = 0; c < f.chunks; c++) {
        out.writeLongs(f.chunk, 0, CHUNK_LONGS);
      }
      w.endSection();
      return w.commit();
    }
  }

  static long readSnapshot(Path file) throws IOException {
    long[] dst = new long[CHUNK_LONGS];
    long sum = 0;
    try (SnapshotReader r = SnapshotReader.open(file)) {
      while (r.nextSection()) {
        SectionInputStream in = r.sectionStream();
        while (in.remaining() > 0) {
          int n = (int) Math.min(CHUNK_LONGS, in.remaining() / Long.BYTES);
          in.readLongs(dst, 0, n);
          sum = checksum(sum, dst, n);
        }
      }
    }
    return sum;
  }

  /** Drops the file's pages from the page cache (posix_fadvise DONTNEED via GNU dd). */
  static void evict(Path file) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("dd", "if=" + file, "iflag=nocache", "count=0", "status=none")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException("dd failed: " + out);
    }
  }

  @Benchmark
  public Path write(Data f) throws IOException {
    Path p = writeSnapshot(f);
    if (!p.equals(f.readFile)) {
      Files.delete(p); // keep one extra file at most
    }
    return p;
  }

  @Benchmark
  public long read(Data f, Cache c) {
    try {
      long sum = readSnapshot(f.readFile);
      if (sum != f.expectedChecksum) {
        throw new IllegalStateException("read back wrong data");
      }
      return sum;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
