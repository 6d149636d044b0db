package org.hashdb.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * The {@link ExactLookupBenchmark} workload measured in thread CPU time instead of wall time,
 * for shared machines where other processes take most of the wall clock: all impls live in one
 * JVM and run in interleaved rounds of 0.4 s, and the minimum and median CPU nanoseconds per
 * lookup over the rounds are printed. Complements JMH, does not replace it.
 *
 * <pre>
 * mvn -B -ntp -o -pl benchmarks -am package -DskipTests
 * java -Xms6g -Xmx6g -cp benchmarks/target/benchmarks.jar org.hashdb.bench.ExactLookupCpuTime \
 *     10000000 hashdb,hashdbBatch,hashset 10
 * </pre>
 */
public final class ExactLookupCpuTime {
  private ExactLookupCpuTime() {}

  public static void main(String[] args) {
    int size = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
    String[] impls = args.length > 1 ? args[1].split(",") : ExactLookupAdapter.IMPLS;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    ExactLookupBenchmark[] benches = new ExactLookupBenchmark[impls.length];
    for (int i = 0; i < impls.length; i++) {
      benches[i] = new ExactLookupBenchmark();
      benches[i].impl = impls[i];
      benches[i].size = size;
      benches[i].setup();
    }
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    double[][] nanos = new double[impls.length][rounds];
    long sink = 0;
    for (int round = -2; round < rounds; round++) { // two warm-up rounds
      for (int i = 0; i < impls.length; i++) {
        long wall = System.nanoTime();
        long cpu = mx.getCurrentThreadCpuTime();
        long lookups = 0;
        while (System.nanoTime() - wall < 400_000_000L) {
          for (int k = 0; k < 32; k++) {
            sink += benches[i].lookup();
          }
          lookups += 32L * ExactLookupBenchmark.BATCH;
        }
        if (round >= 0) {
          nanos[i][round] = (mx.getCurrentThreadCpuTime() - cpu) / (double) lookups;
        }
      }
    }
    System.out.printf("size %d, %d rounds, CPU ns per lookup (misses seen: %d)%n", size, rounds, sink);
    for (int i = 0; i < impls.length; i++) {
      Arrays.sort(nanos[i]);
      System.out.printf(
          "%-12s min %8.1f  median %8.1f%n", impls[i], nanos[i][0], nanos[i][rounds / 2]);
    }
  }
}
