package org.hashdb.server.api;

import org.hashdb.server.ApiException;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.hashdb.core.disk.SnapshotFormat;
import org.hashdb.core.db.Change;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.StateDigest;
import io.netty.handler.codec.http.FullHttpResponse;
import org.hashdb.server.ServerConfig;
import org.hashdb.server.audit.AuditLog;
import org.hashdb.server.auth.ApiKey;

/**
 * The replica routes: the change feed ({@code GET /v1/admin/changes}) and the snapshot download
 * ({@code GET /v1/admin/snapshot}) a follower bootstraps from. Separate because both read the
 * log or the disk and so run on the {@link Workers} pool, and they form the replication
 * protocol as one unit. Thread-safe.
 */
final class ReplicaRoutes {
  private final ServerConfig config;
  private final AuditLog audit;
  private final Workers workers;

  private final ChangeWaiters waiters = new ChangeWaiters();
  private final java.util.function.Supplier<Path> keyFile;

  ReplicaRoutes(ServerConfig config, AuditLog audit, Workers workers,
      java.util.function.Supplier<Path> keyFile) {
    this.config = config;
    this.keyFile = keyFile;
    this.audit = audit;
    this.workers = workers;
  }

  /**
   * Changes after {@code since}: at most {@code limit} changes and, counting the entries inside
   * import batches, {@code maxChangesEntries} entries and {@code maxChangesBytes} bytes; 410 once
   * they left the log. The page is written to a temporary file by a worker and streamed chunked.
   */
  CompletableFuture<FileBody> changes(HashDatabase d, ApiRequest req) {
    long since = parseLong(req.param("since"), "since", 0, Long.MAX_VALUE - 1, 0);
    int limit = (int) parseLong(req.param("limit"), "limit", 1, config.maxChangesLimit(),
        Math.min(1000, config.maxChangesLimit()));
    // a long-poll: with nothing after since, answer once a change is durable or wait= s passed
    long waitSeconds = Math.min(parseLong(req.param("wait"), "wait", 0, 86_400, 0),
        config.maxChangesWaitSeconds());
    String recordsParam = req.param("records");
    if (recordsParam != null && !recordsParam.equals("true") && !recordsParam.equals("false")) {
      throw ApiException.invalidRequest("records: must be true or false");
    }
    boolean records = "true".equals(recordsParam);
    boolean http10 = req.http().protocolVersion() == HttpVersion.HTTP_1_0;
    if (since > d.sequence()) {
      // a follower ahead of this server: it followed another history (a primary restored from
      // an older backup); only a fresh snapshot makes it equal again
      throw new ApiException(HttpResponseStatus.GONE, "snapshot_required", "since " + since
          + " is after the newest change (" + d.sequence() + "); bootstrap from GET /v1/admin/snapshot");
    }
    CompletableFuture<Void> ready = waitSeconds > 0 && d.sequence() <= since
        ? waiters.await(d, since, waitSeconds * 1000)
        : CompletableFuture.completedFuture(null);
    return ready.thenCompose(x -> workers.submit(() -> {
      long first = d.firstAvailableChange();
      byte[] sinceDigest = since + 1 < first ? null : d.digestAt(since);
      if (sinceDigest == null) {
        throw new ApiException(HttpResponseStatus.GONE, "snapshot_required",
            "changes after " + since + " are no longer in the log (oldest available: " + first
                + "); bootstrap from GET /v1/admin/snapshot");
      }
      Path tmp = Files.createTempFile("hashdb-changes-", ".json");
      try {
        ChangeFeedWriter.Page page = ChangeFeedWriter.write(d, since, sinceDigest, records, limit,
            config.maxChangesEntries(), config.maxChangesBytes(), tmp);
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        if (http10) {
          HttpUtil.setContentLength(head, page.bytes()); // HTTP/1.0 has no chunked coding
        } else {
          HttpUtil.setTransferEncodingChunked(head, true);
        }
        return new FileBody(head, tmp, true);
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(tmp);
        throw e;
      }
    }));
  }

  /** Answers every waiting long-poll now (shutdown). */
  void releaseWaiters() {
    waiters.releaseAll();
  }

  /** Wakes the long-polls waiting on {@code d} whenever a write to it is durable. */
  void follow(HashDatabase d) {
    d.onDurable(waiters::durable);
  }

  /**
   * The keys file as stored (names, roles, lists, limits and salted secret hashes; never a
   * secret): a replica copies it so that keys created or revoked here take effect there too.
   */
  FullHttpResponse keys(ApiRequest req) throws IOException {
    Path file = keyFile.get();
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (java.nio.file.NoSuchFileException e) {
      content = "{\"keys\":[]}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
    return ApiService.bytes(req.alloc(), HttpResponseStatus.OK, "application/json", content);
  }

  private static long parseLong(String text, String name, long min, long max, long dflt) {
    if (text == null) {
      return dflt;
    }
    if (text.isEmpty() || text.length() > 19) {
      throw ApiException.invalidRequest(name + ": must be an integer in " + min + ".." + max);
    }
    long v = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw ApiException.invalidRequest(name + ": must be an integer in " + min + ".." + max);
      }
      v = v * 10 + (c - '0');
      if (v < 0) {
        throw ApiException.invalidRequest(name + ": must be an integer in " + min + ".." + max);
      }
    }
    if (v < min || v > max) {
      throw ApiException.invalidRequest(name + ": must be in " + min + ".." + max + ", got " + v);
    }
    return v;
  }

  /** A snapshot exported to a temporary file, streamed and then deleted by the HTTP layer. */
  CompletableFuture<FileBody> snapshot(HashDatabase d, ApiRequest req) {
    ApiKey key = req.key();
    return workers.submit(() -> {
      Path tmp = Files.createTempFile("hashdb-snapshot-", ".bin");
      try {
        StateDigest.At at = d.exportSnapshotWithDigest(tmp);
        long seq = at.sequence();
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM)
            .set(ApiService.SEQUENCE_HEADER, seq)
            .set(ApiService.DIGEST_HEADER, at.hex())
            .set(HttpHeaderNames.CONTENT_DISPOSITION,
                // the name a data directory loads it under, so the download works as saved
                "attachment; filename=\"" + SnapshotFormat.fileName(seq) + "\"");
        HttpUtil.setContentLength(head, Files.size(tmp));
        audit.event("snapshot", key.name(), key.id(), g -> g.writeNumberField("sequence", seq));
        return new FileBody(head, tmp, true);
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(tmp);
        throw e;
      }
    });
  }
}
