package org.hashdb.server.auth;

import java.util.Locale;

/** What a key may do. {@link #ADMIN} may do everything. */
public enum Role {
  /** Lookups only. */
  QUERY,
  /** Everything: lookups, changes, imports, stats, change feed, snapshots. */
  ADMIN,
  /** Change feed and snapshot download, for read replicas. */
  REPLICA;

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
