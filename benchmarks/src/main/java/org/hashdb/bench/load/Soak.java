package org.hashdb.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.hashdb.core.hash.Hex;

/**
 * The soak load of {@code benchmarks/soak.sh}: single, batch (100), bulk (1,000) and PDQ lookups
 * at a fraction (default 80%) of the rate measured first, with admin writes (10 entries every
 * 500 ms) and hex imports (5,000 lines every 15 s) alongside and a snapshot download half-way.
 * The writes keep the data set at a steady size, so that a flat heap means no leak: each admin
 * write removes the 10 entries it added, and the imports cycle over four fixed batches (20,000
 * entries in all, present after the first minute). {@code GROW=1} keeps every write instead.
 * Latency is measured from each request's intended start (no coordinated omission). Prints one
 * line per minute: requests, errors, p50/p99/p999, heap after a full GC, open fds, threads.
 *
 * <p>Args: public base URL (lookups), admin base URL (writes, imports, snapshot: the admin
 * listener), query key, admin key, server pid, minutes, load fraction, lookup threads.
 */
public final class Soak {
  private static final boolean GROW = "1".equals(System.getenv("GROW"));
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String adminBase;
  private final String query;
  private final String admin;
  private final Recorder latency = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private volatile boolean stop;

  private Soak(String base, String adminBase, String query, String admin) {
    this.base = base;
    this.adminBase = adminBase;
    this.query = query;
    this.admin = admin;
  }

  public static void main(String[] args) throws Exception {
    Soak s = new Soak(args[0], args[1], args[2], args[3]);
    long pid = Long.parseLong(args[4]);
    double minutes = Double.parseDouble(args[5]);
    double fraction = args.length > 6 ? Double.parseDouble(args[6]) : 0.8;
    int threads = args.length > 7 ? Integer.parseInt(args[7]) : 4;
    s.run(pid, minutes, fraction, threads);
  }

