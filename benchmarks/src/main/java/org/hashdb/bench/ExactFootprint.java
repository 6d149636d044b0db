package org.hashdb.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;
import org.hashdb.core.exact.ExactIndex;

/**
 * Memory per entry and append throughput of {@link ExactIndex} for MD5, SHA-1 and SHA-256 keys:
 * for each key size, appends {@code n} random keys one by one with {@link ExactIndex#append}
 * (table growing from empty) and again with one {@link ExactIndex#appendAll} (table pre-sized),
 * and prints {@code ramBytesUsed() / n} against the 1.5x bound. One timed pass each, after a
 * short warm-up pass, so the rates are indicative; the byte counts are exact. Rates are given per
 * second of this thread's CPU time (robust on a shared machine) and of wall time.
 *
 * <pre>
 * mvn -B -ntp -o -pl benchmarks -am package -DskipTests
 * java -Xmx4g -cp benchmarks/target/benchmarks.jar org.hashdb.bench.ExactFootprint 10000000
 * </pre>
 */
public final class ExactFootprint {
  private ExactFootprint() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    System.out.printf(
        "%-5s %10s %13s %13s %13s %13s %9s %9s%n",
        "keyB", "entries", "append/cpu-s", "append/s", "bulk/cpu-s", "bulk/s", "B/entry", "bound");
    for (int keyBytes : new int[] {16, 20, 32}) {
      byte[] keys = ExactLookupBenchmark.randomBytes(new SplittableRandom(keyBytes), (long) n * keyBytes);
      appendOneByOne(keys, keyBytes, Math.min(n, 200_000)); // warm-up
      long c0 = mx.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      ExactIndex single = appendOneByOne(keys, keyBytes, n);
      long t1 = System.nanoTime();
      long c1 = mx.getCurrentThreadCpuTime();
      double bytesPerEntry = (double) single.ramBytesUsed() / n;
      single = null;
      ExactIndex bulk = new ExactIndex(keyBytes, n);
      long c2 = mx.getCurrentThreadCpuTime();
      long t2 = System.nanoTime();
      bulk.appendAll(keys, 0, n);
      long t3 = System.nanoTime();
      long c3 = mx.getCurrentThreadCpuTime();
      if (bulk.size() != n) {
        throw new IllegalStateException("size " + bulk.size());
      }
      System.out.printf(
          "%-5d %10d %13.0f %13.0f %13.0f %13.0f %9.2f %9.1f%n",
          keyBytes,
          n,
          n / ((c1 - c0) / 1e9),
          n / ((t1 - t0) / 1e9),
          n / ((c3 - c2) / 1e9),
          n / ((t3 - t2) / 1e9),
          bytesPerEntry,
          1.5 * (keyBytes + 4));
    }
  }

  private static ExactIndex appendOneByOne(byte[] keys, int keyBytes, int n) {
    ExactIndex index = new ExactIndex(keyBytes);
    for (int i = 0; i < n; i++) {
      index.append(keys, i * keyBytes);
    }
    return index;
  }
}
