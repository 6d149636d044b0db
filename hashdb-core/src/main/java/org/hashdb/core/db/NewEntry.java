package org.hashdb.core.db;

import java.util.Objects;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.video.VpdqFrames;

/**
 * An entry to add: a hash value on a named list, with its category and source. Validated by
 * {@link HashDatabase#add}; the value must have {@code type.byteLength()} bytes.
 *
 * @param type the hash type
 * @param value raw hash bytes (not hex); not copied, do not modify after handing it over
 * @param list list name, e.g. {@code eokm-nl}
 * @param category category label (may be empty, never null)
 * @param source free-text origin (may be empty, never null)
 * @param frames for {@link HashType#VPDQ} only: the video's canonical frame set (packed 32-byte
 *     PDQ hashes, distinct and sorted, see {@link VpdqFrames}), whose digest is {@code value};
 *     null for every other type
 */
public record NewEntry(HashType type, byte[] value, String list, String category, String source,
    byte[] frames) {
  public NewEntry {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(list, "list");
    category = category == null ? "" : category;
    source = source == null ? "" : source;
  }

  /** An entry of a non-video type. */
  public NewEntry(HashType type, byte[] value, String list, String category, String source) {
    this(type, value, list, category, source, null);
  }

  /**
   * A video entry from its frame hashes (packed 32 bytes each, any order, repeats allowed; already
   * filtered by quality): they are put in canonical form and the value is their digest.
   */
  public static NewEntry video(byte[] frameHashes, String list, String category, String source) {
    byte[] canonical = VpdqFrames.canonical(frameHashes);
    return new NewEntry(HashType.VPDQ, VpdqFrames.digest(canonical), list, category, source, canonical);
  }
}
