package org.hashdb.server.api;

import org.hashdb.server.ApiException;

import static org.hashdb.server.api.ApiService.json;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.hashdb.core.hash.HashFormatException;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.hash.UnknownHashTypeException;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.ListFilter;
import org.hashdb.core.db.Hit;
import org.hashdb.server.ServerConfig;
import org.hashdb.server.audit.AuditLog;
import org.hashdb.server.audit.MatchSummary;
import org.hashdb.server.auth.ApiKey;
import org.hashdb.server.metrics.ServerMetrics;

/**
 * The lookup routes: a single hash ({@code GET /v1/hashes/{type}/{hash}}), a JSON batch and a
 * binary bulk request; every match is counted, each request that matched gets one audit record
 * ({@link MatchSummary}), and the work inside a request is charged to its key's rate limit
 * ({@link #chargeWork}). Kept apart from the write routes because this is the hot path: it runs
 * on the event loop (or, for PDQ and large batches, on the lookup pool), reuses per-thread
 * {@link Scratch} buffers and allocates nothing on a miss. Thread-safe.
 */
final class LookupRoutes {
  private final ServerConfig config;
  private final ServerMetrics metrics;
  private final AuditLog audit;
  // route names in match audit records
  private static final String AUDIT_HASH = Route.HASH.name().toLowerCase(Locale.ROOT);
  private static final String AUDIT_LOOKUP = Route.LOOKUP.name().toLowerCase(Locale.ROOT);
  private static final String AUDIT_BULK = Route.BULK.name().toLowerCase(Locale.ROOT);
  private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

  LookupRoutes(ServerConfig config, ServerMetrics metrics, AuditLog audit) {
    this.config = config;
    this.metrics = metrics;
    this.audit = audit;
  }

  /** The {@code type} parameter of a bulk request: required, and an exact type. */
  static HashType bulkType(ApiRequest req) {
    String t = req.param("type");
    if (t == null) {
      throw ApiException.invalidRequest("type: required (md5, sha1 or sha256)");
    }
    HashType type;
    try {
      type = HashType.parse(t);
    } catch (UnknownHashTypeException e) {
      throw ApiException.badRequest("unknown_hash_type", "type: " + e.getMessage());
    }
    if (!type.isExact()) {
      throw ApiException.invalidRequest("type: bulk lookups are for exact types (md5, sha1, sha256)");
    }
    return type;
  }

  /** {@code GET /v1/hashes/{type}/{hash}[?maxDistance=]}. */
  FullHttpResponse single(HashDatabase d, ApiRequest req) {
    String uri = req.uri();
    int typeStart = "/v1/hashes/".length();
    int slash = uri.indexOf('/', typeStart);
    HashType type = HashType.find(uri, typeStart, slash);
    if (type == null) {
      throw ApiException.badRequest("unknown_hash_type",
          new UnknownHashTypeException(uri.substring(typeStart, slash)).getMessage());
    }
    Scratch s = scratch.get();
    try {
      Hex.decode(type, uri, slash + 1, req.pathEnd(), s.value, 0);
    } catch (HashFormatException e) {
      throw ApiException.badRequest("invalid_hash", e.getMessage());
    }
    ApiKey key = req.key();
    int distance = DistanceCeiling.defaultFor(config, key);
    if (req.hasQuery()) {
      String md = req.param("maxDistance");
      if (md != null) {
        distance = parseDistance(md, "maxDistance", key.maxDistance());
      }
    }
    if (!type.isExact()) {
      chargeWork(key, pdqCost(distance) - 1); // the request's own token was taken at its head
    }
    List<Hit> matches = find(d, type, s.value, 0, distance, key.filter(), s);
    metrics.lookups(type, 1);
    if (!matches.isEmpty()) {
      MatchSummary summary = s.summary;
      summary.reset();
      record(type, s.value, 0, matches, summary);
      audit.matches(key.name(), key.id(), AUDIT_HASH, summary);
    }
    return json(req.alloc(), HttpResponseStatus.OK,
        g -> LookupCodec.writeHashResult(g, type, s.value, 0, s.hex, matches));
  }

