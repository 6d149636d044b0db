package org.hashdb.server.replica;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * The replica's HTTP side: the primary's snapshot download (streamed to a file), change feed
 * (long-poll, streamed to the caller) and keys file, authenticated with the replica key. A
 * non-2xx answer is a {@link PrimaryException} with the primary's status and error body.
 */
final class PrimaryClient {
  /** Longest error body kept for a message. */
  private static final int MAX_ERROR_BYTES = 4096;
  /** The keys file is small: anything bigger is refused rather than held. */
  static final int MAX_KEYS_BYTES = 16 << 20;

  private final String base;
  private final String authorization;
  private final HttpClient http;

  PrimaryClient(String baseUrl, String replicaKey) {
    this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.authorization = "Bearer " + replicaKey;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** A non-2xx answer of the primary. */
  static final class PrimaryException extends IOException {
    final int status;

    PrimaryException(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  /** The snapshot's sequence and digest, from the download's headers. */
  record Snapshot(long sequence, String digest) {}

  /** Downloads a snapshot into {@code file}, streamed (never held in memory). */
  Snapshot downloadSnapshot(Path file) throws IOException, InterruptedException {
    // The list itself: created mode 600 before the download writes into it (ofFile uses the umask).
    Files.deleteIfExists(file);
    org.hashdb.core.disk.PrivateFiles.createFile(file);
    HttpResponse<Path> r = http.send(request("/v1/admin/snapshot", Duration.ofHours(6)),
        HttpResponse.BodyHandlers.ofFile(file, StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE));
    if (r.statusCode() != 200) {
      String body = Files.readString(file, StandardCharsets.UTF_8);
      Files.deleteIfExists(file);
      throw error(r.statusCode(), body);
    }
    String seq = r.headers().firstValue("X-HashDB-Sequence").orElse(null);
    String digest = r.headers().firstValue("X-HashDB-Digest").orElse(null);
    if (seq == null || digest == null) {
      throw new IOException("the primary's snapshot download has no X-HashDB-Sequence or"
          + " X-HashDB-Digest header (a primary of this version is needed)");
    }
    try {
      return new Snapshot(Long.parseLong(seq), digest);
    } catch (NumberFormatException e) {
      throw new IOException("bad X-HashDB-Sequence header from the primary: " + seq);
    }
  }

  /** Opens one page of the feed after {@code since}, waiting up to {@code waitSeconds}. */
  InputStream changes(long since, int waitSeconds) throws IOException, InterruptedException {
    HttpResponse<InputStream> r = http.send(
        request("/v1/admin/changes?records=true&limit=10000&since=" + since + "&wait=" + waitSeconds,
            Duration.ofSeconds(waitSeconds + 60L)),
        HttpResponse.BodyHandlers.ofInputStream());
    if (r.statusCode() != 200) {
      try (InputStream in = r.body()) {
        throw error(r.statusCode(),
            new String(in.readNBytes(MAX_ERROR_BYTES), StandardCharsets.UTF_8));
      }
    }
    return r.body();
  }

  /** The primary's keys file, as stored. */
  byte[] keys() throws IOException, InterruptedException {
    HttpResponse<InputStream> r = http.send(request("/v1/admin/replica/keys", Duration.ofSeconds(30)),
        HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = r.body()) {
      byte[] body = in.readNBytes(MAX_KEYS_BYTES + 1);
      if (r.statusCode() != 200) {
        throw error(r.statusCode(), new String(body, 0, Math.min(body.length, MAX_ERROR_BYTES),
            StandardCharsets.UTF_8));
      }
      if (body.length > MAX_KEYS_BYTES) {
        throw new IOException("the primary's keys file is larger than " + MAX_KEYS_BYTES + " bytes");
      }
      return body;
    }
  }

  private HttpRequest request(String pathAndQuery, Duration timeout) {
    return HttpRequest.newBuilder(URI.create(base + pathAndQuery))
        .header("Authorization", authorization).timeout(timeout).GET().build();
  }

  private PrimaryException error(int status, String body) {
    String b = body.length() > 300 ? body.substring(0, 300) + "..." : body;
    return new PrimaryException(status, "primary " + base + " answered " + status + ": " + b.strip());
  }
}
