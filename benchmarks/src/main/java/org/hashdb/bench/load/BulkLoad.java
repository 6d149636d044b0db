package org.hashdb.bench.load;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Load generator for {@code benchmarks/bulk-vs-redis.sh} and {@code single-vs-healthz.sh}.
 *
 * <pre>
 * BulkLoad load-hashdb  --port ADMIN_PORT --key ADMIN_KEY --entries N [--seed S]   (the admin listener)
 * BulkLoad load-redis   --port P --entries N [--seed S]
 * BulkLoad bench-hashdb --port P --key QUERY_KEY --entries N [--seed S] [--batch B]
 *                       [--connections C] [--seconds T] [--warmup W] [--hit-ratio R]
 * BulkLoad bench-redis  --port P --entries N [same options]
 * BulkLoad paths        --entries N [--seed S] [--count M] [--hit-ratio R] --out FILE
 * </pre>
 *
 * Entries are the first N values of a seeded SHA-256 stream ({@link #values}); queries mix
 * values drawn from the first entries (hits) and from another stream (misses) in the given
 * ratio, and are the same for every target. Each connection is one thread with one request in
 * flight. Prints {@code RESULT key=value ...} lines for the scripts.
 */
public final class BulkLoad {
  private final Map<String, String> opts;

  BulkLoad(Map<String, String> opts) {
    this.opts = opts;
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: BulkLoad load-hashdb|load-redis|bench-hashdb|bench-redis|paths [--option value]...");
      System.exit(2);
    }
    Map<String, String> o = new HashMap<>();
    for (int i = 1; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --option, got " + args[i]);
      }
      o.put(args[i].substring(2), args[i + 1]);
    }
    new BulkLoad(o).run(args[0], System.out);
  }

  private String str(String name, String dflt) {
    String v = opts.get(name);
    if (v == null && dflt == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return v == null ? dflt : v;
  }

  private long num(String name, long dflt) {
    return Long.parseLong(str(name, Long.toString(dflt)));
  }

  void run(String command, PrintStream out) throws Exception {
    String host = str("host", "127.0.0.1");
    long seed = num("seed", 42);
    int entries = (int) num("entries", -1);
    switch (command) {
      case "load-hashdb" -> {
        long t0 = System.nanoTime();
        String json = loadHashDb(host, (int) num("port", -1), str("key", null), entries, seed);
        out.printf(Locale.ROOT, "RESULT target=hashdb loaded=%d seconds=%.1f response=%s%n",
            entries, (System.nanoTime() - t0) / 1e9, json);
      }
      case "load-redis" -> {
        long t0 = System.nanoTime();
        long added = loadRedis(host, (int) num("port", -1), entries, seed);
        out.printf(Locale.ROOT, "RESULT target=redis loaded=%d seconds=%.1f%n", added,
            (System.nanoTime() - t0) / 1e9);
      }
      case "bench-hashdb", "bench-redis" -> {
        boolean hashdb = command.equals("bench-hashdb");
        int port = (int) num("port", -1);
        String key = hashdb ? str("key", null) : null;
        int batch = (int) num("batch", 1000);
        int connections = (int) num("connections", 4);
        double hitRatio = Double.parseDouble(str("hit-ratio", "0.001"));
        byte[] queries = queries(entries, seed, 1 << 20, hitRatio);
        Result r = bench(() -> hashdb ? new HttpBulkTarget(host, port, key)
                : new RedisTarget(host, port), queries, batch, connections,
            num("warmup", 3), num("seconds", 10));
        out.printf(Locale.ROOT,
            "RESULT target=%s hashes_per_s=%.0f batches_per_s=%.0f hit_fraction=%.5f batch=%d connections=%d%n",
            hashdb ? "hashdb" : "redis", r.hashesPerSecond, r.batchesPerSecond, r.hitFraction,
            batch, connections);
      }
      case "paths" -> {
        int count = (int) num("count", 100_000);
        double hitRatio = Double.parseDouble(str("hit-ratio", "0.5"));
        byte[] q = queries(entries, seed, count, hitRatio);
        StringBuilder sb = new StringBuilder(count * 84);
        for (int i = 0; i < count; i++) {
          sb.append("/v1/hashes/sha256/");
          appendHex(sb, q, i * 32, 32);
          sb.append('\n');
        }
        Files.writeString(Path.of(str("out", null)), sb);
        out.printf(Locale.ROOT, "RESULT paths=%d%n", count);
      }
      default -> throw new IllegalArgumentException("unknown command " + command);
    }
  }

  /** The i-th batch of the seeded entry stream: {@code n} values into {@code out}. */
  static void values(SplittableRandom r, byte[] out, int n) {
    for (int i = 0; i < n * 32; i += 8) {
      long v = r.nextLong();
      for (int b = 0; b < 8; b++) {
        out[i + b] = (byte) (v >>> (8 * b));
      }
    }
  }

  /**
   * {@code count} query values: with probability {@code hitRatio} one of the first (up to 2M)
   * entries, else a value of an unrelated stream (a miss but for a 2^-256 chance).
   */
  static byte[] queries(int entries, long seed, int count, double hitRatio) {
    int pool = Math.max(1, Math.min(entries, 1 << 21));
    byte[] hits = new byte[pool * 32];
    values(new SplittableRandom(seed), hits, pool);
    SplittableRandom pick = new SplittableRandom(seed * 31 + 7);
    SplittableRandom miss = new SplittableRandom(~seed);
    byte[] q = new byte[count * 32];
    byte[] one = new byte[32];
    for (int i = 0; i < count; i++) {
      if (entries > 0 && pick.nextDouble() < hitRatio) {
        System.arraycopy(hits, pick.nextInt(pool) * 32, q, i * 32, 32);
      } else {
        values(miss, one, 1);
        System.arraycopy(one, 0, q, i * 32, 32);
      }
    }
    return q;
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  static void appendHex(StringBuilder sb, byte[] b, int off, int len) {
    for (int i = off; i < off + len; i++) {
      sb.append(HEX[(b[i] >>> 4) & 0xf]).append(HEX[b[i] & 0xf]);
    }
  }

  /** Streams the entries as a hex import; returns the server's JSON answer. */
  static String loadHashDb(String host, int port, String key, int entries, long seed)
      throws IOException {
    try (Socket s = new Socket(host, port)) {
      OutputStream out = new BufferedOutputStream(s.getOutputStream(), 1 << 16);
      long length = (long) entries * 65;
      out.write(("POST /v1/admin/import?list=bench&format=hex&type=sha256 HTTP/1.1\r\nHost: bench\r\n"
          + "Authorization: Bearer " + key + "\r\nContent-Type: text/plain\r\nContent-Length: "
          + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      SplittableRandom r = new SplittableRandom(seed);
      int chunk = 10_000;
      byte[] v = new byte[chunk * 32];
      byte[] line = new byte[chunk * 65];
      for (int done = 0; done < entries; done += chunk) {
        int n = Math.min(chunk, entries - done);
        values(r, v, n);
        for (int i = 0; i < n; i++) {
          for (int k = 0; k < 32; k++) {
            line[i * 65 + 2 * k] = (byte) HEX[(v[i * 32 + k] >>> 4) & 0xf];
            line[i * 65 + 2 * k + 1] = (byte) HEX[v[i * 32 + k] & 0xf];
          }
          line[i * 65 + 64] = '\n';
        }
        out.write(line, 0, n * 65);
      }
      out.flush();
      ByteReader in = new ByteReader(s.getInputStream());
      int[] head = new int[2];
      HttpText.readHead(in, new StringBuilder(), head);
      int status = head[0];
      byte[] body = new byte[head[1]];
      in.readFully(body, body.length);
      String text = new String(body, StandardCharsets.UTF_8);
      if (status != 200) {
        throw new IOException("import failed: HTTP " + status + " " + text);
      }
      return text;
    }
  }

  /** SADDs the entries in batches of 10,000 members, ten commands pipelined at a time. */
  static long loadRedis(String host, int port, int entries, long seed) throws IOException {
    SplittableRandom r = new SplittableRandom(seed);
    int chunk = 10_000;
    long added = 0;
    try (RedisTarget t = new RedisTarget(host, port)) {
      List<byte[]> pending = new ArrayList<>();
      List<Integer> counts = new ArrayList<>();
      for (int done = 0; done < entries; done += chunk) {
        int n = Math.min(chunk, entries - done);
        byte[] b = new byte[n * 32];
        values(r, b, n);
        pending.add(b);
        counts.add(n);
        if (pending.size() == 10 || done + n >= entries) {
          added += t.add(pending, counts);
          pending.clear();
          counts.clear();
        }
      }
    }
    return added;
  }

  /** Throughput of one measurement. */
  record Result(double hashesPerSecond, double batchesPerSecond, double hitFraction) {}

  interface Connector {
    Target connect() throws IOException;
  }

  /** Runs {@code connections} threads for warmup + seconds; measures the second part. */
  static Result bench(Connector connector, byte[] queries, int batch, int connections,
      long warmupSeconds, long seconds) throws Exception {
    AtomicLong hashes = new AtomicLong();
    AtomicLong batches = new AtomicLong();
    AtomicLong hits = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    long start = System.nanoTime();
    long measureFrom = start + warmupSeconds * 1_000_000_000L;
    long end = measureFrom + seconds * 1_000_000_000L;
    int perQuerySet = queries.length / 32 / batch;
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      int first = c * (perQuerySet / connections);
      Thread t = new Thread(() -> {
        try (Target target = connector.connect()) {
          int b = first;
          while (true) {
            long now = System.nanoTime();
            if (now >= end) {
              return;
            }
            int found = target.check(queries, (b % perQuerySet) * batch * 32, batch);
            b++;
            if (System.nanoTime() >= measureFrom && now >= measureFrom) {
              hashes.addAndGet(batch);
              batches.incrementAndGet();
              hits.addAndGet(found);
            }
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, "load-" + c);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("load failed: " + failure.get(), failure.get());
    }
    double secs = seconds;
    return new Result(hashes.get() / secs, batches.get() / secs,
        hashes.get() == 0 ? 0 : (double) hits.get() / hashes.get());
  }
}
