package org.hashdb.server.api;

import static org.hashdb.server.api.ApiService.json;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.store.Change;
import org.hashdb.core.store.HashDatabase;
import org.hashdb.core.store.NewEntry;
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

  ReplicaRoutes(ServerConfig config, AuditLog audit, Workers workers) {
    this.config = config;
    this.audit = audit;
    this.workers = workers;
  }

  /** Changes after {@code since}, at most {@code limit}; 410 once they left the log. */
  CompletableFuture<FullHttpResponse> changes(HashDatabase d, ApiRequest req) {
    long since = parseLong(req.param("since"), "since", 0, Long.MAX_VALUE - 1, 0);
    int limit = (int) parseLong(req.param("limit"), "limit", 1, config.maxChangesLimit(),
        Math.min(1000, config.maxChangesLimit()));
    ByteBufAllocator alloc = req.alloc();
    return workers.submit(() -> {
      long first = d.firstAvailableChange();
      if (since + 1 < first) {
        throw new ApiException(HttpResponseStatus.GONE, "snapshot_required",
            "changes after " + since + " are no longer in the log (oldest available: " + first
                + "); bootstrap from GET /v1/admin/snapshot");
      }
      List<Change> changes = d.changes(since + 1, limit);
      long current = d.sequence();
      return json(alloc, HttpResponseStatus.OK, g -> {
        g.writeStartObject();
        g.writeNumberField("since", since);
        g.writeNumberField("sequence", current);
        long next = since;
        g.writeArrayFieldStart("changes");
        for (Change c : changes) {
          next = c.sequence();
          g.writeStartObject();
          g.writeNumberField("sequence", c.sequence());
          g.writeStringField("time", Instant.ofEpochMilli(c.timeMillis()).toString());
          g.writeStringField("kind", c.kind() == Change.Kind.ADD ? "add" : "remove");
          g.writeArrayFieldStart("entries");
          for (NewEntry e : c.entries()) {
            g.writeStartObject();
            g.writeStringField("type", e.type().apiName());
            g.writeStringField("hash", Hex.encode(e.value()));
            if (c.kind() == Change.Kind.ADD || !e.list().isEmpty()) {
              g.writeStringField("list", e.list());
            } else {
              g.writeNullField("list");
            }
            if (c.kind() == Change.Kind.ADD) {
              g.writeStringField("category", e.category());
              g.writeStringField("source", e.source());
              if (e.frames() != null) { // a video: its frame hashes, so a follower can rebuild it
                g.writeArrayFieldStart("frames");
                for (int f = 0; f < e.frames().length; f += 32) {
                  g.writeString(Hex.encode(e.frames(), f, 32));
                }
                g.writeEndArray();
              }
            }
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField("next", next);
        g.writeBooleanField("more", next < current);
        g.writeEndObject();
      });
    });
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
        long seq = d.exportSnapshot(tmp);
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM)
            .set(ApiService.SEQUENCE_HEADER, seq)
            .set(HttpHeaderNames.CONTENT_DISPOSITION,
                "attachment; filename=\"hashdb-" + seq + ".snapshot\"");
        HttpUtil.setContentLength(head, Files.size(tmp));
        audit.event("snapshot", key.name(), g -> g.writeNumberField("sequence", seq));
        return new FileBody(head, tmp, true);
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(tmp);
        throw e;
      }
    });
  }
}
