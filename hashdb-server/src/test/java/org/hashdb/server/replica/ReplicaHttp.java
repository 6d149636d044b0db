package org.hashdb.server.replica;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/** HTTP calls the replica tests make against primaries and replicas. */
final class ReplicaHttp {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  private ReplicaHttp() {}

  /** {@code path} on the listener of the server at {@code base} (public URL) that serves it. */
  static URI at(String base, String path) {
    return URI.create((org.hashdb.server.http.TestServer.onAdminListener(path)
        ? org.hashdb.server.cli.ServerProcess.adminUrlOf(base) : base) + path);
  }

  static HttpResponse<String> get(String base, String path, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(at(base, path)).timeout(Duration.ofSeconds(30));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> send(String base, String method, String path, String key, String json)
      throws Exception {
    HttpRequest r = HttpRequest.newBuilder(at(base, path)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(json)).build();
    return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
  }

  /** Adds sha256 entries on list "a"; returns the sequence of the write. */
  static long add(String base, String admin, List<String> hexes) throws Exception {
    StringBuilder sb = new StringBuilder("{\"entries\":[");
    for (int i = 0; i < hexes.size(); i++) {
      sb.append(i == 0 ? "" : ",").append("{\"type\":\"sha256\",\"hash\":\"").append(hexes.get(i))
          .append("\",\"list\":\"a\",\"category\":\"A1\"}");
    }
    HttpResponse<String> r = send(base, "POST", "/v1/admin/entries", admin, sb.append("]}").toString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("add: " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body()).get("sequence").asLong();
  }

  /** Whether {@code hex} matches (200 required). */
  static boolean matches(String base, String key, String hex) throws Exception {
    HttpResponse<String> r = get(base, "/v1/hashes/sha256/" + hex, key);
    if (r.statusCode() != 200) {
      throw new IllegalStateException("lookup: " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body()).get("match").asBoolean();
  }

  /** The feed's answer after {@code since} (one change at most). */
  static JsonNode feed(String base, String key, long since) throws Exception {
    HttpResponse<String> r = get(base, "/v1/admin/changes?limit=1&since=" + since, key);
    if (r.statusCode() != 200) {
      throw new IllegalStateException("changes: " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  /** The server's sequence and running digest there, read from its own feed. */
  static String sequenceAndDigest(String base, String admin) throws Exception {
    JsonNode stats = JSON.readTree(get(base, "/v1/admin/stats", admin).body());
    long seq = stats.get("sequence").asLong();
    return seq + ":" + feed(base, admin, seq).get("digest").asText();
  }

  /** A metric's value from /metrics, or NaN. */
  static double metric(String base, String key, String name) throws Exception {
    for (String line : get(base, "/metrics", key).body().split("\n")) {
      if (line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    return Double.NaN;
  }

  /** Polls {@code condition} every 20 ms until it holds or {@code millis} pass; returns it. */
  static boolean await(long millis, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(20);
    }
    return condition.getAsBoolean();
  }

  /** {@code condition} with checked exceptions turned into false. */
  interface Check {
    boolean test() throws Exception;
  }

  static BooleanSupplier quietly(Check c) {
    return () -> {
      try {
        return c.test();
      } catch (Exception e) {
        return false;
      }
    };
  }
}
