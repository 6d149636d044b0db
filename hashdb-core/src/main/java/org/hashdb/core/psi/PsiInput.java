package org.hashdb.core.psi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.hashdb.core.hash.HashType;

/**
 * What HashDB feeds the PRF: {@code UTF-8(type) || ":" || raw hash bytes}, and the bucket of
 * such an input: the first {@code bucketBits} bits of SHA-256(input) as an unsigned
 * big-endian integer. Shared by server and client so both sides agree byte for byte.
 */
public final class PsiInput {
  /** Largest supported {@code bucketBits}. */
  public static final int MAX_BUCKET_BITS = 32;

  private PsiInput() {}

  /**
   * The PRF input for one hash.
   *
   * @throws IllegalArgumentException for PDQ (never part of private lookups) or a wrong length
   */
  public static byte[] of(HashType type, byte[] raw) {
    if (!type.isExact()) {
      throw new IllegalArgumentException(type.apiName() + " hashes do not take part in private lookups");
    }
    if (raw.length != type.byteLength()) {
      throw new IllegalArgumentException(type.apiName() + " hash must be " + type.byteLength()
          + " bytes, got " + raw.length);
    }
    byte[] name = type.apiName().getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[name.length + 1 + raw.length];
    System.arraycopy(name, 0, out, 0, name.length);
    out[name.length] = ':';
    System.arraycopy(raw, 0, out, name.length + 1, raw.length);
    return out;
  }

  /** The bucket of a PRF input, 0 <= bucket < 2^bucketBits. */
  public static long bucket(byte[] input, int bucketBits) {
    checkBucketBits(bucketBits);
    if (bucketBits == 0) {
      return 0;
    }
    byte[] d = ExpandMessageXmd.sha256().digest(input);
    long first32 = ((d[0] & 0xFFL) << 24) | ((d[1] & 0xFFL) << 16) | ((d[2] & 0xFFL) << 8)
        | (d[3] & 0xFFL);
    return first32 >>> (32 - bucketBits);
  }

  /** @throws IllegalArgumentException unless 0 <= bucketBits <= 32 */
  public static void checkBucketBits(int bucketBits) {
    if (bucketBits < 0 || bucketBits > MAX_BUCKET_BITS) {
      throw new IllegalArgumentException("bucketBits must be 0.." + MAX_BUCKET_BITS + ", got "
          + bucketBits);
    }
  }

  /** Constant-time equality of two PRF outputs. */
  static boolean sameOutput(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }
}
