package org.hashdb.core.db;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The running digest of a database's list state over its change sequence, which a replica
 * compares with its primary's: equal digests at equal sequences mean the same changes were
 * applied in the same order from the same base, so the same entries are live.
 *
 * <pre>
 * D(s)     = SHA-256("hashdb-state-v1" || u64be s)          the base, for the snapshot a chain starts from
 *                                                           when that snapshot carries no digest
 * D(n)     = SHA-256(D(n-1) || u64be n || u8 kind || payload(n))   for each logged change n
 * </pre>
 *
 * {@code kind} and {@code payload} are the change's write-ahead log record exactly as logged
 * (the record's time is not part of it). A snapshot stores the digest at its sequence, so after
 * a restart the chain continues from the snapshot through the replayed log, and a replica that
 * bootstraps from a downloaded snapshot starts from its primary's value.
 */
public final class StateDigest {
  /** Bytes of a digest. */
  public static final int BYTES = 32;
  private static final byte[] BASE_LABEL = "hashdb-state-v1".getBytes(StandardCharsets.US_ASCII);

  private final MessageDigest sha = sha256();
  private final ByteBuffer head = ByteBuffer.allocate(9);

  /**
   * The digest {@code digest} at sequence {@code sequence}.
   *
   * @param sequence the last change it covers
   * @param digest 32 bytes
   */
  public record At(long sequence, byte[] digest) {
    /** The digest as lowercase hex, as the change feed and the snapshot header carry it. */
    public String hex() {
      return org.hashdb.core.hash.Hex.encode(digest);
    }
  }

  /** One hasher per thread: not thread-safe. */
  public StateDigest() {}

  /** The base digest of a chain starting at {@code sequence} with no stored digest. */
  public static byte[] base(long sequence) {
    MessageDigest md = sha256();
    md.update(BASE_LABEL);
    md.update(ByteBuffer.allocate(8).putLong(sequence).array());
    return md.digest();
  }

  /** {@code D(sequence)} from {@code previous} = D(sequence - 1), into {@code out} (may be previous). */
  public void next(byte[] previous, long sequence, byte kind, byte[] payload, byte[] out) {
    next(previous, sequence, kind, payload, payload.length, out);
  }

  /** As {@link #next(byte[], long, byte, byte[], byte[])} over the first {@code len} bytes of payload. */
  public void next(byte[] previous, long sequence, byte kind, byte[] payload, int len, byte[] out) {
    sha.update(previous, 0, BYTES);
    head.clear();
    head.putLong(sequence).put(kind);
    sha.update(head.array(), 0, 9);
    sha.update(payload, 0, len);
    try {
      sha.digest(out, 0, BYTES);
    } catch (java.security.DigestException e) {
      throw new AssertionError(e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("SHA-256 is required of every JVM", e);
    }
  }
}
