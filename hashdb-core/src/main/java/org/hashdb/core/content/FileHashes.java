package org.hashdb.core.content;

import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;

import java.util.Arrays;

/**
 * The hashes of one file's content. Arrays are owned by the record: do not modify them.
 *
 * @param size content length in bytes
 * @param md5 16 bytes, or null when not requested
 * @param sha1 20 bytes, or null when not requested
 * @param sha256 32 bytes, or null when not requested
 * @param pdq 32 bytes (big-endian, as the hex form), or null when not requested or when the
 *     content is not a decodable image (or is over the image size caps)
 * @param pdqQuality 0..100 when {@code pdq} is set, else -1
 */
public record FileHashes(
    long size, byte[] md5, byte[] sha1, byte[] sha256, byte[] pdq, int pdqQuality) {

  public FileHashes {
    if (size < 0) {
      throw new IllegalArgumentException("size must be >= 0, got " + size);
    }
    if ((pdq == null) != (pdqQuality == -1) || pdqQuality < -1 || pdqQuality > 100) {
      throw new IllegalArgumentException(
          "pdqQuality must be 0..100 with a pdq hash and -1 without, got " + pdqQuality);
    }
  }

  /** The value of {@code type}, or null when it was not computed. */
  public byte[] get(HashType type) {
    return switch (type) {
      case MD5 -> md5;
      case SHA1 -> sha1;
      case SHA256 -> sha256;
      case PDQ -> pdq;
      case VPDQ -> null; // a video's frames are not a file hash: see org.hashdb.core.video
    };
  }

  /** Lowercase hex of {@code type}'s value, or null when it was not computed. */
  public String hex(HashType type) {
    byte[] v = get(type);
    return v == null ? null : Hex.encode(v);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FileHashes f && size == f.size && pdqQuality == f.pdqQuality
        && Arrays.equals(md5, f.md5) && Arrays.equals(sha1, f.sha1)
        && Arrays.equals(sha256, f.sha256) && Arrays.equals(pdq, f.pdq);
  }

  @Override
  public int hashCode() {
    int h = Long.hashCode(size);
    h = 31 * h + Arrays.hashCode(md5);
    h = 31 * h + Arrays.hashCode(sha1);
    h = 31 * h + Arrays.hashCode(sha256);
    h = 31 * h + Arrays.hashCode(pdq);
    return 31 * h + pdqQuality;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("FileHashes[size=").append(size);
    for (HashType t : HashType.values()) {
      if (get(t) != null) {
        sb.append(", ").append(t.apiName()).append('=').append(hex(t));
      }
    }
    if (pdq != null) {
      sb.append(", pdqQuality=").append(pdqQuality);
    }
    return sb.append(']').toString();
  }
}
