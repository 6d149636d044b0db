package org.hashdb.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Exact-hash lookups per second: {@link org.hashdb.core.exact.ExactIndex#find} ({@code hashdb}),
 * {@link org.hashdb.core.exact.ExactIndex#findBatch} ({@code hashdbBatch}) and a {@code
 * java.util.HashSet} of byte-array wrappers ({@code hashset}), all behind {@link
 * ExactLookupAdapter}.
 *
 * <p>{@code size} random 32-byte (SHA-256-like) keys are stored; a pool of 2^20 queries, each a
 * stored key or a fresh random key with probability 1/2, is walked in order, {@value #BATCH}
 * queries per invocation. One operation is one lookup. The pool is far larger than the caches,
 * so at 10M keys almost every lookup misses the CPU caches, as on a real server.
 *
 * <p>Run (each fork gets {@code -Xms6g -Xmx6g} from {@link Fork}: the 10M hashset needs ~1.5 GB):
 *
 * <pre>
 * mvn -B -ntp -o -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar ExactLookupBenchmark -p size=10000000 \
 *     -f 1 -wi 2 -i 3 -w 2s -r 2s
 * </pre>
 *
 * <p>The single-lookup impls call their lookup in a plain loop of {@value #BATCH}, so every impl
 * pays the same loop overhead and the CPU may overlap consecutive independent lookups as far as
 * its reorder window allows.
 *
 * <p>{@code -p impl=...} also accepts the cost floors of {@link ExactLookupFloors} (the bare
 * memory accesses of a layout), to compare a goal with what the machine allows in the same run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class ExactLookupBenchmark {
  static final int KEY_BYTES = 32;
  static final int QUERIES = 1 << 20;
  static final int BATCH = 256;
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  @Param({"hashdb", "hashdbBatch", "hashset"})
  public String impl;

  @Param({"10000", "1000000", "10000000"})
  public int size;

  private ExactLookupAdapter adapter;
  private final int[] out = new int[BATCH];
  private int next;
  boolean[] expectedHit; // per query, for the benchmark's test

  @Setup
  public void setup() {
    SplittableRandom r = new SplittableRandom(42);
    byte[] keys = randomBytes(r, (long) size * KEY_BYTES);
    byte[] queries = randomBytes(r, (long) QUERIES * KEY_BYTES);
    expectedHit = new boolean[QUERIES];
    for (int q = 0; q < QUERIES; q++) {
      if (r.nextBoolean()) {
        System.arraycopy(keys, r.nextInt(size) * KEY_BYTES, queries, q * KEY_BYTES, KEY_BYTES);
        expectedHit[q] = true;
      }
    }
    adapter = ExactLookupAdapter.create(impl, keys, queries, KEY_BYTES);
    next = 0;
  }

  /** Looks up the next {@value #BATCH} queries; returns the misses so nothing is dead code. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int lookup() {
    int from = next;
    next = (from + BATCH) & (QUERIES - 1);
    int[] o = out;
    adapter.lookup(from, BATCH, o);
    int misses = 0;
    for (int i = 0; i < BATCH; i++) {
      misses += o[i] >>> 31;
    }
    return misses;
  }

  ExactLookupAdapter adapter() {
    return adapter;
  }

  static byte[] randomBytes(SplittableRandom r, long length) {
    byte[] b = new byte[Math.toIntExact(length)];
    int i = 0;
    for (; i + 8 <= b.length; i += 8) {
      LONG.set(b, i, r.nextLong());
    }
    for (; i < b.length; i++) {
      b[i] = (byte) r.nextInt();
    }
    return b;
  }
}
