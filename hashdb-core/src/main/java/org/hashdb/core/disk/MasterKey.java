package org.hashdb.core.disk;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * One AES-256 master key: it only wraps and unwraps the per-file data keys (AES-GCM, a random
 * 96-bit nonce per wrap). Held in memory (a key file) or inside a PKCS#11 token, in which case
 * {@code key} is a handle and the wrapping runs in the token: the master key never leaves it.
 */
public final class MasterKey {
  /** Bytes of a wrapped 256-bit data key: nonce, ciphertext, tag. */
  static final int WRAPPED_BYTES = 12 + 32 + 16;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String id;
  private final SecretKey key;
  private final Provider provider; // null: the JDK's default (SunJCE)
  private final String source; // for messages: the file or the pkcs11 URI without secrets

  MasterKey(String id, SecretKey key, Provider provider, String source) {
    if (id.isEmpty() || id.length() > 64 || !id.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException("master key id must be 1..64 printable ASCII characters");
    }
    this.id = id;
    this.key = key;
    this.provider = provider;
    this.source = source;
  }

  /** The id written into every file's header. */
  public String id() {
    return id;
  }

  /** Where the key comes from (a path or a pkcs11 URI; never the key or a PIN). */
  public String source() {
    return source;
  }

  byte[] wrap(byte[] dataKey, byte[] aad) throws GeneralSecurityException {
    byte[] nonce = new byte[12];
    RANDOM.nextBytes(nonce);
    Cipher c = cipher();
    c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
    c.updateAAD(aad);
    byte[] ct = c.doFinal(dataKey);
    byte[] out = Arrays.copyOf(nonce, 12 + ct.length);
    System.arraycopy(ct, 0, out, 12, ct.length);
    return out;
  }

  /** @throws GeneralSecurityException (AEADBadTagException) for a wrong key or altered header */
  byte[] unwrap(byte[] wrapped, byte[] aad) throws GeneralSecurityException {
    if (wrapped.length != WRAPPED_BYTES) {
      throw new GeneralSecurityException("wrapped key has " + wrapped.length + " bytes");
    }
    Cipher c = cipher();
    c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, wrapped, 0, 12));
    c.updateAAD(aad);
    return c.doFinal(wrapped, 12, wrapped.length - 12);
  }

  private Cipher cipher() throws GeneralSecurityException {
    return provider == null
        ? Cipher.getInstance("AES/GCM/NoPadding")
        : Cipher.getInstance("AES/GCM/NoPadding", provider);
  }

  @Override
  public String toString() {
    return "master key " + id + " (" + source + ")";
  }
}
