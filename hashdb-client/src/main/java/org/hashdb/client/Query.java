package org.hashdb.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.hashdb.core.content.FileHashes;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.pdq.PdqIndex;

/**
 * One hash to look up. Immutable: the value is copied in and out.
 *
 * @param type hash type
 * @param value raw hash bytes, {@code type.byteLength()} long
 * @param maxDistance for {@link HashType#PDQ} the largest Hamming distance to match (0..64), or
 *     {@link #DEFAULT_DISTANCE} to let the server (or embedded database) use its default; always
 *     {@link #DEFAULT_DISTANCE} for exact types
 */
public record Query(HashType type, byte[] value, int maxDistance) {
  /** Leave the distance to the server's default (31 unless configured lower). */
  public static final int DEFAULT_DISTANCE = -1;
  /** Largest PDQ distance the API accepts. */
  public static final int MAX_DISTANCE = PdqIndex.QUERY_DISTANCE_CEILING;

  public Query {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
    if (value.length != type.byteLength()) {
      throw new IllegalArgumentException(
          "value: a " + type.apiName() + " hash has " + type.byteLength() + " bytes, got " + value.length);
    }
    if (maxDistance != DEFAULT_DISTANCE) {
      if (type.isExact()) {
        throw new IllegalArgumentException("maxDistance: only pdq queries take a distance, got " + maxDistance + " for " + type);
      }
      if (maxDistance < 0 || maxDistance > MAX_DISTANCE) {
        throw new IllegalArgumentException("maxDistance must be in 0.." + MAX_DISTANCE + ", got " + maxDistance);
      }
    }
    value = value.clone();
  }

  /** An exact query, or a PDQ query at the default distance. */
  public static Query of(HashType type, byte[] value) {
    return new Query(type, value, DEFAULT_DISTANCE);
  }

  /** Parses hex (either case); throws {@link org.hashdb.core.hash.HashFormatException} when malformed. */
  public static Query of(HashType type, String hex) {
    return new Query(type, Hex.decode(type, hex), DEFAULT_DISTANCE);
  }

  /** A PDQ query matching hashes within {@code maxDistance} bits. */
  public static Query pdq(byte[] value, int maxDistance) {
    return new Query(HashType.PDQ, value, maxDistance);
  }

  /**
   * One query per hash present in {@code hashes}, in type order (md5, sha1, sha256, pdq).
   *
   * @param pdqMaxDistance distance for the PDQ query, or {@link #DEFAULT_DISTANCE}
   */
  public static List<Query> forHashes(FileHashes hashes, int pdqMaxDistance) {
    List<Query> out = new ArrayList<>(4);
    for (HashType t : HashType.values()) {
      byte[] v = hashes.get(t);
      if (v != null) {
        out.add(new Query(t, v, t.isExact() ? DEFAULT_DISTANCE : pdqMaxDistance));
      }
    }
    return out;
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  /** Lowercase hex of the value. */
  public String hex() {
    return Hex.encode(value);
  }

  /** The value without a copy, for this package's encoders; callers must not modify it. */
  byte[] valueUnsafe() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Query q && q.type == type && q.maxDistance == maxDistance && Arrays.equals(q.value, value);
  }

  @Override
  public int hashCode() {
    return (type.hashCode() * 31 + Arrays.hashCode(value)) * 31 + maxDistance;
  }

  @Override
  public String toString() {
    return type.apiName() + ":" + hex() + (maxDistance == DEFAULT_DISTANCE ? "" : "@" + maxDistance);
  }
}
