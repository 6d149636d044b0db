package org.hashdb.core.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;

/**
 * Small secret files of a data directory (the PSI OPRF keys) at rest: sealed whole under the
 * current master key as one AES-GCM frame after a {@link FileCipher} header (kind secret, the
 * role names the file), or plaintext when no key is configured. Reading accepts both, so a
 * plaintext file is migrated by its next write.
 */
public final class SecretFiles {
  private SecretFiles() {}

  /** The bytes to store for {@code plain}: encrypted when {@code keys} has a current key. */
  public static byte[] seal(MasterKeys keys, String role, byte[] plain) throws IOException {
    if (!keys.encrypting()) {
      return plain.clone();
    }
    FileCipher c = FileCipher.create(keys.current(), FileCipher.KIND_SECRET, role);
    int h = c.headerLength();
    byte[] out = new byte[h + plain.length + FileCipher.TAG_BYTES];
    System.arraycopy(c.header(), 0, out, 0, h);
    c.seal(FileCipher.newCipher(), 0, 0, 1, plain, 0, plain.length, out, h);
    return out;
  }

  /** Whether {@code file} is encrypted. */
  public static boolean isEncrypted(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return DecryptingChannel.isEncrypted(ch);
    }
  }

  /**
   * The content of {@code file}, decrypted if it is encrypted.
   *
   * @throws MasterKeyException encrypted and the key is missing or wrong
   * @throws CorruptDataException encrypted and damaged or altered
   */
  public static byte[] read(Path file, MasterKeys keys, String role) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      if (!DecryptingChannel.isEncrypted(ch)) {
        return Files.readAllBytes(file);
      }
      long size = ch.size();
      FileCipher c = FileCipher.read(file, ch, 0, size, keys, FileCipher.KIND_SECRET, role);
      long n = size - c.headerLength();
      if (n < FileCipher.TAG_BYTES || n > 16 << 20) {
        throw new CorruptDataException(file, c.headerLength(), "encrypted content cut short");
      }
      byte[] sealed = new byte[(int) n];
      FileSync.readFully(ch, ByteBuffer.wrap(sealed), c.headerLength());
      byte[] plain = new byte[sealed.length - FileCipher.TAG_BYTES];
      try {
        c.open(FileCipher.newCipher(), 0, 0, 1, sealed, 0, sealed.length, plain, 0);
      } catch (GeneralSecurityException e) {
        throw new CorruptDataException(file, c.headerLength(),
            "encrypted content does not authenticate: damaged or tampered");
      }
      return plain;
    }
  }
}
