package org.hashdb.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hashdb.core.db.DatabaseOptions;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.NewEntry;
import org.hashdb.core.disk.MasterKeys;
import org.hashdb.core.disk.WalOptions;
import org.hashdb.core.disk.WriteAheadLog;
import org.hashdb.core.hash.HashType;
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
 * The cost of encryption at rest, plaintext and encrypted in the same run ({@code encrypted}
 * false/true): {@code walAppend} appends a record without fsync (the CPU cost of sealing it),
 * {@code walAppendFsync} appends and fsyncs each record (one writer), {@code snapshotLoad} opens a
 * data directory of {@code entries} SHA-256 entries from its snapshot (decrypting every chunk).
 *
 * <pre>
 * mvn -B -ntp -o -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar EncryptionAtRestBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s
 * </pre>
 */
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@State(Scope.Benchmark)
public class EncryptionAtRestBenchmark {
  @Param({"false", "true"})
  public boolean encrypted;

  @Param({"200"})
  public int payloadBytes;

  @Param({"500000"})
  public int entries;

  Path base;
  MasterKeys keys;
  WriteAheadLog log;
  WriteAheadLog syncedLog;
  Path dataDir;
  byte[] payload;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    base = Files.createTempDirectory("hashdb-enc-bench");
    Path keyFile = base.resolve("master.key");
    MasterKeys.generate(keyFile);
    keys = encrypted ? MasterKeys.load(keyFile.toString()) : MasterKeys.none();
    payload = new byte[payloadBytes];
    new Random(1).nextBytes(payload);
    log = WriteAheadLog.open(base.resolve("wal"), 1, WalOptions.defaults().withFsync(false)
        .withMasterKeys(keys));
    syncedLog = WriteAheadLog.open(base.resolve("wal-sync"), 1, WalOptions.defaults()
        .withMasterKeys(keys));
    dataDir = base.resolve("data");
    Random rnd = new Random(2);
    try (HashDatabase db = HashDatabase.open(dataDir, options())) {
      List<NewEntry> batch = new ArrayList<>(100_000);
      for (int i = 0; i < entries; i++) {
        byte[] v = new byte[32];
        rnd.nextBytes(v);
        batch.add(new NewEntry(HashType.SHA256, v, "bench", "A1", "synthetic"));
        if (batch.size() == 100_000) {
          db.add(batch);
          batch.clear();
        }
      }
      if (!batch.isEmpty()) {
        db.add(batch);
      }
      db.checkpoint();
    }
  }

  private DatabaseOptions options() {
    return DatabaseOptions.defaults().withFsync(false).withMasterKeys(keys);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    log.close();
    syncedLog.close();
    try (Stream<Path> s = Files.walk(base)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** One record appended, not fsynced: records per second. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public long walAppend() throws IOException {
    return log.append((byte) 1, payload, 0, payload.length);
  }

  /** One record appended and fsynced (one writer): acknowledged changes per second. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public long walAppendFsync() throws IOException {
    long seq = syncedLog.append((byte) 1, payload, 0, payload.length);
    syncedLog.sync(seq);
    return seq;
  }

  /** Opens the data directory (loads its snapshot) and closes it: milliseconds per open. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public long snapshotLoad() throws IOException {
    try (HashDatabase db = HashDatabase.open(dataDir, options())) {
      return db.sequence();
    }
  }
}
