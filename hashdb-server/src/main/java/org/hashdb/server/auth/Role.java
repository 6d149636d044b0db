package org.hashdb.server.auth;

import java.util.Locale;
import org.hashdb.core.pdq.PdqIndex;

/** What a key may do. {@link #ADMIN} may do everything. */
public enum Role {
  /** Lookups only. */
  QUERY,
  /** Everything: lookups, changes, imports, stats, change feed, snapshots. */
  ADMIN,
  /** Change feed and snapshot download, for read replicas. */
  REPLICA;

  /** Largest PDQ distance a key may ask for when it was created without {@code --max-distance}. */
  public static final int QUERY_DEFAULT_MAX_DISTANCE = PdqIndex.DEFAULT_MAX_DISTANCE;
  /** Largest PDQ distance the server answers at all (its {@code maxPdqDistance} is at most 64). */
  public static final int LIMIT_MAX_DISTANCE = PdqIndex.QUERY_DISTANCE_CEILING;

  /**
   * The PDQ {@code maxDistance} ceiling of a key of this role created without one. Query keys
   * get 31, the threshold Meta recommends for PDQ: a larger one lets a key holder probe how far
   * an image can be perturbed before it stops matching. Admin keys keep the full range.
   */
  public int defaultMaxDistance() {
    return this == ADMIN ? LIMIT_MAX_DISTANCE : QUERY_DEFAULT_MAX_DISTANCE;
  }

  /**
   * Rate limit of a key of this role created without {@code --rate}, tokens per second (0 =
   * unlimited). Query keys get 100: about 100 single lookups or 10,000 bulk hashes a second, more
   * than an upload pipeline of a hosting company needs, while a leaked or runaway key cannot take
   * the server's capacity or enumerate the list quickly. Admin and replica keys stay unlimited
   * (imports and a replica catching up must not be throttled); they live on the admin listener.
   */
  public int defaultRate() {
    return this == QUERY ? QUERY_DEFAULT_RATE : 0;
  }

  /** {@link #defaultRate()} of query keys. */
  public static final int QUERY_DEFAULT_RATE = 100;

  /** The lowercase name used in the keys file and on the command line. */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code query}, {@code admin} or {@code replica} (case-insensitive). */
  public static Role parse(String s) {
    for (Role r : values()) {
      if (r.name().equalsIgnoreCase(s)) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown role '" + s + "' (expected query, admin or replica)");
  }
}
