package org.hashdb.core.store;

import java.util.Objects;
import org.hashdb.core.hash.HashType;

/**
 * An entry to add: a hash value on a named list, with its category and source. Validated by
 * {@link HashDatabase#add}; the value must have {@code type.byteLength()} bytes.
 *
 * @param type the hash type
 * @param value raw hash bytes (not hex); not copied, do not modify after handing it over
 * @param list list name, e.g. {@code eokm-nl}
 * @param category category label (may be empty, never null)
 * @param source free-text origin (may be empty, never null)
 */
public record NewEntry(HashType type, byte[] value, String list, String category, String source) {
  public NewEntry {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(list, "list");
    category = category == null ? "" : category;
    source = source == null ? "" : source;
  }
}
