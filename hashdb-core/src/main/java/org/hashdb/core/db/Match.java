package org.hashdb.core.db;

import org.hashdb.core.hash.HashType;

/**
 * One entry that matched a lookup.
 *
 * @param entryId internal dense id; {@link #entry()} is its stable opaque text form
 * @param type hash type of the entry
 * @param list list the entry is on
 * @param category entry category ("" when none)
 * @param source entry source ("" when none)
 * @param addedAtSeconds when the entry was added, Unix seconds
 * @param distance Hamming distance to the query (0 for exact types)
 */
public record Match(
    int entryId,
    HashType type,
    String list,
    String category,
    String source,
    long addedAtSeconds,
    int distance) {

  /** The opaque entry reference used by the API; stable for the life of the entry. */
  public String entry() {
    return EntryIds.format(entryId);
  }
}
