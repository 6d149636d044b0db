package org.hashdb.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import org.hashdb.core.pdq.PdqHits;
import org.hashdb.core.pdq.PdqIndex;

/**
 * Companion of {@link PdqSearchBenchmark} for a shared machine: same data, prints the bulk build
 * time, {@link PdqIndex#ramBytesUsed()}, and per-query wall and CPU time (of the searching thread)
 * of {@code mih} and {@code linear}, measured in alternating rounds in one JVM so that both see the
 * same machine load. CPU time excludes the time the thread waits for a core, which is what makes
 * wall-clock ratios noisy when other processes compete for the cores.
 *
 * <pre>
 * mvn -B -ntp -o -pl benchmarks -am package -DskipTests
 * java -Xms3g -Xmx3g -cp benchmarks/target/benchmarks.jar org.hashdb.bench.PdqSearchReport 10000000
 * </pre>
 */
public final class PdqSearchReport {
  private PdqSearchReport() {}

  public static void main(String[] args) {
    int size = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    PdqSearchData data = new PdqSearchData(size, PdqSearchBenchmark.QUERIES, 31,
        PdqSearchBenchmark.SEED);
    long wall = System.nanoTime();
    long cpu = threads.getCurrentThreadCpuTime();
    PdqIndex index = new PdqIndex();
    index.appendAll(data.hashes, 0, size);
    System.out.printf(Locale.ROOT, "size=%d build: wall %.2f s, calling thread CPU %.2f s;"
        + " ramBytesUsed %d = %.1f B/hash = %.2fx raw%n", size,
        (System.nanoTime() - wall) / 1e9, (threads.getCurrentThreadCpuTime() - cpu) / 1e9,
        index.ramBytesUsed(), index.ramBytesUsed() / (double) size,
        index.ramBytesUsed() / (32.0 * size));
    PdqSearchBenchmark.PdqSearchImpl mih = PdqSearchBenchmark.impl("mih", index);
    PdqSearchBenchmark.PdqSearchImpl linear = PdqSearchBenchmark.impl("linear", index);
    PdqHits hits = new PdqHits();
    int mihQueries = PdqSearchBenchmark.QUERIES;
    int linearQueries = Math.max(10, (int) Math.min(PdqSearchBenchmark.QUERIES,
        200_000_000L / size));
    double[] total = new double[4];
    for (int round = 0; round < rounds; round++) {
      double[] m = time(threads, mih, data, mihQueries, hits);
      double[] l = time(threads, linear, data, linearQueries, hits);
      System.out.printf(Locale.ROOT, "round %d: mih wall %.1f us cpu %.1f us | linear wall %.1f us"
          + " cpu %.1f us (%.2f ns/hash) | ratio wall %.1fx cpu %.1fx%n", round, m[0], m[1], l[0],
          l[1], l[1] * 1000 / size, l[0] / m[0], l[1] / m[1]);
      if (round > 0) { // round 0 is warm-up
        total[0] += m[0];
        total[1] += m[1];
        total[2] += l[0];
        total[3] += l[1];
      }
    }
    System.out.printf(Locale.ROOT, "mean of rounds 1..%d: mih wall %.1f cpu %.1f us/query, linear"
        + " wall %.1f cpu %.1f us/query (%.2f ns/hash cpu); ratio wall %.1fx cpu %.1fx%n",
        rounds - 1, total[0] / (rounds - 1), total[1] / (rounds - 1), total[2] / (rounds - 1),
        total[3] / (rounds - 1), total[3] / (rounds - 1) * 1000 / size, total[2] / total[0],
        total[3] / total[1]);
  }

  /** Mean {wall, cpu} microseconds per query over the first {@code count} queries. */
  private static double[] time(ThreadMXBean threads, PdqSearchBenchmark.PdqSearchImpl impl,
      PdqSearchData data, int count, PdqHits hits) {
    long wall = System.nanoTime();
    long cpu = threads.getCurrentThreadCpuTime();
    long found = 0;
    for (int i = 0; i < count; i++) {
      impl.search(data.queries[i], 31, hits);
      found += hits.size();
    }
    long w = System.nanoTime() - wall;
    long c = threads.getCurrentThreadCpuTime() - cpu;
    if (found < count / 2) { // every planted query (even index) must find its source
      throw new IllegalStateException("planted queries lost: " + found + " hits in " + count);
    }
    return new double[] {w / 1e3 / count, c / 1e3 / count};
  }
}
