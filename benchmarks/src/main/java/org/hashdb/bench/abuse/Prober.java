package org.hashdb.bench.abuse;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Random;
import org.hashdb.core.hash.Hex;

/**
 * The well-behaved client: one exact lookup every {@code periodMillis} over its own keep-alive
 * connection, from the ordinary source address, recording the worst latency (a timeout counts
 * as its full 10 s) and every answer other than 200.
 */
final class Prober implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final AbuseTarget target;
  private final long periodMillis;
  private final HttpClient client;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long worstNanos;
  private volatile int probes;
  private volatile int failures;
  private volatile String lastFailure;

  Prober(AbuseTarget target, long periodMillis) {
    this.target = target;
    this.periodMillis = periodMillis;
    HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(TIMEOUT);
    if (target.tls()) {
      b.sslContext(AbuseTarget.trustAll());
    }
    this.client = b.build();
    this.thread = new Thread(this::run, "abuse-prober");
    thread.setDaemon(true);
  }

  Prober start() throws Exception {
    probeOnce(); // opens the connection before the attack
    worstNanos = 0;
    probes = 0;
    failures = 0;
    lastFailure = null;
    thread.start();
    return this;
  }

  private void run() {
    while (running) {
      probeOnce();
      try {
        Thread.sleep(periodMillis);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void probeOnce() {
    byte[] v = new byte[32];
    new Random().nextBytes(v);
    URI u = target.url().resolve("/v1/hashes/sha256/" + Hex.encode(v));
    HttpRequest req = HttpRequest.newBuilder(u).timeout(TIMEOUT)
        .header("Authorization", "Bearer " + target.probeKey()).build();
    long t0 = System.nanoTime();
    boolean ok;
    try {
      int status = client.send(req, HttpResponse.BodyHandlers.ofString()).statusCode();
      ok = status == 200;
      if (!ok) {
        lastFailure = "status " + status;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return; // stopped by close(): not the server's doing
    } catch (Exception e) {
      ok = false;
      lastFailure = e.toString();
    }
    long took = ok ? System.nanoTime() - t0 : Math.max(System.nanoTime() - t0,
        TIMEOUT.toNanos());
    worstNanos = Math.max(worstNanos, took);
    probes++;
    if (!ok) {
      failures++;
    }
  }

  long worstMillis() {
    return worstNanos / 1_000_000;
  }

  int probes() {
    return probes;
  }

  int failures() {
    return failures;
  }

  /** Why the last failed probe failed, or null. */
  String lastFailure() {
    return lastFailure;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(15_000);
  }
}
