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
 * @param sequence the sequence number of the list state the server answered at (its {@code
 *     X-HashDB-Sequence} header), or -1 when unknown (no header, embedded or private lookups)
 */
public record LookupResult(HashType type, String hash, List<Match> matches, long sequence) {
  public LookupResult {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(hash, "hash");
    matches = List.copyOf(matches);
    if (sequence < -1) {
      throw new IllegalArgumentException("sequence must be >= -1, got " + sequence);
    }
  }

  /** A result whose sequence is unknown. */
  public LookupResult(HashType type, String hash, List<Match> matches) {
    this(type, hash, matches, -1);
  }

  /** This result answered at {@code seq}. */
  public LookupResult withSequence(long seq) {
    return seq == sequence ? this : new LookupResult(type, hash, matches, seq);
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
