package org.hashdb.core.db;

import org.hashdb.core.hash.HashType;

/**
 * One stored entry a lookup hit, as the engine sees it: with what only the operator's side
 * knows (internal id, source, time added). The API's and the SDK's match object is
 * {@code org.hashdb.client.Match}; the server's codecs and the embedded client turn a hit into
 * it, so there is one {@code Match} type.
 *
 * @param entryId internal dense id; {@link #entry()} is its stable opaque text form
 * @param type hash type of the entry
 * @param list list the entry is on
 * @param category entry category ("" when none)
 * @param source entry source ("" when none)
 * @param addedAtSeconds when the entry was added, Unix seconds
 * @param distance Hamming distance to the query (0 for exact types)
 */
public record Hit(
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
