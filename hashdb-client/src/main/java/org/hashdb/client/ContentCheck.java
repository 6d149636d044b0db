package org.hashdb.client;

import java.util.List;

/**
 * The outcome of hashing content locally and looking its hashes up in one call ({@link
 * HashLookup#checkFile}).
 *
 * @param hashes the hashes computed on this host
 * @param results one result per query of {@code hashes.queries(...)}, in that order
 */
public record ContentCheck(ContentHashes hashes, List<LookupResult> results) {
  public ContentCheck {
    results = List.copyOf(results);
  }

  /** True when any hash of the content matched. */
  public boolean match() {
    for (LookupResult r : results) {
      if (r.match()) {
        return true;
      }
    }
    return false;
  }
}
