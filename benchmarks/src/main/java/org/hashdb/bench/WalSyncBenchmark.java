package org.hashdb.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.hashdb.core.disk.WalOptions;
import org.hashdb.core.disk.WriteAheadLog;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable change rate of the write-ahead log: one op = append a record under the writer lock
 * (as the database does) and {@code sync} it, with real fsyncs. {@code oneWriter}: every change
 * waits for its own fsync. {@code sixteenWriters}: 16 threads; group commit lets one fsync cover
 * all records appended while the previous one ran, so throughput should grow with the number of
 * concurrent writers. Compare the two scores of one run (ops/s = acknowledged changes per second).
 *
 * <pre>
 * mvn -B -ntp -o -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar WalSyncBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@State(Scope.Benchmark)
public class WalSyncBenchmark {
  @Param({"100"})
  public int payloadBytes;

  @Param({""})
  public String dir;

  Path base;
  WriteAheadLog log;
  final ReentrantLock writerLock = new ReentrantLock(); // the database's single-writer lock
  byte[] payload;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    Path parent = dir.isEmpty() ? Path.of(System.getProperty("java.io.tmpdir")) : Path.of(dir);
    base = Files.createTempDirectory(parent, "hashdb-wal-bench");
    log = WriteAheadLog.open(base, 1, WalOptions.defaults());
    payload = new byte[payloadBytes];
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    log.close();
    try (Stream<Path> s = Files.walk(base)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Appends one record and waits until it is durable; returns its sequence. */
  long appendAndSync() throws IOException {
    long seq;
    writerLock.lock();
    try {
      seq = log.append((byte) 1, payload, 0, payload.length);
    } finally {
      writerLock.unlock();
    }
    log.sync(seq);
    return seq;
  }

  @Benchmark
  @Threads(1)
  public long oneWriter() throws IOException {
    return appendAndSync();
  }

  @Benchmark
  @Threads(16)
  public long sixteenWriters() throws IOException {
    return appendAndSync();
  }
}
