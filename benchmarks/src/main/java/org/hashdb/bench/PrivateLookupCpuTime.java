package org.hashdb.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * The {@link PrivateLookupBenchmark} operations on thread CPU time, interleaved round by round
 * (floor, crypto batch, whole lookup, precomputation), so that all see the same machine load:
 * on a shared, loaded machine wall-clock scores of benchmarks run one after the other are not
 * comparable, CPU time of interleaved rounds is. Prints the median per-operation CPU time of
 * each and the ratios to the floor (one Bouncy Castle P-256 scalar multiplication of a fresh
 * random point).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.hashdb.bench.PrivateLookupCpuTime 20000 60
 * </pre>
 */
public final class PrivateLookupCpuTime {
  private PrivateLookupCpuTime() {}

  public static void main(String[] args) throws Exception {
    int entries = args.length > 0 ? Integer.parseInt(args[0]) : 20000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    PrivateLookupBenchmark b = new PrivateLookupBenchmark();
    b.entries = entries;
    b.setUp();
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    int n = PrivateLookupBenchmark.BATCH;
    double[] floor = new double[rounds];
    double[] crypto = new double[rounds];
    double[] lookup = new double[rounds];
    double[] precompute = new double[rounds];
    long sink = 0;
    try {
      for (int r = -10; r < rounds; r++) { // 10 warm-up rounds
        long t0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
          sink += b.floorScalarMult().getRawXCoord().hashCode();
        }
        long t1 = mx.getCurrentThreadCpuTime();
        sink += b.evaluateBatch().size();
        long t2 = mx.getCurrentThreadCpuTime();
        sink += b.lookupBatch();
        long t3 = mx.getCurrentThreadCpuTime();
        sink += b.precomputeEntry().length;
        long t4 = mx.getCurrentThreadCpuTime();
        if (r >= 0) {
          floor[r] = (t1 - t0) / 1e3 / n;
          crypto[r] = (t2 - t1) / 1e3 / n;
          lookup[r] = (t3 - t2) / 1e3 / n;
          precompute[r] = (t4 - t3) / 1e3 / PrivateLookupBenchmark.PRECOMPUTE_BATCH;
        }
      }
    } finally {
      b.tearDown();
    }
    double f = median(floor);
    System.out.printf(Locale.ROOT, "CPU us per op (median of %d interleaved rounds):%n", rounds);
    System.out.printf(Locale.ROOT, "  floorScalarMult  %8.1f%n", f);
    System.out.printf(Locale.ROOT, "  evaluateBatch    %8.1f  %.2fx floor (per query, batch of %d)%n",
        median(crypto), median(crypto) / f, n);
    System.out.printf(Locale.ROOT, "  lookupBatch      %8.1f  %.2fx floor (per query, batch of %d)%n",
        median(lookup), median(lookup) / f, n);
    System.out.printf(Locale.ROOT, "  precomputeEntry  %8.1f  %.2fx floor = %.0f entries/s per core%n",
        median(precompute), median(precompute) / f, 1e6 / median(precompute));
    System.out.println("(sink " + (sink & 1) + ")");
  }

  private static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }
}