  private void run(long pid, double minutes, double fraction, int threads) throws Exception {
    // 1. the maximum: closed loop, all threads, 15 s (the first 5 s warm up)
    closedLoop(threads, 5); // warm-up
    double max = closedLoop(threads, 10);
    double target = max * fraction;
    System.out.printf("max %.0f lookups/s (closed loop, %d threads); soak at %.0f/s (%.0f%%) for %.1f min%n",
        max, threads, target, fraction * 100, minutes);
    latency.reset();
    requests.set(0);
    errors.set(0);
    long endNanos = System.nanoTime() + (long) (minutes * 60e9);
    Thread[] workers = new Thread[threads];
    for (int i = 0; i < threads; i++) {
      int id = i;
      workers[i] = new Thread(() -> paced(id, target / threads, endNanos), "soak-" + i);
      workers[i].start();
    }
    Thread writer = background("soak-writes", 500, this::adminWrite);
    Thread importer = background("soak-imports", 15_000, this::importHex);
    long half = (long) (minutes * 30e3);
    Thread snapshot = new Thread(() -> {
      try {
        Thread.sleep(half);
        if (!stop) {
          long t0 = System.nanoTime();
          HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(adminBase + "/v1/admin/snapshot"))
              .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.discarding());
          System.out.printf("snapshot download: status %d in %.1f s%n", r.statusCode(), (System.nanoTime() - t0) / 1e9);
          if (r.statusCode() != 200) {
            errors.incrementAndGet();
          }
        }
      } catch (IOException | InterruptedException e) {
        errors.incrementAndGet();
      }
    }, "soak-snapshot");
    snapshot.start();
    System.out.println("minute  requests  errors   p50_ms   p99_ms  p999_ms  heap_after_gc_MB  fds  threads");
    Histogram total = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    long totalErrors = 0;
    for (int minute = 1; System.nanoTime() < endNanos; minute++) {
      long wait = Math.min(60_000, (endNanos - System.nanoTime()) / 1_000_000);
      Thread.sleep(Math.max(1, wait));
      Histogram h = latency.getIntervalHistogram();
      total.add(h);
      long e = errors.getAndSet(0);
      totalErrors += e;
      long n = requests.getAndSet(0);
      System.out.printf("%6d %9d %7d %8.2f %8.2f %8.2f %17.1f %4d %8d%n", minute, n, e,
          h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6,
          h.getValueAtPercentile(99.9) / 1e6, heapAfterFullGc(pid) / 1e6, fds(pid), threads(pid));
    }
    stop = true;
    for (Thread w : workers) {
      w.join();
    }
    writer.join();
    importer.join();
    snapshot.interrupt();
    System.out.printf("total: %d requests, %d errors, p50 %.2f ms, p99 %.2f ms, p999 %.2f ms%n",
        total.getTotalCount(), totalErrors, total.getValueAtPercentile(50) / 1e6,
        total.getValueAtPercentile(99) / 1e6, total.getValueAtPercentile(99.9) / 1e6);
  }

  /** Lookups per second with every thread sending back to back for {@code seconds}. */
  private double closedLoop(int threads, int seconds) throws InterruptedException {
    AtomicLong done = new AtomicLong();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    Thread[] ts = new Thread[threads];
    for (int i = 0; i < threads; i++) {
      int id = i;
      ts[i] = new Thread(() -> {
        SplittableRandom rnd = new SplittableRandom(id);
        for (long k = 0; System.nanoTime() < end; k++) {
          lookup(rnd, k);
          done.incrementAndGet();
        }
      });
      ts[i].start();
    }
    for (Thread t : ts) {
      t.join();
    }
    return done.get() / (double) seconds;
  }

  /** Open loop at {@code perSecond}: each request is due at a fixed slot; latency counts from it. */
  private void paced(int id, double perSecond, long endNanos) {
    SplittableRandom rnd = new SplittableRandom(100 + id);
    long interval = (long) (1e9 / perSecond);
    long due = System.nanoTime();
    for (long k = 0; due < endNanos && !stop; k++, due += interval) {
      // parkNanos may return early (spuriously): wait until the slot is really due.
      for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
        java.util.concurrent.locks.LockSupport.parkNanos(due - now);
      }
      lookup(rnd, k);
      latency.recordValue(Math.max(0, Math.min(System.nanoTime() - due, TimeUnit.SECONDS.toNanos(60))));
      requests.incrementAndGet();
    }
  }

  /** One lookup of the mix: single sha256, batch of 100 md5, bulk of 1,000 sha256, pdq. */
  private void lookup(SplittableRandom rnd, long k) {
    try {
      HttpRequest.Builder b;
      switch ((int) (k % 4)) {
        case 0 -> b = HttpRequest.newBuilder(URI.create(base + "/v1/hashes/sha256/" + hex(rnd, 32)));
        case 1 -> {
          StringBuilder s = new StringBuilder("{\"queries\":[");
          for (int i = 0; i < 100; i++) {
            s.append(i == 0 ? "" : ",").append("{\"type\":\"md5\",\"hash\":\"").append(hex(rnd, 16)).append("\"}");
          }
          b = HttpRequest.newBuilder(URI.create(base + "/v1/lookup")).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(s.append("]}").toString()));
        }
        case 2 -> {
          byte[] body = new byte[1000 * 32];
          rnd.nextBytes(body);
          b = HttpRequest.newBuilder(URI.create(base + "/v1/lookup/bulk?type=sha256"))
              .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        }
        default -> b = HttpRequest.newBuilder(URI.create(base + "/v1/hashes/pdq/" + hex(rnd, 32) + "?maxDistance=31"));
      }
      HttpResponse<byte[]> r = client.send(b.header("Authorization", "Bearer " + query).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        errors.incrementAndGet();
      }
    } catch (IOException | InterruptedException e) {
      errors.incrementAndGet();
    }
  }

  private void adminWrite(SplittableRandom rnd) throws IOException, InterruptedException {
    StringBuilder s = new StringBuilder("{\"entries\":[");
    String[] added = new String[10];
    for (int i = 0; i < added.length; i++) {
      added[i] = hex(rnd, 32);
      s.append(i == 0 ? "" : ",").append("{\"type\":\"sha256\",\"hash\":\"").append(added[i])
          .append("\",\"list\":\"soak\",\"category\":\"S\",\"source\":\"soak\"}");
    }
    send(HttpRequest.newBuilder(URI.create(adminBase + "/v1/admin/entries")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(s.append("]}").toString())));
    if (!GROW) {
      for (String hash : added) {
        send(HttpRequest.newBuilder(URI.create(base + "/v1/admin/entries/sha256/" + hash + "?list=soak")).DELETE());
      }
    }
  }

  private long imports;

  private void importHex(SplittableRandom rnd) throws IOException, InterruptedException {
    // Steady: one of four fixed batches, so after the first minute every line is already present.
    SplittableRandom lines = GROW ? rnd : new SplittableRandom(imports++ % 4);
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      s.append(hex(lines, 20)).append('\n');
    }
    send(HttpRequest.newBuilder(URI.create(adminBase + "/v1/admin/import?type=sha1&list=soak-import&format=hex"))
        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(s.toString())));
  }

  private void send(HttpRequest.Builder b) throws IOException, InterruptedException {
    HttpResponse<String> r = client.send(b.header("Authorization", "Bearer " + admin).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      errors.incrementAndGet();
      System.out.println("admin write: " + r.statusCode() + " " + r.body());
    }
  }

  private interface Job {
    void run(SplittableRandom rnd) throws IOException, InterruptedException;
  }

  private Thread background(String name, long everyMillis, Job job) {
    Thread t = new Thread(() -> {
      SplittableRandom rnd = new SplittableRandom(name.hashCode());
      while (!stop) {
        try {
          job.run(rnd);
          Thread.sleep(everyMillis);
        } catch (IOException e) {
          errors.incrementAndGet();
        } catch (InterruptedException e) {
          return;
        }
      }
    }, name);
    t.start();
    return t;
  }

  private static String hex(SplittableRandom rnd, int bytes) {
    byte[] b = new byte[bytes];
    rnd.nextBytes(b);
    return Hex.encode(b);
  }

  /** Runs a full GC in the server ({@code jcmd GC.run}) and returns the heap in use after it. */
  private static long heapAfterFullGc(long pid) {
    try {
      String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
      new ProcessBuilder(jcmd, Long.toString(pid), "GC.run").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
      Process p = new ProcessBuilder(jcmd, Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      long used = 0;
      java.util.regex.Matcher m = java.util.regex.Pattern
          .compile("(generation|space|heap)\\s+total \\d+K, used (\\d+)K").matcher(out);
      while (m.find()) {
        used += Long.parseLong(m.group(2)) * 1024;
      }
      return used;
    } catch (IOException | InterruptedException e) {
      return -1;
    }
  }

  private static int fds(long pid) {
    try (var s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return (int) s.count();
    } catch (IOException e) {
      return -1;
    }
  }

  private static int threads(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("Threads:")) {
          return Integer.parseInt(line.substring(8).trim());
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }
}
