package org.hashdb.server.api;

import org.hashdb.server.ApiException;

import org.hashdb.server.ServerConfig;
import org.hashdb.server.auth.ApiKey;

/**
 * The PDQ {@code maxDistance} a request may ask for: the lower of the server's limit
 * ({@code maxPdqDistance}) and the key's own ceiling ({@code keys create --max-distance}). A key
 * that could ask for any distance and read the exact distance back could perturb an image until
 * it stops matching; its ceiling bounds that. Static and allocation-free: used per query.
 */
final class DistanceCeiling {
  private DistanceCeiling() {}

  /** The largest maxDistance {@code key} may ask for on this server. */
  static int of(ServerConfig config, ApiKey key) {
    return Math.min(config.maxPdqDistance(), key.maxDistance());
  }

  /** The maxDistance of a PDQ query that gives none: the server default, capped by the ceiling. */
  static int defaultFor(ServerConfig config, ApiKey key) {
    return Math.min(config.defaultPdqDistance(), of(config, key));
  }

  /**
   * Returns {@code d} when it is within both limits, else throws 400 {@code invalid_request}
   * naming the limit that was exceeded.
   *
   * @param where the parameter, e.g. {@code maxDistance} or {@code queries[3].maxDistance}
   */
  static int check(String where, int d, int serverMax, int keyCeiling) {
    if (d < 0 || d > serverMax) {
      throw ApiException.invalidRequest(where + ": must be in 0.." + Math.min(serverMax,
          keyCeiling) + ", got " + d);
    }
    if (d > keyCeiling) {
      throw ApiException.invalidRequest(where + ": " + d + " is above this key's ceiling of "
          + keyCeiling + " (the key's PDQ distance ceiling; ask for at most " + keyCeiling + ")");
    }
    return d;
  }
}
