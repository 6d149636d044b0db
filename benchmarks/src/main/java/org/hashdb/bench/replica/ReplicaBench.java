package org.hashdb.bench.replica;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The measuring side of {@code benchmarks/replica.sh} (the script starts the servers):
 *
 * <pre>
 * latency PRIMARY REPLICA ADMIN_KEY QUERY_KEY COUNT   add one entry on the primary, then look it up
 *                                                      on the replica until it matches; p50/p99/max
 * write PRIMARY ADMIN_KEY CHANGES ENTRIES_PER_CHANGE  that many adds, one after the other
 * catchup REPLICA ADMIN_KEY TARGET_SEQUENCE           polls the replica's applied sequence until it
 *                                                      reaches TARGET; changes per second after the
 *                                                      first applied change
 * </pre>
 */
public final class ReplicaBench {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private ReplicaBench() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "latency" -> latency(args[1], args[2], args[3], args[4], Integer.parseInt(args[5]));
      case "write" -> write(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
      case "catchup" -> catchup(args[1], args[2], Long.parseLong(args[3]));
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  private static final SplittableRandom RANDOM = new SplittableRandom(14);

  private static String hex() {
    StringBuilder sb = new StringBuilder(64);
    for (int i = 0; i < 4; i++) {
      sb.append(String.format(Locale.ROOT, "%016x", RANDOM.nextLong()));
    }
    return sb.toString();
  }

  private static HttpResponse<String> get(String url, String key) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key)
        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void add(String primary, String admin, int entries) throws Exception {
    StringBuilder sb = new StringBuilder("{\"entries\":[");
    for (int i = 0; i < entries; i++) {
      sb.append(i == 0 ? "" : ",").append("{\"type\":\"sha256\",\"hash\":\"").append(hex())
          .append("\",\"list\":\"bench\"}");
    }
    addBody(primary, admin, sb.append("]}").toString());
  }

  private static void addBody(String primary, String admin, String body) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(primary + "/v1/admin/entries"))
        .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("add: " + r.statusCode() + " " + r.body());
    }
  }

  static void latency(String primary, String replica, String admin, String query, int count)
      throws Exception {
    double[] ms = new double[count];
    for (int i = 0; i < count; i++) {
      String h = hex();
      addBody(primary, admin, "{\"entries\":[{\"type\":\"sha256\",\"hash\":\"" + h + "\",\"list\":\"bench\"}]}");
      long t0 = System.nanoTime(); // the add is acknowledged
      while (!get(replica + "/v1/hashes/sha256/" + h, query).body().contains("\"match\":true")) {
        if (System.nanoTime() - t0 > 30_000_000_000L) {
          throw new IllegalStateException("not visible on the replica after 30 s");
        }
      }
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    System.out.printf(Locale.ROOT, "RESULT add-to-visibility ms over %d adds: p50 %.1f p99 %.1f max %.1f%n",
        count, ms[count / 2], ms[(int) Math.min(count - 1, Math.ceil(count * 0.99) - 1)], ms[count - 1]);
  }

  static void write(String primary, String admin, int changes, int perChange) throws Exception {
    long t0 = System.nanoTime();
    for (int i = 0; i < changes; i++) {
      add(primary, admin, perChange);
    }
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "RESULT wrote %d changes of %d entries in %.1f s (%.0f changes/s)%n",
        changes, perChange, s, changes / s);
  }

  static void catchup(String replica, String admin, long target) throws Exception {
    long start = System.nanoTime();
    long first = -1;
    long firstAt = 0;
    long applied = -1;
    while (applied < target) {
      try {
        applied = metric(get(replica + "/metrics", admin).body(), "hashdb_replica_applied_sequence");
        if (first < 0 && applied > 0) {
          first = applied;
          firstAt = System.nanoTime();
        }
      } catch (java.io.IOException e) {
        // not listening yet
      }
      if (System.nanoTime() - start > 1_800_000_000_000L) {
        throw new IllegalStateException("no catch-up in 30 min (at " + applied + ")");
      }
      Thread.sleep(20);
    }
    double total = (System.nanoTime() - start) / 1e9;
    double following = (System.nanoTime() - firstAt) / 1e9;
    System.out.printf(Locale.ROOT, "RESULT catch-up: %d changes in %.1f s after its first applied change "
        + "(%.0f changes/s); %.1f s from process start to caught up%n",
        target - first, following, (target - first) / following, total);
  }

  private static long metric(String body, String name) {
    for (String line : body.split("\n")) {
      if (line.startsWith(name + " ")) {
        return Long.parseLong(line.substring(name.length() + 1).trim());
      }
    }
    return -1;
  }
}
