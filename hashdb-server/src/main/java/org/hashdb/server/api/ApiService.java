package org.hashdb.server.api;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.store.Change;
import org.hashdb.core.store.DatabaseStats;
import org.hashdb.core.store.HashDatabase;
import org.hashdb.core.store.NewEntry;
import org.hashdb.server.ServerConfig;
import org.hashdb.server.audit.AuditLog;
import org.hashdb.server.auth.ApiKey;
import org.hashdb.server.auth.KeyRing;
import org.hashdb.server.metrics.ServerMetrics;

/**
 * Answers routed requests. Lookups run on the calling (event loop) thread: they are lock-free
 * reads. Durable writes, the change feed, snapshot exports and imports run on worker
 * executors and answer with a future, so an fsync never stalls an event loop. Thread-safe.
 */
public final class ApiService implements Closeable {
  private static final byte[] HEALTHY = "{\"status\":\"ok\"}".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] READY = "{\"status\":\"ready\"}".getBytes(StandardCharsets.US_ASCII);
  /** Response header carrying the sequence number of a snapshot download. */
  public static final String SEQUENCE_HEADER = "X-HashDB-Sequence";

  private final ServerConfig config;
  private final KeyRing keys;
  private final AuditLog audit;
  private final ServerMetrics metrics;
  private final Workers workers;
  private final byte[] openApi;
  private final LookupRoutes lookups;
  private final AdminRoutes admin;
  private volatile HashDatabase db; // null until loaded

  public ApiService(ServerConfig config, KeyRing keys, AuditLog audit) {
    this.config = config;
    this.keys = keys;
    this.audit = audit;
    this.metrics = new ServerMetrics(Route.metricNames(), () -> db);
    this.workers = new Workers(config);
    this.openApi = loadOpenApi();
    this.lookups = new LookupRoutes(config, metrics, audit);
    this.admin = new AdminRoutes(config, metrics, audit, workers); // reads the trusted keys
  }

  static byte[] loadOpenApi() {
    try (InputStream in = ApiService.class.getResourceAsStream("openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json resource missing");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Makes {@code database} the served database: the server is ready from now on. */
  public void databaseReady(HashDatabase database) {
    this.db = database;
  }

  /** The served database, or null while loading. */
  public HashDatabase database() {
    return db;
  }

  public boolean ready() {
    return db != null;
  }

  public ServerConfig config() {
    return config;
  }

  public KeyRing keys() {
    return keys;
  }

  public ServerMetrics metrics() {
    return metrics;
  }

  public AuditLog audit() {
    return audit;
  }

  // ---------------------------------------------------------------- before the body

  /**
   * Checks what can be checked before the body is read (the route's key is already checked):
   * readiness, query parameters that decide how the body is read, content type. Returns the
   * largest body accepted, in bytes (0 for routes without a body).
   */
  public long prepare(Route route, ApiRequest req) {
    if (route.needsDatabase() && db == null) {
      throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable",
          "the database is still loading", "Retry-After", "1");
    }
    HttpHeaders h = req.http().headers();
    switch (route.body()) {
      case JSON -> {
        requireContentType(h, "application/json");
        return config.maxBodyBytes();
      }
      case BINARY -> {
        requireContentType(h, "application/octet-stream");
        HashType t = LookupRoutes.bulkType(req);
        return (long) config.maxBulkHashes() * t.byteLength();
      }
      case STREAM -> {
        String ct = h.get(HttpHeaderNames.CONTENT_TYPE);
        if (ct == null || !(startsWithType(ct, "text/csv") || startsWithType(ct, "text/plain")
            || startsWithType(ct, "application/octet-stream"))) {
          throw new ApiException(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
              "unsupported_media_type",
              "import bodies must be text/csv, text/plain or application/octet-stream");
        }
        return config.maxImportBytes();
      }
      default -> {
        return 0;
      }
    }
  }

  private static void requireContentType(HttpHeaders h, String type) {
    String ct = h.get(HttpHeaderNames.CONTENT_TYPE);
    if (ct == null || !startsWithType(ct, type)) {
      throw new ApiException(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
          "Content-Type must be " + type);
    }
  }

  private static boolean startsWithType(String ct, String type) {
    if (!ct.regionMatches(true, 0, type, 0, type.length())) {
      return false;
    }
    return ct.length() == type.length() || ct.charAt(type.length()) == ';'
        || ct.charAt(type.length()) == ' ';
  }

  // ---------------------------------------------------------------- the routes

  /**
   * Answers a complete request. Returns a {@link FullHttpResponse}, a {@link FileBody}, or a
   * {@link CompletableFuture} of either; throws {@link ApiException} for a refused request. The
   * body (if any) still belongs to the caller.
   */
  public Object handle(Route route, ApiRequest req) {
    return switch (route) {
      case HEALTHZ -> bytes(req.alloc(), HttpResponseStatus.OK, "application/json", HEALTHY);
      case READYZ -> {
        if (db == null) {
          throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable",
              "the database is still loading", "Retry-After", "1");
        }
        yield bytes(req.alloc(), HttpResponseStatus.OK, "application/json", READY);
      }
      case METRICS -> bytes(req.alloc(), HttpResponseStatus.OK,
          "text/plain; version=0.0.4; charset=utf-8",
          metrics.scrape().getBytes(StandardCharsets.UTF_8));
      case OPENAPI -> bytes(req.alloc(), HttpResponseStatus.OK, "application/json", openApi);
      case HASH -> lookups.single(db, req);
      case LOOKUP -> lookups.batch(db, req);
      case BULK -> lookups.bulk(db, req);
      case ADD_ENTRIES -> admin.addEntries(db, req);
      case DELETE_ENTRY -> admin.deleteEntry(db, req);
      case STATS -> stats(req);
      case CHANGES -> changes(req);
      case SNAPSHOT -> snapshot(req);
      case IMPORT -> throw new IllegalStateException("imports are streamed: use startImport");
    };
  }

  private FullHttpResponse stats(ApiRequest req) {
    HashDatabase d = db;
    DatabaseStats st = d.stats();
    long ram = d.ramBytesUsed();
    Runtime rt = Runtime.getRuntime();
    return json(req.alloc(), HttpResponseStatus.OK, g -> {
      g.writeStartObject();
      g.writeNumberField("sequence", st.sequence());
      g.writeNumberField("entries", st.liveEntries());
      g.writeObjectFieldStart("types");
      for (Map.Entry<HashType, DatabaseStats.TypeStats> e : st.types().entrySet()) {
        DatabaseStats.TypeStats ts = e.getValue();
        g.writeObjectFieldStart(e.getKey().apiName());
        g.writeNumberField("live", ts.live());
        g.writeNumberField("stored", ts.stored());
        g.writeNumberField("indexBytes", ts.indexBytes());
        g.writeNumberField("metadataBytes", ts.metadataBytes());
        g.writeNumberField("indexBytesPerEntry", round2(ts.indexBytesPerEntry()));
        g.writeNumberField("bytesPerEntry", ts.stored() == 0 ? 0
            : round2((double) (ts.indexBytes() + ts.metadataBytes()) / ts.stored()));
        g.writeEndObject();
      }
      g.writeEndObject();
      g.writeObjectFieldStart("lists");
      for (Map.Entry<String, Long> e : st.lists().entrySet()) {
        g.writeNumberField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
      g.writeObjectFieldStart("memory");
      g.writeNumberField("databaseBytes", ram);
      long live = st.liveEntries();
      g.writeNumberField("bytesPerEntry", live == 0 ? 0 : round2((double) ram / live));
      g.writeNumberField("heapUsedBytes", rt.totalMemory() - rt.freeMemory());
      g.writeNumberField("heapMaxBytes", rt.maxMemory());
      g.writeEndObject();
      if (st.lastSnapshot() == null) {
        g.writeNullField("lastSnapshot");
        g.writeNullField("snapshotAgeSeconds");
      } else {
        g.writeStringField("lastSnapshot", st.lastSnapshot().toString());
        g.writeNumberField("snapshotAgeSeconds",
            Duration.between(st.lastSnapshot(), Instant.now()).toSeconds());
      }
      g.writeNumberField("logBytes", st.logBytes());
      g.writeNumberField("firstAvailableChange", d.firstAvailableChange());
      g.writeObjectFieldStart("psi");
      g.writeBooleanField("enabled", false);
      g.writeNumberField("pending", 0);
      g.writeEndObject();
      g.writeObjectFieldStart("keys");
      for (Map.Entry<org.hashdb.server.auth.Role, Integer> e : keys.countsByRole().entrySet()) {
        g.writeNumberField(e.getKey().apiName(), e.getValue());
      }
      g.writeEndObject();
      g.writeEndObject();
    });
  }

  private static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private CompletableFuture<FullHttpResponse> changes(ApiRequest req) {
    HashDatabase d = db;
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

  private CompletableFuture<FileBody> snapshot(ApiRequest req) {
    HashDatabase d = db;
    ApiKey key = req.key();
    return workers.submit(() -> {
      Path tmp = Files.createTempFile("hashdb-snapshot-", ".bin");
      try {
        long seq = d.exportSnapshot(tmp);
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM)
            .set(SEQUENCE_HEADER, seq)
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

  /**
   * Starts a streamed import for a request whose head passed {@link #prepare}: validates the
   * parameters and starts the worker, which waits for the body.
   */
  public ImportJob startImport(ApiRequest req) {
    return admin.startImport(db, req);
  }

  // ---------------------------------------------------------------- plumbing

  /** Writes the body of a JSON response. */
  public interface JsonBody {
    void write(JsonGenerator g) throws IOException;
  }

  /** A JSON response written with a {@link JsonGenerator} straight into a pooled buffer. */
  public static FullHttpResponse json(ByteBufAllocator alloc, HttpResponseStatus status,
      JsonBody body) {
    ByteBuf buf = alloc.buffer(256);
    try (JsonGenerator g = LookupCodec.JSON.createGenerator(
        (OutputStream) new ByteBufOutputStream(buf), JsonEncoding.UTF8)) {
      body.write(g);
    } catch (IOException | RuntimeException e) {
      buf.release();
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new UncheckedIOException((IOException) e);
    }
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, buf);
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    return r;
  }

  static FullHttpResponse bytes(ByteBufAllocator alloc, HttpResponseStatus status,
      String contentType, byte[] content) {
    ByteBuf buf = alloc.buffer(content.length).writeBytes(content);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, buf);
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    return r;
  }

  /**
   * The API error for a failure: bad input is a 4xx with its code; storage trouble is 503; only
   * a bug is 500 (and is logged). The table is {@link ApiErrors}.
   */
  public static ApiException toApiException(Throwable t) {
    return ApiErrors.of(t);
  }

  /** Stops the worker executors, letting running work finish (up to {@code millis}). */
  public void shutdown(long millis) throws InterruptedException {
    workers.shutdown(millis);
  }

  @Override
  public void close() {
    workers.close();
  }
}
