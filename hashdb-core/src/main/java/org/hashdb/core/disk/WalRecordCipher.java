package org.hashdb.core.disk;

import javax.crypto.Cipher;

/**
 * Encrypts the payloads appended to one encrypted log segment ({@link WalFormat}, "Encrypted
 * segments"): {@code counter | ciphertext | tag}, the counter incremented per record, also for a
 * record whose write then failed, so no nonce is used twice under the segment's key. Used under
 * the log's append lock; the output buffer is reused.
 */
final class WalRecordCipher {
  private final FileCipher cipher;
  private final Cipher gcm = FileCipher.newCipher();
  private long counter;
  private byte[] out = new byte[4096];

  WalRecordCipher(FileCipher cipher) {
    this.cipher = cipher;
  }

  FileCipher fileCipher() {
    return cipher;
  }

  /** The encrypted payload, in {@link #buffer()}; returns its length. */
  int encrypt(long sequence, long timeMillis, byte kind, byte[] payload, int off, int len) {
    int n = len + WalFormat.ENCRYPTION_OVERHEAD;
    if (out.length < n) {
      out = new byte[Math.max(n, out.length * 2)];
    }
    long c = counter++;
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) (c >>> (8 * i));
    }
    cipher.seal(gcm, c, sequence, aadTimeKind(timeMillis, kind), payload, off, len, out, 8);
    return n;
  }

  byte[] buffer() {
    return out;
  }

  /** Time and kind as one AAD field (the time in milliseconds fits 56 bits for a long while). */
  static long aadTimeKind(long timeMillis, byte kind) {
    return timeMillis << 8 | (kind & 0xff);
  }
}
