package org.hashdb.bench;

import java.util.concurrent.TimeUnit;
import org.hashdb.core.pdq.PdqHits;
import org.hashdb.core.pdq.PdqIndex;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * PDQ near-duplicate search: one op = one query against {@code size} uniformly random stored
 * hashes at {@code maxDistance}; queries alternate between planted near-duplicates (a stored hash
 * with 1..31 bits flipped, so exactly one expected hit among random data) and random misses.
 *
 * <ul>
 *   <li>{@code mih}: {@link PdqIndex#search} (the planner picks multi-index hashing here);
 *   <li>{@code linear}: {@link PdqIndex#searchLinear}, the tight scan of 4 longs per hash, same
 *       index and data.
 * </ul>
 *
 * <p>The trial setup prints, once per (impl, size), the bulk build time of
 * {@link PdqIndex#appendAll} and {@link PdqIndex#ramBytesUsed} against the raw 32 bytes per hash
 * (lines starting with {@code # PdqSearch}).
 *
 * <p>Run (the fork gets a 3 GB heap; 10M hashes need about 1.3 GB plus build buffers):
 * <pre>
 * mvn -B -ntp -o -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar PdqSearchBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class PdqSearchBenchmark {
  /** Queries per data set; cycled. Large enough that caches do not learn the answers. */
  static final int QUERIES = 4096;
  static final long SEED = 20261128L;

  @Param({"mih", "linear"})
  public String impl;

  @Param({"100000", "1000000", "10000000"})
  public int size;

  @Param({"31"})
  public int maxDistance;

  PdqSearchData data;
  PdqIndex index;
  PdqSearchImpl search;
  private final PdqHits hits = new PdqHits();
  private int next;

  /** Searches a query against the index; the competitors of the benchmark. */
  interface PdqSearchImpl {
    void search(byte[] query, int maxDistance, PdqHits out);
  }

  static PdqSearchImpl impl(String name, PdqIndex index) {
    switch (name) {
      case "mih":
        return (q, d, out) -> index.search(q, 0, d, o -> true, out);
      case "linear":
        return (q, d, out) -> index.searchLinear(q, 0, d, o -> true, out);
      default:
        throw new IllegalArgumentException("impl must be mih or linear: " + name);
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    data = new PdqSearchData(size, QUERIES, 31, SEED);
    long t0 = System.nanoTime();
    index = new PdqIndex();
    index.appendAll(data.hashes, 0, size);
    long buildNanos = System.nanoTime() - t0;
    search = impl(impl, index);
    long ram = index.ramBytesUsed();
    System.out.printf("%n# PdqSearch build: size=%d appendAll=%.3f s, ramBytesUsed=%d"
        + " (%.1f B/hash, %.2fx raw 32 B)%n", size, buildNanos / 1e9, ram, (double) ram / size,
        ram / (32.0 * size));
  }

  @Benchmark
  public int search() {
    byte[] q = data.queries[next];
    next = (next + 1) & (QUERIES - 1);
    search.search(q, maxDistance, hits);
    return hits.size();
  }
}
