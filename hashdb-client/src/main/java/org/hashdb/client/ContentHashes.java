package org.hashdb.client;

import java.util.ArrayList;
import java.util.List;
import org.hashdb.core.hash.HashType;

/**
 * The hashes of one file, stream or byte array, computed locally by {@link ContentHasher}. A hash
 * is null when its type was not requested, or (PDQ) when the content is not a decodable image.
 * Arrays are shared, not copied: treat them as read-only.
 *
 * @param size content length in bytes
 * @param md5 16 bytes or null
 * @param sha1 20 bytes or null
 * @param sha256 32 bytes or null
 * @param pdq 32 bytes or null
 * @param pdqQuality PDQ quality 0..100 (0 when {@code pdq} is null); hashes below ~50 come from
 *     flat images and match poorly
 */
public record ContentHashes(long size, byte[] md5, byte[] sha1, byte[] sha256, byte[] pdq, int pdqQuality) {

  /** The hash of {@code type}, or null. */
  public byte[] get(HashType type) {
    return switch (type) {
      case MD5 -> md5;
      case SHA1 -> sha1;
      case SHA256 -> sha256;
      case PDQ -> pdq;
    };
  }

  /**
   * One query per hash present, in type order (md5, sha1, sha256, pdq).
   *
   * @param pdqMaxDistance distance for the PDQ query, or {@link Query#DEFAULT_DISTANCE}
   */
  public List<Query> queries(int pdqMaxDistance) {
    List<Query> out = new ArrayList<>(4);
    for (HashType t : HashType.values()) {
      byte[] v = get(t);
      if (v != null) {
        out.add(new Query(t, v, t.isExact() ? Query.DEFAULT_DISTANCE : pdqMaxDistance));
      }
    }
    return out;
  }
}
