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
import java.util.function.Supplier;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.server.auth.KeyRing;
import org.hashdb.server.psi.PsiService;

/**
 * {@code GET /v1/admin/stats}: entry counts per type and list, memory per entry, snapshot age,
 * log size and key counts ({@link StatsJson}). Separate because it is the one route that reports
 * on the whole server rather than serving data. Thread-safe.
 */
final class StatsRoute {
  private final KeyRing keys;
  private final Supplier<PsiService> psi;

  StatsRoute(KeyRing keys, Supplier<PsiService> psi) {
    this.keys = keys;
    this.psi = psi;
  }

  FullHttpResponse stats(HashDatabase d, ApiRequest req) {
    return json(req.alloc(), HttpResponseStatus.OK,
        g -> StatsJson.write(g, d, psi.get(), keys.countsByRole()));
  }
}
