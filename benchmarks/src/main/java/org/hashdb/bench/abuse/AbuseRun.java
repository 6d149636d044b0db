package org.hashdb.bench.abuse;

import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Runs attacks on a server one after the other while a well-behaved client looks up a hash
 * every 100 ms, and reports per attack: the server's RSS growth (peak minus before, when its
 * pid is known), the worst latency the well-behaved client saw, and for slow-connection
 * attacks the fraction of connections the server closed within the wait. Used by
 * {@code benchmarks/abuse.sh} and by the abuse tests.
 *
 * <pre>
 * java -cp benchmarks.jar org.hashdb.bench.abuse.AbuseRun --url http://127.0.0.1:8080 \
 *     --key QUERY_KEY [--probe-key KEY] [--match-sha256 HEX] [--pid PID] [--attack all|a,b]
 *     [--seconds 20] [--close-wait 75] [--size name=N ...] [--warmup 0]
 * </pre>
 *
 * <p>{@code --warmup N} first runs each attack N times unmeasured (printed as {@code WARMUP}
 * lines): on a server that has just started, the code paths an attack drives (HTTP/2 and TLS
 * for the stream flood) still run interpreted while the JIT compilers take the CPU, and the
 * first run measures that start-up cost as much as the attack.
 */
public final class AbuseRun {
  /** Every attack, by name, with its default size (connections). */
  static final Map<String, Integer> DEFAULT_SIZES = new LinkedHashMap<>();
  private static final Map<String, IntFunction<Attack>> ATTACKS = new LinkedHashMap<>();

  static {
    register("pipelined-nonreaders", 16, PipelinedNonReaders::new);
    register("trickled-bodies", 48, TrickledBodies::new);
    register("slowloris-headers", 400, Slowloris::new);
    register("idle-connections", 1500, IdleConnections::new);
    register("http2-stream-flood", 8, Http2StreamFlood::new);
    register("heavy-pdq-batches", 3, HeavyPdqBatches::new);
    register("audit-flood", 3, AuditFlood::new);
  }

  private static void register(String name, int size, IntFunction<Attack> f) {
    DEFAULT_SIZES.put(name, size);
    ATTACKS.put(name, f);
  }

