package org.hashdb.server.api;

import org.hashdb.server.ApiException;

import static org.hashdb.server.api.ApiService.json;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.hashdb.core.hash.HashFormatException;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.Hit;
import org.hashdb.core.db.VideoHit;
import org.hashdb.core.video.VpdqFrames;
import org.hashdb.core.video.VpdqMatchOptions;
import org.hashdb.server.ServerConfig;
import org.hashdb.server.audit.AuditLog;
import org.hashdb.server.audit.MatchSummary;
import org.hashdb.server.auth.ApiKey;
import org.hashdb.server.metrics.ServerMetrics;

/**
 * {@code POST /v1/lookup/video}: a video looked up by its vPDQ frame hashes. The body is parsed and
 * bounded on the event loop; the search (one near-duplicate search per distinct frame) runs on the
 * worker pool, as it can take milliseconds for a long video. Thread-safe.
 *
 * <pre>
 * {"frames":[{"pdq":HEX64,"quality":0..100},...], "maxDistance":31, "minQuality":50,
 *  "storedPercent":80, "queryPercent":0, "excerpt":true, "excerptQueryPercent":80}
 * </pre>
 *
 * Only {@code frames} is required; {@code frame} and {@code timestamp} keys are accepted and
 * ignored (they take no part in matching). The answer lists the matched stored videos, best first,
 * with both percentages and the rule that matched.
 */
final class VideoRoutes {
  /** Most frames one request may carry: an hour at vPDQ's one frame per second. */
  static final int MAX_FRAMES = 3600;

  private final ServerConfig config;
  private final ServerMetrics metrics;
  private final AuditLog audit;
  private final Workers workers;

  VideoRoutes(ServerConfig config, ServerMetrics metrics, AuditLog audit, Workers workers) {
    this.config = config;
    this.metrics = metrics;
    this.audit = audit;
    this.workers = workers;
  }

  /** A parsed request: the raw frames (packed hashes and qualities) and the thresholds. */
  record VideoQuery(byte[] hashes, int[] qualities, int frames, VpdqMatchOptions options) {
    /** The canonical query: frames of sufficient quality, distinct. */
    byte[] canonical() {
      byte[] kept = new byte[frames * 32];
      int n = 0;
      for (int i = 0; i < frames; i++) {
        if (qualities[i] >= options.minQuality()) {
          System.arraycopy(hashes, i * 32, kept, n * 32, 32);
          n++;
        }
      }
      return VpdqFrames.canonical(java.util.Arrays.copyOf(kept, n * 32));
    }
  }

