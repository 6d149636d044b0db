package org.hashdb.server.api;

import org.hashdb.server.ApiException;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.server.ReplicaState;
import org.hashdb.server.ServerConfig;
import org.hashdb.server.audit.AuditLog;
import org.hashdb.server.auth.ApiKey;
import org.hashdb.server.auth.KeyRing;
import org.hashdb.server.auth.Role;
import org.hashdb.server.metrics.ServerMetrics;
import org.hashdb.server.psi.PsiService;

/**
 * Answers routed requests: owns the lifecycle (the served database, the {@link Workers}),
 * checks what can be checked before a body is read, and dispatches each {@link Route} to its
 * group ({@link LookupRoutes}, {@link AdminRoutes}, {@link ReplicaRoutes}, {@link StatsRoute});
 * the small health, metrics and OpenAPI routes are answered here (the last two need a key of
 * any role: per-list metrics are cut to the key's lists). Small exact lookups run on the
 * calling (event loop) thread: they are lock-free reads of a few microseconds. PDQ searches
 * and large batches run on the lookup pool, durable writes, the change feed, snapshot exports
 * and imports on other worker executors; they answer with a future, so neither an fsync nor a
 * heavy batch stalls an event loop. Thread-safe.
 */
public final class ApiService implements Closeable {
  private static final byte[] HEALTHY = "{\"status\":\"ok\"}".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] READY = "{\"status\":\"ready\"}".getBytes(StandardCharsets.US_ASCII);
  /**
   * Ready, but the keys file does not read: the node stays in service with the keys it read
   * last (a bad edit must not take every node out of the load balancer), and says so here.
   */
  private static final byte[] READY_KEYS_UNREADABLE =
      "{\"status\":\"ready\",\"warnings\":[\"keys_file_unreadable\"]}"
          .getBytes(StandardCharsets.US_ASCII);
  /** Response header carrying the sequence number of a snapshot download. */
  public static final String SEQUENCE_HEADER = "X-HashDB-Sequence";
  /** Response header carrying the running state digest of a snapshot download. */
  public static final String DIGEST_HEADER = "X-HashDB-Digest";

  private final ServerConfig config;
  private final KeyRing keys;
  private final AuditLog audit;
  private final ServerMetrics metrics;
  private final Workers workers;
  private final VideoRoutes videos;
  private final byte[] openApi;
  private final LookupRoutes lookups;
  private final AdminRoutes admin;
  private final ReplicaRoutes replicas;
  private final StatsRoute stats;
  private final PsiRoutes privateLookups;
  private volatile HashDatabase db; // null until loaded
  private volatile PsiService psi; // null: private lookups off (their routes answer 404)
  private volatile ReplicaState replica; // null: this server is a primary
  private final SequenceHeader sequenceHeader = new SequenceHeader();

  public ApiService(ServerConfig config, KeyRing keys, AuditLog audit) {
    this.config = config;
    this.keys = keys;
    this.audit = audit;
    this.metrics = new ServerMetrics(Route.metricNames(), () -> db);
    metrics.keysFile(() -> keys.failure() != null, keys::failureCount);
    this.workers = new Workers(config);
    this.openApi = loadOpenApi();
    this.lookups = new LookupRoutes(config, metrics, audit);
    this.admin = new AdminRoutes(config, metrics, audit, workers); // reads the trusted keys
    this.replicas = new ReplicaRoutes(config, audit, workers, keys::path);
    this.videos = new VideoRoutes(config, metrics, audit, workers);
    this.stats = new StatsRoute(keys, () -> psi);
    this.privateLookups = new PsiRoutes(() -> psi, metrics, workers);
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
    replicas.follow(database); // change feed long-polls wake on its durable writes
    this.db = database;
  }

  /** Makes this server a read replica: writes refused, readiness and metrics from {@code state}. */
  public void replicaOf(ReplicaState state) {
    this.replica = state;
  }

  /** The replica's state, or null on a primary. */
  public ReplicaState replica() {
    return replica;
  }

  /** Serves private lookups through {@code service} from now on (null: off, routes 404). */
  public void privateLookups(PsiService service) {
    this.psi = service;
  }

  /** The private lookup service, or null when off. */
  public PsiService privateLookups() {
    return psi;
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
    ReplicaState r = replica;
    if (r != null && route.writesList()) {
      throw new ApiException(HttpResponseStatus.CONFLICT, "read_only_replica",
          "this server is a read replica of " + r.primaryUrl() + ": send writes to the primary");
    }
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
    if (route.isLookup()) {
      // read before the lookup: the answer reflects at least every change up to it
      return sequenceHeader.attach(answer(route, req), db.sequence());
    }
    return answer(route, req);
  }

  private Object answer(Route route, ApiRequest req) {
    HashDatabase d = db; // non-null for the routes that need it: prepare checked
    return switch (route) {
      case HEALTHZ -> bytes(req.alloc(), HttpResponseStatus.OK, "application/json", HEALTHY);
      case READYZ -> {
        if (d == null) {
          throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable",
              "the database is still loading", "Retry-After", "1");
        }
        ReplicaState r = replica;
        String why = r == null ? null : r.unreadyReason(config);
        if (why != null) {
          throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable", why,
              "Retry-After", "1");
        }
        yield bytes(req.alloc(), HttpResponseStatus.OK, "application/json",
            keys.failure() == null ? READY : READY_KEYS_UNREADABLE);
      }
      case METRICS -> bytes(req.alloc(), HttpResponseStatus.OK,
          "text/plain; version=0.0.4; charset=utf-8",
          (metrics.scrape(visibleLists(req.key()))
              + (replica == null ? "" : replica.prometheus(config))).getBytes(StandardCharsets.UTF_8));
      case OPENAPI -> bytes(req.alloc(), HttpResponseStatus.OK, "application/json", openApi);
      case HASH -> isPdqPath(req.uri())
          ? workers.lookup(req.key().id(), () -> lookups.single(d, req))
          : lookups.single(d, req);
      case LOOKUP -> heavyBatch(req.body())
          ? workers.lookup(req.key().id(), () -> lookups.batch(d, req))
          : lookups.batch(d, req);
      case BULK -> req.body().readableBytes() > OFFLOAD_BULK_BYTES
          ? workers.lookup(req.key().id(), () -> lookups.bulk(d, req))
          : lookups.bulk(d, req);
      case LOOKUP_VIDEO -> videos.lookup(d, req);
      case ADD_ENTRIES -> admin.addEntries(d, req);
      case DELETE_ENTRY -> admin.deleteEntry(d, req);
      case STATS -> stats.stats(d, req);
      case CHANGES -> replicas.changes(d, req);
      case SNAPSHOT -> replicas.snapshot(d, req);
      case REPLICA_KEYS -> {
        try {
          yield replicas.keys(req);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      case PSI_CONFIG -> privateLookups.config(req);
      case PSI_LOOKUP -> privateLookups.lookup(req);
      case PSI_ROTATE -> privateLookups.rotate(req);
      case IMPORT -> throw new IllegalStateException("imports are streamed: use startImport");
    };
  }

  private static final String PDQ_PATH = "/v1/hashes/pdq/";
  private static final byte[] PDQ_TYPE = "pdq".getBytes(StandardCharsets.US_ASCII);
  /** JSON batches above this many body bytes (about 16 queries) run on the lookup pool. */
  static final int OFFLOAD_JSON_BYTES = 2048;
  /** Bulk bodies above this many bytes (2,048 SHA-256 hashes) run on the lookup pool. */
  static final int OFFLOAD_BULK_BYTES = 64 << 10;

  private static boolean isPdqPath(String uri) {
    return uri.regionMatches(true, 0, PDQ_PATH, 0, PDQ_PATH.length());
  }

  /** A JSON batch that is large or may hold a PDQ search: too much for an event loop. */
  static boolean heavyBatch(ByteBuf body) {
    int n = body.readableBytes();
    if (n > OFFLOAD_JSON_BYTES) {
      return true;
    }
    int start = body.readerIndex();
    outer:
    for (int i = start; i + PDQ_TYPE.length <= start + n; i++) {
      for (int j = 0; j < PDQ_TYPE.length; j++) {
        if ((body.getByte(i + j) | 0x20) != PDQ_TYPE[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /**
   * Starts a streamed import for a request whose head passed {@link #prepare}: validates the
   * parameters and starts the worker, which waits for the body.
   */
  public ImportJob startImport(ApiRequest req) {
    return admin.startImport(db, req);
  }

  /** The lists whose per-list metrics {@code key} may read: null (all) for admin keys. */
  static Set<String> visibleLists(ApiKey key) {
    return key.role() == Role.ADMIN || key.lists() == null ? null : Set.copyOf(key.lists());
  }

  // ---------------------------------------------------------------- shared helpers

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

  // ---------------------------------------------------------------- shutdown

  /** Stops the worker executors, letting running work finish (up to {@code millis}). */
  public void shutdown(long millis) throws InterruptedException {
    replicas.releaseWaiters();
    workers.shutdown(millis);
    PsiService p = psi;
    if (p != null) {
      p.close(); // before the database closes: the precomputer reads it
    }
  }

  @Override
  public void close() {
    workers.close();
    PsiService p = psi;
    if (p != null) {
      p.close();
    }
  }
}