  /** The figures of one attack. */
  public record Result(String attack, int size, long rssBeforeKib, long rssPeakKib,
      long worstMillis, int probes, int probeFailures, int opened, int closed,
      double secondsToNinetyPercent, long requests, long seconds, String error) {

    public long rssGrowthMib() {
      return rssBeforeKib < 0 ? -1 : Math.max(0, rssPeakKib - rssBeforeKib) / 1024;
    }

    /** Closed fraction of the slow connections, or -1 for attacks without them. */
    public double closedFraction() {
      return opened == 0 ? -1 : (double) closed / opened;
    }

    public String line() {
      StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
          "ATTACK %-21s size=%d seconds=%d rss_growth_mib=%s worst_latency_ms=%d probes=%d"
              + " probe_failures=%d", attack, size, seconds,
          rssBeforeKib < 0 ? "n/a" : Long.toString(rssGrowthMib()), worstMillis, probes,
          probeFailures));
      if (opened > 0) {
        b.append(String.format(Locale.ROOT, " closed=%d/%d (%.0f%%)", closed, opened,
            100 * closedFraction()));
        b.append(secondsToNinetyPercent < 0 ? " 90%_closed_after=never"
            : String.format(Locale.ROOT, " 90%%_closed_after=%.0fs", secondsToNinetyPercent));
      }
      if (requests > 0) {
        b.append(" attack_requests_ok=").append(requests);
      }
      if (error != null) {
        b.append(" error=\"").append(error).append('"');
      }
      return b.toString();
    }
  }

  private AbuseRun() {}

  /**
   * Runs {@code attack} with {@code size} connections: load attacks for {@code seconds}, slow
   * attacks until the server closed every connection or {@code closeWait} seconds passed.
   */
  public static Result run(AbuseTarget t, String attack, int size, long seconds, long closeWait)
      throws Exception {
    IntFunction<Attack> f = ATTACKS.get(attack);
    if (f == null) {
      throw new IllegalArgumentException("unknown attack '" + attack + "' (known: "
          + String.join(", ", ATTACKS.keySet()) + ")");
    }
    long rss0 = t.rssKib();
    long peak = rss0;
    double ninety = -1;
    long t0 = System.nanoTime();
    String error = null;
    Attack a = f.apply(size);
    Prober p = new Prober(t, 100).start();
    try {
      a.start(t);
      while (true) {
        Thread.sleep(1000);
        a.step();
        peak = Math.max(peak, t.rssKib());
        double elapsed = (System.nanoTime() - t0) / 1e9;
        if (a.slow() && ninety < 0 && a.opened() > 0 && a.closed() >= 0.9 * a.opened()) {
          ninety = elapsed;
        }
        boolean done = a.slow()
            ? a.closed() >= a.opened() || elapsed >= closeWait
            : elapsed >= seconds;
        if (done) {
          break;
        }
      }
    } catch (Exception e) {
      error = e.getMessage();
    } finally {
      p.close();
      a.close();
    }
    long took = Math.round((System.nanoTime() - t0) / 1e9);
    if (error == null && p.lastFailure() != null) {
      error = "probe failed: " + p.lastFailure();
    }
    return new Result(attack, size, rss0, peak, p.worstMillis(), p.probes(), p.failures(),
        a.opened(), a.closed(), ninety, a.requests(), took, error);
  }

  public static void main(String[] args) throws Exception {
    String url = null;
    String key = null;
    String probeKey = null;
    String match = null;
    String bind = null;
    long pid = -1;
    long seconds = 20;
    long closeWait = 75;
    int warmup = 0;
    List<String> attacks = new ArrayList<>(ATTACKS.keySet());
    Map<String, Integer> sizes = new LinkedHashMap<>(DEFAULT_SIZES);
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--url" -> url = v;
        case "--key" -> key = v;
        case "--probe-key" -> probeKey = v;
        case "--match-sha256" -> match = v;
        case "--pid" -> pid = Long.parseLong(v);
        case "--attacker-bind" -> bind = v;
        case "--seconds" -> seconds = Long.parseLong(v);
        case "--close-wait" -> closeWait = Long.parseLong(v);
        case "--warmup" -> warmup = Integer.parseInt(v);
        case "--attack" -> attacks = "all".equals(v) ? attacks : List.of(v.split(","));
        case "--size" -> {
          String[] kv = v.split("=", 2);
          sizes.put(kv[0], Integer.parseInt(kv[1]));
        }
        case "-h", "--help" -> {
          usage(System.out);
          return;
        }
        default -> {
          System.err.println("unknown option " + args[i]);
          usage(System.err);
          System.exit(2);
        }
      }
      i++;
    }
    if (url == null || key == null) {
      usage(System.err);
      System.exit(2);
    }
    AbuseTarget t = new AbuseTarget(URI.create(url), key, probeKey == null ? key : probeKey,
        match, pid, bind);
    for (String a : attacks) {
      if (a.equals("http2-stream-flood") && !t.tls()) {
        System.out.println("ATTACK " + a + " skipped: needs an https:// server");
        continue;
      }
      if (a.equals("audit-flood") && match == null) {
        System.out.println("ATTACK " + a + " skipped: needs --match-sha256");
        continue;
      }
      for (int w = 0; w < warmup; w++) {
        System.out.println("WARMUP " + run(t, a, sizes.getOrDefault(a, 1), seconds, closeWait)
            .line());
        Thread.sleep(3000);
      }
      System.out.println(run(t, a, sizes.getOrDefault(a, 1), seconds, closeWait).line());
      Thread.sleep(3000); // let the server settle between attacks
    }
  }

  private static void usage(PrintStream out) {
    out.println("usage: AbuseRun --url URL --key QUERY_KEY [--probe-key KEY] [--match-sha256 HEX]"
        + " [--pid PID] [--attacker-bind ADDR] [--attack all|NAME,...] [--seconds N]"
        + " [--close-wait N] [--size NAME=N]... [--warmup N]");
    out.println("--warmup N: run each attack N times unmeasured first (JIT warm-up of a fresh"
        + " server; default 0)");
    out.println("attacks (default size): " + DEFAULT_SIZES);
  }
}
