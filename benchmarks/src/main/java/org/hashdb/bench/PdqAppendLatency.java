package org.hashdb.bench;

import java.util.SplittableRandom;
import org.hashdb.core.pdq.PdqIndex;

/**
 * Latency of single PDQ appends after a bulk load: the longest and the mean time one {@link
 * PdqIndex#append} takes, over enough appends to cross the tail limit at which the postings are
 * rebuilt (at 1M hashes: 15,625). What an operator adding hashes one at a time through the admin
 * API waits for, since the database has one writer. A latency report, not a throughput benchmark.
 *
 * <pre>
 * mvn -B -ntp -o -pl benchmarks -am package -DskipTests
 * java -Xmx4g -cp benchmarks/target/benchmarks.jar org.hashdb.bench.PdqAppendLatency 1000000 40000
 * </pre>
 */
public final class PdqAppendLatency {
  private PdqAppendLatency() {}

  public static void main(String[] args) {
    int stored = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int singles = args.length > 1 ? Integer.parseInt(args[1]) : 40_000;
    SplittableRandom random = new SplittableRandom(5);
    byte[] bulk = new byte[Math.multiplyExact(stored, 32)];
    for (int i = 0; i < bulk.length; i++) {
      bulk[i] = (byte) random.nextInt();
    }
    PdqIndex index = new PdqIndex();
    index.appendAll(bulk, 0, stored);
    byte[] hash = new byte[32];
    long longest = 0;
    long total = 0;
    for (int i = 0; i < singles; i++) {
      for (int j = 0; j < hash.length; j++) {
        hash[j] = (byte) random.nextInt();
      }
      long t0 = System.nanoTime();
      index.append(hash, 0);
      long took = System.nanoTime() - t0;
      longest = Math.max(longest, took);
      total += took;
    }
    System.out.printf("%d stored, %d single appends: longest %.1f ms, mean %.1f us%n",
        stored, singles, longest / 1e6, total / 1e3 / singles);
  }
}
