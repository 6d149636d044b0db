package org.hashdb.server.api;

import static org.hashdb.server.api.ApiService.json;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.db.DatabaseStats;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.server.auth.KeyRing;
import org.hashdb.server.auth.Role;
import org.hashdb.server.psi.PsiService;

/**
 * {@code GET /v1/admin/stats}: entry counts per type and list, memory per entry, snapshot age,
 * log size and key counts. Separate because it is the one route that reports on the whole
 * server rather than serving data, and its JSON shape is long. Thread-safe.
 */
final class StatsRoute {
  private final KeyRing keys;
  private final java.util.function.Supplier<PsiService> psi;

  StatsRoute(KeyRing keys, java.util.function.Supplier<PsiService> psi) {
    this.keys = keys;
    this.psi = psi;
  }

  FullHttpResponse stats(HashDatabase d, ApiRequest req) {
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
        if (e.getKey().isVideo()) {
          g.writeNumberField("frames", ts.frames());
          g.writeNumberField("indexBytesPerFrame", round2(ts.indexBytesPerFrame()));
        }
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
      PsiService p = psi.get();
      if (p == null) {
        g.writeBooleanField("enabled", false);
        g.writeNumberField("pending", 0);
      } else {
        p.writeStats(g);
      }
      g.writeEndObject();
      g.writeObjectFieldStart("keys");
      for (Map.Entry<Role, Integer> e : keys.countsByRole().entrySet()) {
        g.writeNumberField(e.getKey().apiName(), e.getValue());
      }
      g.writeEndObject();
      g.writeEndObject();
    });
  }

  private static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
