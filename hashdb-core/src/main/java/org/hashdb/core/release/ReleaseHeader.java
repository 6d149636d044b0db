package org.hashdb.core.release;

import java.time.Instant;
import java.util.Objects;
import org.hashdb.core.hash.Hex;

/**
 * The signed header of a list release ({@link ListReleaseFormat}).
 *
 * @param version format version it was written in (1: additive only, read as a delta without
 *     removals; 2: kind and removal count signed too)
 * @param list name of the list every entry goes on
 * @param kind full (the whole list) or delta
 * @param release the supplier's release number
 * @param createdMillis creation time, epoch milliseconds
 * @param entryCount rows of entries (a full release's content, a delta's adds)
 * @param removeCount rows of values to remove after them (0 unless a delta)
 * @param payloadLength payload bytes
 * @param payloadSha256 SHA-256 of the payload (32 bytes; not copied)
 */
public record ReleaseHeader(int version, String list, ReleaseKind kind, long release,
    long createdMillis, long entryCount, long removeCount, long payloadLength, byte[] payloadSha256) {
  public ReleaseHeader {
    Objects.requireNonNull(list, "list");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(payloadSha256, "payloadSha256");
    if (payloadSha256.length != ListReleaseFormat.DIGEST_BYTES) {
      throw new IllegalArgumentException("payloadSha256 must have 32 bytes, got " + payloadSha256.length);
    }
    if (version == 1 && (kind != ReleaseKind.DELTA || removeCount != 0)) {
      throw new IllegalArgumentException("a version 1 release is additive: a delta without removals");
    }
    if (kind == ReleaseKind.FULL && removeCount != 0) {
      throw new IllegalArgumentException("a full release has no removals");
    }
  }

  /** A version 1 header (additive: entries to add only). */
  public ReleaseHeader(String list, long release, long createdMillis, long entryCount,
      long payloadLength, byte[] payloadSha256) {
    this(1, list, ReleaseKind.DELTA, release, createdMillis, entryCount, 0, payloadLength, payloadSha256);
  }

  /** Creation time. */
  public Instant created() {
    return Instant.ofEpochMilli(createdMillis);
  }

  /** Payload rows: entries and removals. */
  public long rows() {
    return entryCount + removeCount;
  }

  @Override
  public String toString() {
    return "list=" + list + " kind=" + kind.apiName() + " release=" + release + " created=" + created()
        + " entries=" + entryCount + " removals=" + removeCount + " payload-bytes=" + payloadLength
        + " payload-sha256=" + Hex.encode(payloadSha256);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReleaseHeader h && version == h.version && list.equals(h.list)
        && kind == h.kind && release == h.release && createdMillis == h.createdMillis
        && entryCount == h.entryCount && removeCount == h.removeCount
        && payloadLength == h.payloadLength && java.util.Arrays.equals(payloadSha256, h.payloadSha256);
  }

  @Override
  public int hashCode() {
    return Objects.hash(version, list, kind, release, createdMillis, entryCount, removeCount, payloadLength)
        * 31 + java.util.Arrays.hashCode(payloadSha256);
  }
}
