package org.hashdb.client;

import java.util.List;
import org.hashdb.core.hash.FileHashes;

/**
 * The outcome of hashing content locally and looking its hashes up in one call ({@link
 * HashLookup#checkFile}).
 *
 * @param hashes the hashes computed on this host
 * @param results one result per query of {@link Query#forHashes}, in that order
 */
public record ContentCheck(FileHashes hashes, List<LookupResult> results) {
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
