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
import org.hashdb.core.store.DatabaseOptions;
import org.hashdb.core.store.HashDatabase;
import org.hashdb.core.store.NewEntry;
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
 * Start-up cost: opening a data directory whose snapshot holds {@code size} SHA-256 entries
 * (the log after it is empty), next to {@code rawRead}, reading the same snapshot file into a
 * buffer and nothing else. Their ratio says how close loading is to I/O-bound; the snapshot size
 * (printed at setup) over the time gives MB/s. Both read from the page cache after the first run.
 *
 * <pre>
 * java -Xmx12g -jar benchmarks/target/benchmarks.jar SnapshotLoadBenchmark -f 1 -wi 1 -i 3 \
 *   -jvmArgs "-Xmx12g"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SnapshotLoadBenchmark {
  @Param({"10000000"})
  public int size;

  private Path dir;
  private Path snapshot;

  @Setup(Level.Trial)
  public void build() throws IOException {
    dir = Files.createTempDirectory("hashdb-snapload");
    SplittableRandom rnd = new SplittableRandom(42);
    try (HashDatabase db = HashDatabase.open(dir, DatabaseOptions.defaults().withFsync(false)
        .withSnapshotLogBytes(Long.MAX_VALUE))) {
      List<NewEntry> batch = new ArrayList<>(100_000);
      for (int i = 0; i < size; i++) {
        byte[] v = new byte[32];
        rnd.nextBytes(v);
        batch.add(new NewEntry(HashType.SHA256, v, "bench", i % 2 == 0 ? "A1" : "B1", "synthetic"));
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
  }

  @TearDown(Level.Trial)
  public void clean() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public long open() throws IOException {
    try (HashDatabase db = HashDatabase.open(dir, DatabaseOptions.defaults().withFsync(false))) {
      return db.stats().liveEntries();
    }
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
