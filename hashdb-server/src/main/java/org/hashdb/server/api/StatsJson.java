package org.hashdb.server.api;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.db.DatabaseStats;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.server.auth.Role;
import org.hashdb.server.psi.PsiService;

/**
 * The stats object: the body of {@code GET /v1/admin/stats} and the output of
 * {@code hashdb stats --json}, written in one place so the two cannot drift. Figures are rounded
 * to 2 decimals.
 */
public final class StatsJson {
  private StatsJson() {}

  /**
   * Writes the stats of {@code d}.
   *
   * @param psi the private-lookup service, or null when none runs (written as disabled)
   * @param keys API keys per role; empty when no key ring is loaded
   */
  public static void write(JsonGenerator g, HashDatabase d, PsiService psi, Map<Role, Integer> keys)
      throws IOException {
    DatabaseStats st = d.stats();
    long ram = d.ramBytesUsed();
    Runtime rt = Runtime.getRuntime();
    g.writeStartObject();
    g.writeNumberField("sequence", st.sequence());
    g.writeNumberField("entries", st.liveEntries());
    g.writeObjectFieldStart("types");
    for (Map.Entry<HashType, DatabaseStats.TypeStats> e : st.types().entrySet()) {
      writeType(g, e.getKey(), e.getValue());
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
    if (psi == null) {
      g.writeBooleanField("enabled", false);
      g.writeNumberField("pending", 0);
    } else {
      psi.writeStats(g);
    }
    g.writeEndObject();
    g.writeObjectFieldStart("keys");
    for (Map.Entry<Role, Integer> e : keys.entrySet()) {
      g.writeNumberField(e.getKey().apiName(), e.getValue());
    }
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void writeType(JsonGenerator g, HashType type, DatabaseStats.TypeStats ts)
      throws IOException {
    g.writeObjectFieldStart(type.apiName());
    g.writeNumberField("live", ts.live());
    g.writeNumberField("stored", ts.stored());
    g.writeNumberField("indexBytes", ts.indexBytes());
    g.writeNumberField("metadataBytes", ts.metadataBytes());
    g.writeNumberField("indexBytesPerEntry", round2(ts.indexBytesPerEntry()));
    g.writeNumberField("bytesPerEntry", ts.stored() == 0 ? 0
        : round2((double) (ts.indexBytes() + ts.metadataBytes()) / ts.stored()));
    if (type.isVideo()) {
      g.writeNumberField("frames", ts.frames());
      g.writeNumberField("indexBytesPerFrame", round2(ts.indexBytesPerFrame()));
    }
    g.writeEndObject();
  }

  private static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
