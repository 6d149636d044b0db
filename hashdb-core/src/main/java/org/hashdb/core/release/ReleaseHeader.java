package org.hashdb.core.release;

import java.time.Instant;
import java.util.Objects;
import org.hashdb.core.hash.Hex;

/**
 * The signed header of a list release ({@link ListReleaseFormat}).
 *
 * @param list name of the list every entry goes on
 * @param release the supplier's release number
 * @param createdMillis creation time, epoch milliseconds
 * @param entryCount rows in the payload
 * @param payloadLength payload bytes
 * @param payloadSha256 SHA-256 of the payload (32 bytes; not copied)
 */
public record ReleaseHeader(String list, long release, long createdMillis, long entryCount,
    long payloadLength, byte[] payloadSha256) {
  public ReleaseHeader {
    Objects.requireNonNull(list, "list");
    Objects.requireNonNull(payloadSha256, "payloadSha256");
    if (payloadSha256.length != ListReleaseFormat.DIGEST_BYTES) {
      throw new IllegalArgumentException("payloadSha256 must have 32 bytes, got " + payloadSha256.length);
    }
  }

  /** Creation time. */
  public Instant created() {
    return Instant.ofEpochMilli(createdMillis);
  }

  @Override
  public String toString() {
    return "list=" + list + " release=" + release + " created=" + created() + " entries=" + entryCount
        + " payload-bytes=" + payloadLength + " payload-sha256=" + Hex.encode(payloadSha256);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReleaseHeader h && list.equals(h.list) && release == h.release
        && createdMillis == h.createdMillis && entryCount == h.entryCount
        && payloadLength == h.payloadLength && java.util.Arrays.equals(payloadSha256, h.payloadSha256);
  }

  @Override
  public int hashCode() {
    return Objects.hash(list, release, createdMillis, entryCount, payloadLength)
        * 31 + java.util.Arrays.hashCode(payloadSha256);
  }
}
