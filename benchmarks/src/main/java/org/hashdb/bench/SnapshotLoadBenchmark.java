package org.hashdb.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.db.DatabaseOptions;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.NewEntry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Start-up cost: {@code open} opens a data directory whose snapshot holds {@code size} entries
 * of {@code type} ({@code sha256}, or {@code pdq}, whose load also builds the near-duplicate
 * index) (the log after it is empty) and closes it, next to {@code rawRead}, reading the same
 * snapshot file into a buffer and nothing else. Their ratio says how close loading is to
 * I/O-bound; the snapshot size (printed at setup) over the time gives MB/s. Both read from the
 * page cache after the first run. {@code export} writes the same content as a new snapshot (what
 * a checkpoint writes, with its fsync and rename) from a second, already open copy. Each
 * iteration starts after a {@code System.gc()}: the heap regions the load fills are then fresh
 * (page faults and young-GC copying of the new columns are part of the figure, as at start-up).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar SnapshotLoadBenchmark -f 1 -wi 1 -i 3 \
 *   -jvmArgs "-Xmx14g"
 * </pre>
 *
 * While iterating, {@code -p size=2000000} is quicker. PDQ: {@code -p type=pdq -p size=1000000}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SnapshotLoadBenchmark {
  @Param({"10000000"})
  public int size;

  @Param({"sha256"})
  public String type = "sha256";

  Path dir;
  Path snapshot;
  private Path exportDir; // a copy of the snapshot, opened as exportDb
  private HashDatabase exportDb;

  @Setup(Level.Trial)
  public void build() throws IOException {
    dir = Files.createTempDirectory("hashdb-snapload");
    SplittableRandom rnd = new SplittableRandom(42);
    HashType hashType = HashType.parse(type);
    try (HashDatabase db = HashDatabase.open(dir, DatabaseOptions.defaults().withFsync(false)
        .withSnapshotLogBytes(Long.MAX_VALUE))) {
      List<NewEntry> batch = new ArrayList<>(100_000);
      for (int i = 0; i < size; i++) {
        byte[] v = new byte[32];
        rnd.nextBytes(v);
        batch.add(new NewEntry(hashType, v, "bench", i % 2 == 0 ? "A1" : "B1", "synthetic"));
        if (batch.size() == 100_000 || i == size - 1) {
          db.add(batch);
          batch.clear();
        }
      }
      db.checkpoint();
      // A second snapshot lets the database drop the log the first one covers.
      db.add(List.of(new NewEntry(HashType.MD5, new byte[16], "bench", "", "")));
      db.checkpoint();
    }
    try (Stream<Path> files = Files.list(dir)) {
      snapshot = files.filter(p -> p.getFileName().toString().startsWith("snapshot-"))
          .max(Comparator.naturalOrder()).orElseThrow();
    }
    System.out.printf("%nsnapshot %s: %.1f MB%n", snapshot.getFileName(), Files.size(snapshot) / 1e6);
    exportDir = Files.createTempDirectory("hashdb-snapexport");
    Files.copy(snapshot, exportDir.resolve(snapshot.getFileName()));
    exportDb = HashDatabase.open(exportDir, DatabaseOptions.defaults().withFsync(false)
        .withSnapshotLogBytes(Long.MAX_VALUE));
  }

  @TearDown(Level.Trial)
  public void clean() throws IOException {
    exportDb.close();
    for (Path d : new Path[] {dir, exportDir}) {
      try (Stream<Path> files = Files.walk(d)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * Each single-shot open starts from a collected heap, as a start-up does, rather than with the
   * databases of earlier iterations as garbage (which G1 would copy and grow the heap around).
   */
  @Setup(Level.Iteration)
  public void collect() {
    System.gc();
  }

  /** Removes what {@link #export} wrote, outside the measured time. */
  @TearDown(Level.Iteration)
  public void deleteExport() throws IOException {
    Files.deleteIfExists(exportFile());
  }

  Path exportFile() {
    return exportDir.resolve("export.hdb");
  }

  @Benchmark
  public long open() throws IOException {
    try (HashDatabase db = HashDatabase.open(dir, DatabaseOptions.defaults().withFsync(false))) {
      return db.stats().liveEntries();
    }
  }

  /** Writes a snapshot of {@code size} entries; returns its size in bytes. */
  @Benchmark
  public long export() throws IOException {
    exportDb.exportSnapshot(exportFile());
    return Files.size(exportFile());
  }

  @Benchmark
  public long rawRead() throws IOException {
    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
    long sum = 0;
    try (FileChannel ch = FileChannel.open(snapshot, StandardOpenOption.READ)) {
      while (ch.read(buf) > 0) {
        buf.flip();
        sum += buf.get(0);
        buf.clear();
      }
    }
    return sum;
  }
}
