package org.hashdb.client;

import java.util.Objects;

/**
 * One list entry that matched a query.
 *
 * @param entry opaque entry reference, stable for the life of the entry
 * @param list name of the list the entry is on
 * @param category entry category ("" when none)
 * @param distance Hamming distance to the query (0 for exact types)
 */
public record Match(String entry, String list, String category, int distance) {
  public Match {
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(list, "list");
    Objects.requireNonNull(category, "category");
    if (distance < 0) {
      throw new IllegalArgumentException("distance must be >= 0, got " + distance);
    }
  }
}
