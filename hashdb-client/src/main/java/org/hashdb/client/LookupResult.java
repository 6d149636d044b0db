package org.hashdb.client;

import java.util.List;
import java.util.Objects;
import org.hashdb.core.hash.HashType;

/**
 * The answer to one {@link Query}: the entries on lists visible to the caller that match it
 * (empty for a miss), sorted as the server sent them (PDQ: by distance).
 *
 * @param type the query's hash type
 * @param hash the query's value, lowercase hex
 * @param matches matching entries; empty when there is no match
 */
public record LookupResult(HashType type, String hash, List<Match> matches) {
  public LookupResult {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(hash, "hash");
    matches = List.copyOf(matches);
  }

  /** A miss for {@code query}. */
  public static LookupResult miss(Query query) {
    return new LookupResult(query.type(), query.hex(), List.of());
  }

  /** True when at least one entry matched. */
  public boolean match() {
    return !matches.isEmpty();
  }
}
