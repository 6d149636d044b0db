package org.hashdb.server.psi;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Padding values of a bucket: value i is bytes [32i, 32i+32) of AES-128-CTR under the pad key
 * with the counter block {@code bucket (8 bytes) || 0 (8 bytes)}. A PRF of (bucket, i): the
 * same bucket always gets the same padding, so repeated answers for an unchanged bucket are
 * equal as sets; AES-CTR rather than one HMAC per value because a batch of 100 queries needs
 * about 50,000 values and AES-NI makes them nearly free. One instance per thread.
 */
final class BucketPadding {
  private final Cipher aes;

  BucketPadding() {
    try {
      aes = Cipher.getInstance("AES/CTR/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/CTR is required by the Java platform", e);
    }
  }

  /** Writes {@code count} 32-byte padding values of {@code bucket} into {@code out}. */
  void values(byte[] padKey, long bucket, int count, byte[] out) {
    byte[] iv = new byte[16];
    for (int i = 0; i < 8; i++) {
      iv[i] = (byte) (bucket >>> (56 - 8 * i));
    }
    try {
      aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(padKey, "AES"), new IvParameterSpec(iv));
      int len = count * 32;
      java.util.Arrays.fill(out, 0, len, (byte) 0);
      aes.doFinal(out, 0, len, out, 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
