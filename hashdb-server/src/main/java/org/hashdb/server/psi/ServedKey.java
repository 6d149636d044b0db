package org.hashdb.server.psi;

import java.nio.charset.StandardCharsets;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.psi.VoprfServer;

/**
 * One OPRF key as served: the key, its public key, its table of PRF outputs, the key that
 * derives its padding values, and the precomputer's progress through the entries. The table and
 * progress are written by the precomputer thread only.
 */
final class ServedKey {
  final VoprfServer key;
  final byte[] publicKey;
  final String publicKeyHex;
  final PrfTable table;
  final byte[] padKey; // AES-128 key for padding values, derived from the OPRF key
  /** Per exact type: entry ordinals below this have been processed. */
  final int[] done = new int[HashType.values().length];
  /** True once every entry that existed has been processed at least once. */
  volatile boolean complete;
  /** Entries not yet processed, as of the precomputer's last look. */
  volatile long pending;

  ServedKey(VoprfServer key, PrfTable table) {
    this.key = key;
    this.publicKey = key.publicKey();
    this.publicKeyHex = org.hashdb.core.hash.Hex.encode(publicKey);
    this.table = table;
    this.padKey = derivePadKey(key);
  }

  private static byte[] derivePadKey(VoprfServer key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      byte[] sk = key.privateKeyBytes();
      mac.init(new SecretKeySpec(sk, "HmacSHA256"));
      java.util.Arrays.fill(sk, (byte) 0);
      byte[] out = mac.doFinal("HashDB PSI padding v1".getBytes(StandardCharsets.US_ASCII));
      return java.util.Arrays.copyOf(out, 16);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by the Java platform", e);
    }
  }
}