  CompletableFuture<FullHttpResponse> lookup(HashDatabase d, ApiRequest req) {
    VideoQuery q = parse(req);
    ApiKey key = req.key();
    ByteBufAllocator alloc = req.alloc();
    // each query frame is one PDQ search: charged like a batch of them (the head took one token)
    LookupRoutes.chargeWork(key, (long) q.frames() * LookupRoutes.pdqCost(q.options().maxDistance()) - 1);
    return workers.lookup(key.id(), () -> {
      byte[] query = q.canonical();
      List<VideoHit> found = query.length == 0 ? List.of() : d.searchVideo(query, q.options(), key.filter());
      metrics.lookups(HashType.VPDQ, 1);
      if (!found.isEmpty()) {
        List<Hit> entries = new ArrayList<>(found.size());
        for (VideoHit m : found) {
          metrics.match(HashType.VPDQ, m.entry().list());
          entries.add(m.entry());
        }
        MatchSummary summary = new MatchSummary(); // one audit record per request, as for lookups
        summary.add(HashType.VPDQ, VpdqFrames.digest(query), 0, entries);
        audit.matches(key.name(), key.id(), "lookup_video", summary);
      }
      return json(alloc, HttpResponseStatus.OK, g -> {
        g.writeStartObject();
        g.writeNumberField("queryFrames", query.length / 32);
        g.writeArrayFieldStart("matches");
        for (VideoHit m : found) {
          g.writeStartObject();
          g.writeStringField("entry", m.entry().entry());
          g.writeStringField("list", m.entry().list());
          g.writeStringField("category", m.entry().category());
          g.writeNumberField("queryPercent", round2(m.queryPercent()));
          g.writeNumberField("storedPercent", round2(m.storedPercent()));
          g.writeStringField("rule", m.rule().apiName());
          g.writeNumberField("queryMatchedFrames", m.counts().queryMatched());
          g.writeNumberField("storedMatchedFrames", m.counts().storedMatched());
          g.writeNumberField("storedFrames", m.counts().storedFrames());
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      });
    });
  }

  private static double round2(double d) {
    return Math.round(d * 100) / 100.0;
  }

  VideoQuery parse(ApiRequest req) {
    VpdqMatchOptions defaults = VpdqMatchOptions.defaults();
    ApiKey key = req.key();
    int maxDistance = Math.min(defaults.maxDistance(), DistanceCeiling.of(config, key));
    int minQuality = defaults.minQuality();
    double stored = defaults.storedPercent();
    double query = defaults.queryPercent();
    boolean excerpt = defaults.excerpt();
    double excerptQuery = defaults.excerptQueryPercent();
    byte[] hashes = null;
    int[] qualities = null;
    int n = 0;
    try (JsonParser p = LookupCodec.parser(req.body())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw ApiException.invalidRequest("body must be a JSON object with \"frames\"");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        switch (name) {
          case "frames" -> {
            if (t != JsonToken.START_ARRAY) {
              throw ApiException.invalidRequest("frames: must be an array");
            }
            hashes = new byte[64 * 32];
            qualities = new int[64];
            while (p.nextToken() == JsonToken.START_OBJECT) {
              if (n == MAX_FRAMES) {
                throw ApiException.tooLarge("more than " + MAX_FRAMES + " frames in one request");
              }
              if (n == qualities.length) {
                qualities = java.util.Arrays.copyOf(qualities, n * 2);
                hashes = java.util.Arrays.copyOf(hashes, n * 2 * 32);
              }
              qualities[n] = readFrame(p, hashes, n);
              n++;
            }
          }
          case "maxDistance" -> maxDistance = DistanceCeiling.check(name,
              intIn(p, t, name, 0, config.maxPdqDistance()), config.maxPdqDistance(), key.maxDistance());
          case "minQuality" -> minQuality = intIn(p, t, name, 0, 100);
          case "storedPercent" -> stored = percent(p, t, name);
          case "queryPercent" -> query = percent(p, t, name);
          case "excerptQueryPercent" -> excerptQuery = percent(p, t, name);
          case "excerpt" -> {
            if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
              throw ApiException.invalidRequest("excerpt: must be true or false");
            }
            excerpt = t == JsonToken.VALUE_TRUE;
          }
          default -> p.skipChildren(); // unknown fields are ignored, as everywhere in the API
        }
      }
    } catch (JsonParseException e) {
      throw ApiException.badRequest("invalid_json", "body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.badRequest("invalid_json", "body is not valid JSON");
    }
    if (hashes == null) {
      throw ApiException.invalidRequest("frames: required");
    }
    return new VideoQuery(hashes, qualities, n,
        new VpdqMatchOptions(maxDistance, minQuality, stored, query, excerpt, excerptQuery));
  }

  /** One {@code {"pdq":HEX,"quality":Q}}; stores the hash at {@code index}, returns the quality. */
  private static int readFrame(JsonParser p, byte[] hashes, int index) throws IOException {
    boolean hash = false;
    int quality = -1;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      switch (name) {
        case "pdq" -> {
          if (t != JsonToken.VALUE_STRING) {
            throw ApiException.invalidRequest("frames[" + index + "].pdq: must be a string");
          }
          try {
            Hex.decode(HashType.PDQ, p.getText(), hashes, index * 32);
          } catch (HashFormatException e) {
            throw ApiException.badRequest("invalid_hash", "frames[" + index + "].pdq: " + e.getMessage());
          }
          hash = true;
        }
        case "quality" -> quality = intIn(p, t, "frames[" + index + "].quality", 0, 100);
        default -> p.skipChildren(); // frame, timestamp and unknown fields: not used in matching
      }
    }
    if (!hash || quality < 0) {
      throw ApiException.invalidRequest("frames[" + index + "]: needs \"pdq\" and \"quality\"");
    }
    return quality;
  }

  private static int intIn(JsonParser p, JsonToken t, String name, int min, int max) throws IOException {
    if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT
        || p.getIntValue() < min || p.getIntValue() > max) {
      throw ApiException.invalidRequest(name + ": must be an integer in " + min + ".." + max);
    }
    return p.getIntValue();
  }

  private static double percent(JsonParser p, JsonToken t, String name) throws IOException {
    if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
      throw ApiException.invalidRequest(name + ": must be a number in 0..100");
    }
    double v = p.getDoubleValue();
    if (!(v >= 0 && v <= 100)) {
      throw ApiException.invalidRequest(name + ": must be in 0..100");
    }
    return v;
  }
}