  private int parseDistance(String text, String where, int keyCeiling) {
    int max = Math.min(config.maxPdqDistance(), keyCeiling);
    if (text.isEmpty() || text.length() > 3) {
      throw ApiException.invalidRequest(where + ": must be an integer in 0.." + max);
    }
    int d = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw ApiException.invalidRequest(where + ": must be an integer in 0.." + max);
      }
      d = d * 10 + (c - '0');
    }
    return DistanceCeiling.check(where, d, config.maxPdqDistance(), keyCeiling);
  }

  /** Bulk hashes that cost one rate-limit token (a bulk hash is far cheaper than a query). */
  static final int BULK_HASHES_PER_TOKEN = 100;

  /**
   * Rate-limit tokens of one PDQ search: the planner's work grows with the distance (at high
   * distances it scans), so 1 + maxDistance / 8: 4 at the default 31, 9 at 64.
   */
  static int pdqCost(int maxDistance) {
    return 1 + maxDistance / 8;
  }

  /**
   * Takes {@code tokens} more from the key's rate limit for the work inside a request (the
   * head took one); 429 with Retry-After when the key's budget cannot cover it.
   */
  static void chargeWork(ApiKey key, long tokens) {
    if (tokens <= 0) {
      return;
    }
    long wait = key.tryAcquire(System.nanoTime(), tokens);
    if (wait > 0) {
      long seconds = Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
      throw new ApiException(HttpResponseStatus.TOO_MANY_REQUESTS, "rate_limited",
          "rate limit of " + key.rate() + " tokens per second exceeded (a query takes one, a"
              + " PDQ search 1 + maxDistance/8, " + BULK_HASHES_PER_TOKEN
              + " bulk hashes one)", "Retry-After", Long.toString(seconds));
    }
  }

  /** Matches of one query; {@code values[off..)} holds the value. */
  private static List<Hit> find(HashDatabase d, HashType type, byte[] values, int off,
      int distance, ListFilter filter, Scratch s) {
    if (type.isExact()) {
      if (!d.contains(type, values, off, filter)) {
        return List.of(); // the common miss: no allocation
      }
      byte[] v = values;
      if (off != 0) {
        System.arraycopy(values, off, s.value, 0, type.byteLength());
        v = s.value;
      }
      return d.lookup(type, v, filter);
    }
    byte[] q = values;
    if (off != 0 || values.length != type.byteLength()) {
      System.arraycopy(values, off, s.pdq, 0, type.byteLength());
      q = s.pdq;
    }
    return d.search(q, distance, filter);
  }

  /** Counts the matches of one queried hash and adds them to the request's audit summary. */
  private void record(HashType type, byte[] values, int off, List<Hit> matches,
      MatchSummary summary) {
    if (matches.isEmpty()) {
      return;
    }
    for (int i = 0; i < matches.size(); i++) {
      Hit m = matches.get(i);
      metrics.match(m.type(), m.list());
    }
    summary.add(type, values, off, matches);
  }

  /** {@code POST /v1/lookup}: a JSON batch of mixed-type queries. */
  FullHttpResponse batch(HashDatabase d, ApiRequest req) {
    Scratch s = scratch.get();
    LookupBatch b = s.batch;
    ApiKey key = req.key();
    LookupCodec.parseQueries(req.body(), b, config.maxBatchQueries(), config.defaultPdqDistance(),
        config.maxPdqDistance(), key.maxDistance());
    long cost = 0;
    for (int i = 0; i < b.size(); i++) {
      cost += b.type(i).isExact() ? 1 : pdqCost(b.maxDistance(i));
    }
    chargeWork(key, cost - 1);
    MatchSummary summary = s.summary;
    summary.reset();
    FullHttpResponse response = json(req.alloc(), HttpResponseStatus.OK, g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("results");
      for (int i = 0; i < b.size(); i++) {
        HashType t = b.type(i);
        List<Hit> m = find(d, t, b.values(), i * LookupBatch.STRIDE, b.maxDistance(i),
            key.filter(), s);
        metrics.lookups(t, 1);
        record(t, b.values(), i * LookupBatch.STRIDE, m, summary);
        g.writeStartObject();
        LookupCodec.writeMatches(g, m);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    });
    audit.matches(key.name(), key.id(), AUDIT_LOOKUP, summary); // one record per request
    return response;
  }

  /** {@code POST /v1/lookup/bulk?type=}: raw hashes in, one bit per hash out. */
  FullHttpResponse bulk(HashDatabase d, ApiRequest req) {
    HashType type = bulkType(req);
    ByteBuf body = req.body();
    int len = body.readableBytes();
    int hl = type.byteLength();
    if (len % hl != 0) {
      throw ApiException.invalidRequest("body length " + len + " is not a multiple of the "
          + type.apiName() + " length (" + hl + " bytes)");
    }
    int n = len / hl;
    if (n > config.maxBulkHashes()) {
      throw ApiException.tooLarge("more than " + config.maxBulkHashes() + " hashes in one request");
    }
    ApiKey key = req.key();
    chargeWork(key, (n + BULK_HASHES_PER_TOKEN - 1) / BULK_HASHES_PER_TOKEN - 1);
    Scratch s = scratch.get();
    byte[] values;
    int off;
    if (body.hasArray()) {
      values = body.array(); // the usual case: the HTTP layer aggregates into a heap buffer
      off = body.arrayOffset() + body.readerIndex();
    } else {
      values = s.bulkValues(len);
      off = 0;
      body.getBytes(body.readerIndex(), values, 0, len);
    }
    int nb = (n + 7) >>> 3;
    byte[] bits = s.bulkBits(nb);
    d.containsBatch(type, values, off, n, key.filter(), bits);
    metrics.lookups(type, n);
    MatchSummary summary = s.summary;
    summary.reset();
    s.previous = null;
    for (int i = 0; i < nb; i++) {
      if (bits[i] != 0) {
        auditBulkMatches(d, type, values, off, bits, i, key, s);
      }
    }
    s.previous = null;
    audit.matches(key.name(), key.id(), AUDIT_BULK, summary); // one record, however many matched
    ByteBuf out = req.alloc().buffer(nb);
    out.writeBytes(bits, 0, nb);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
        out);
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM);
    return r;
  }

  /**
   * Matches are rare: look each matched value up again to count its entries. A value equal to
   * the previous matched one reuses its lookup, so a body repeating one matching hash costs a
   * comparison per copy.
   */
  private void auditBulkMatches(HashDatabase d, HashType type, byte[] values, int off,
      byte[] bits, int byteIndex, ApiKey key, Scratch s) {
    int hl = type.byteLength();
    for (int b = 0; b < 8; b++) {
      if ((bits[byteIndex] & (1 << b)) != 0) {
        int at = off + (byteIndex * 8 + b) * hl;
        if (s.previous == null
            || !Arrays.equals(values, at, at + hl, s.value, 0, hl)) {
          System.arraycopy(values, at, s.value, 0, hl);
          s.previous = d.lookup(type, s.value, key.filter());
        }
        record(type, s.value, 0, s.previous, s.summary);
      }
    }
  }

  /** Per-thread buffers of the lookup paths. */
  private static final class Scratch {
    final byte[] value = new byte[HashType.MAX_BYTES];
    final byte[] pdq = new byte[HashType.PDQ.byteLength()];
    final char[] hex = new char[2 * HashType.MAX_BYTES];
    final LookupBatch batch = new LookupBatch();
    final MatchSummary summary = new MatchSummary(); // what the current request matched
    List<Hit> previous; // bulk: matches of the value in `value`, null when none yet
    private byte[] bulk = new byte[0];
    private byte[] bits = new byte[0];

    byte[] bulkValues(int n) {
      if (bulk.length < n) {
        bulk = new byte[Math.max(n, Math.min(Integer.MAX_VALUE - 8, bulk.length * 2))];
      }
      return bulk;
    }

    byte[] bulkBits(int n) {
      if (bits.length < n) {
        bits = new byte[Math.max(n, bits.length * 2)];
      }
      return bits;
    }
  }
}
