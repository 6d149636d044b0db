package org.hashdb.core.release;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.hashdb.core.release.ReleaseDecryptionException.Reason;

/**
 * Encrypts a signed list release to a recipient's X25519 key and decrypts it again, in the
 * envelope described by {@link ReleaseEnvelopeFormat}. Both directions stream: memory is two
 * chunk buffers (at most {@value ReleaseEnvelopeFormat#MAX_CHUNK_SIZE} bytes each) whatever the
 * release's length. AES-GCM is the JDK's ({@code AES/GCM/NoPadding}); X25519 and HKDF are Bouncy
 * Castle's lightweight API, so no provider is registered. Stateless; the static methods are
 * thread-safe, the streams they return are not.
 *
 * <p>The envelope authenticates the bytes, not who wrote them (anyone with the recipient's public
 * key can encrypt): importers must still verify the release's signature, which
 * {@link ListRelease} does on the decrypted stream.
 */
public final class ReleaseEncryption {
  private static final String AES_GCM = "AES/GCM/NoPadding";

  private ReleaseEncryption() {}

  /**
   * Encrypts all of {@code plain} to {@code recipientPublic} in chunks of
   * {@value ReleaseEnvelopeFormat#DEFAULT_CHUNK_SIZE} bytes, writing the envelope to {@code out}
   * (neither stream is closed).
   *
   * @return plaintext bytes encrypted
   */
  public static long encrypt(InputStream plain, OutputStream out, byte[] recipientPublic) throws IOException {
    return encrypt(plain, out, recipientPublic, ReleaseEnvelopeFormat.DEFAULT_CHUNK_SIZE);
  }

  /**
   * Encrypts all of {@code plain} to {@code recipientPublic} with the given chunk size.
   *
   * @throws IllegalArgumentException if the chunk size is out of range or the key is not a usable
   *     X25519 public key
   */
  public static long encrypt(InputStream plain, OutputStream out, byte[] recipientPublic, int chunkSize)
      throws IOException {
    return encrypt(plain, out, recipientPublic, chunkSize, new SecureRandom());
  }

  static long encrypt(InputStream plain, OutputStream out, byte[] recipientPublic, int chunkSize,
      SecureRandom random) throws IOException {
    Objects.requireNonNull(plain, "plain");
    Objects.requireNonNull(out, "out");
    ReleaseEnvelopeFormat.checkChunkSize(chunkSize);
    X25519KeyPair.checkPublicKey(recipientPublic, "recipientPublic: ");
    X25519PrivateKeyParameters ephemeral = new X25519PrivateKeyParameters(random);
    byte[] ephemeralPublic = ephemeral.generatePublicKey().getEncoded();
    byte[] shared = new byte[X25519KeyPair.KEY_BYTES];
    if (!X25519KeyPair.agree(ephemeral, recipientPublic, shared)) {
      throw new IllegalArgumentException("recipientPublic: X25519 agreement gave zero"); // checked above
    }
    byte[] header = ReleaseEnvelopeFormat.encodeHeader(ListReleaseFormat.keyId(recipientPublic), ephemeralPublic,
        chunkSize);
    Cipher cipher = aesGcm();
    SecretKeySpec key = fileKey(shared, ephemeralPublic, recipientPublic);
    out.write(header);
    byte[] buf = new byte[chunkSize];
    byte[] sealed = new byte[chunkSize + ReleaseEnvelopeFormat.TAG_BYTES];
    byte[] nonce = new byte[ReleaseEnvelopeFormat.NONCE_BYTES];
    long total = 0;
    int n = plain.readNBytes(buf, 0, chunkSize);
    for (long index = 0; ; index++) {
      // A full chunk is the last one only if nothing follows it: look one byte ahead.
      int next = n < chunkSize ? -1 : plain.read();
      boolean last = next < 0;
      ReleaseEnvelopeFormat.nonce(index, last, nonce);
      int len;
      try {
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(8 * ReleaseEnvelopeFormat.TAG_BYTES, nonce));
        cipher.updateAAD(header);
        len = cipher.doFinal(buf, 0, n, sealed, 0);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM encryption failed", e);
      }
      assert len == n + ReleaseEnvelopeFormat.TAG_BYTES;
      out.write(sealed, 0, len);
      total += n;
      if (last) {
        return total;
      }
      buf[0] = (byte) next;
      n = 1 + plain.readNBytes(buf, 1, chunkSize - 1);
    }
  }

  /**
   * Encrypts file {@code in} to {@code out}, which appears atomically (written beside it, then
   * renamed; replaced if it exists).
   *
   * @return plaintext bytes encrypted
   */
  public static long encrypt(Path in, Path out, byte[] recipientPublic, int chunkSize) throws IOException {
    ReleaseEnvelopeFormat.checkChunkSize(chunkSize);
    X25519KeyPair.checkPublicKey(recipientPublic, "recipientPublic: ");
    return writeAtomically(out, o -> {
      try (InputStream i = Files.newInputStream(in)) {
        return encrypt(i, o, recipientPublic, chunkSize);
      }
    });
  }

  /**
   * Reads the header from {@code in} and returns a stream of the decrypted plaintext. A wrong
   * recipient key or a bad header throws here; a damaged, reordered, truncated or extended file
   * throws from {@code read} at the chunk where it is detected. Each chunk's plaintext is handed
   * out only after its tag verified, and end of stream (-1) only after the final chunk verified
   * and the input ended, so read to the end before trusting what was read. Closing the returned
   * stream closes {@code in}.
   *
   * @throws ReleaseDecryptionException when the header is bad or names another recipient key
   */
  public static InputStream decrypting(InputStream in, X25519KeyPair key) throws IOException {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(key, "key");
    ReleaseEnvelopeFormat.Header h = ReleaseEnvelopeFormat.readHeader(in);
    byte[] recipientPublic = key.publicKey();
    byte[] mine = ListReleaseFormat.keyId(recipientPublic);
    if (!MessageDigest.isEqual(mine, h.recipientKeyId())) {
      throw new ReleaseDecryptionException(Reason.WRONG_KEY, -1, "release is encrypted for key id "
          + ReleaseEnvelopeFormat.hex(h.recipientKeyId()) + ", the private key given is key id "
          + ReleaseEnvelopeFormat.hex(mine));
    }
    byte[] shared = new byte[X25519KeyPair.KEY_BYTES];
    if (!key.agree(h.ephemeralPublic(), shared)) {
      throw new ReleaseDecryptionException(Reason.MALFORMED, -1,
          "malformed header: the ephemeral key is a small-order point");
    }
    return new DecryptingInputStream(in, h, fileKey(shared, h.ephemeralPublic(), recipientPublic));
  }

  /**
   * Decrypts file {@code in} to {@code out}, which appears (owner-only, atomically) only when the
   * whole file decrypted; on any failure nothing is left behind.
   *
   * @return plaintext bytes written
   */
  public static long decrypt(Path in, Path out, X25519KeyPair key) throws IOException {
    try (InputStream plain = decrypting(new BufferedInputStream(Files.newInputStream(in), 1 << 16), key)) {
      return writeAtomically(out, o -> plain.transferTo(o));
    }
  }

  private interface Writer {
    long write(OutputStream out) throws IOException;
  }

  private static long writeAtomically(Path out, Writer w) throws IOException {
    Path abs = out.toAbsolutePath();
    Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp"); // rw------- on POSIX
    boolean done = false;
    try {
      long n;
      try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
        n = w.write(o);
      }
      Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      done = true;
      return n;
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  private static SecretKeySpec fileKey(byte[] shared, byte[] ephemeralPublic, byte[] recipientPublic) {
    byte[] k = ReleaseEnvelopeFormat.fileKey(shared, ephemeralPublic, recipientPublic);
    try {
      return new SecretKeySpec(k, "AES");
    } finally {
      Arrays.fill(k, (byte) 0);
      Arrays.fill(shared, (byte) 0);
    }
  }

  private static Cipher aesGcm() {
    try {
      return Cipher.getInstance(AES_GCM);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has " + AES_GCM, e);
    }
  }

  /** The plaintext of an envelope, one verified chunk at a time. */
  private static final class DecryptingInputStream extends InputStream {
    private final InputStream in;
    private final byte[] header;
    private final int chunkSize;
    private final SecretKeySpec key;
    private final Cipher cipher = aesGcm();
    private final byte[] nonce = new byte[ReleaseEnvelopeFormat.NONCE_BYTES];
    /** A sealed chunk plus one byte of look-ahead (how a full chunk is known not to be the last). */
    private final byte[] sealed;
    private int sealedLength;
    /** The current chunk's verified plaintext, handed out from pos to limit. */
    private final byte[] plain;
    private int pos;
    private int limit;
    private long index;
    private boolean ended; // the last chunk verified and the input ended
    private ReleaseDecryptionException failure; // sticky: a failed stream stays failed

    DecryptingInputStream(InputStream in, ReleaseEnvelopeFormat.Header h, SecretKeySpec key) {
      this.in = in;
      this.header = h.bytes();
      this.chunkSize = h.chunkSize();
      this.key = key;
      this.sealed = new byte[chunkSize + ReleaseEnvelopeFormat.TAG_BYTES + 1];
      this.plain = new byte[chunkSize];
    }

    @Override
    public int read() throws IOException {
      while (pos == limit) {
        if (!nextChunk()) {
          return -1;
        }
      }
      return plain[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      if (len == 0) {
        return 0;
      }
      while (pos == limit) {
        if (!nextChunk()) {
          return -1;
        }
      }
      int n = Math.min(len, limit - pos);
      System.arraycopy(plain, pos, b, off, n);
      pos += n;
      return n;
    }

    @Override
    public int available() {
      return limit - pos;
    }

    /** Reads and verifies the next chunk; false at the (verified) end. */
    private boolean nextChunk() throws IOException {
      if (failure != null) {
        throw failure;
      }
      if (ended) {
        return false;
      }
      int want = sealed.length; // full chunk + 1 look-ahead byte
      sealedLength += in.readNBytes(sealed, sealedLength, want - sealedLength);
      boolean last = sealedLength < want; // readNBytes stops short only at end of input
      int chunkLength = last ? sealedLength : want - 1;
      if (chunkLength < ReleaseEnvelopeFormat.TAG_BYTES) {
        throw fail(Reason.TRUNCATED, chunkLength == 0 && index == 0
            ? "encrypted release is truncated: no chunk after the header"
            : "encrypted release is truncated in chunk " + index + " (" + chunkLength + " bytes, shorter than a tag)");
      }
      int n = open(chunkLength, last);
      if (n < 0) {
        // Tell the cause apart by trying the other flag (error path only).
        if (open(chunkLength, !last) >= 0) {
          pos = 0;
          limit = 0;
          throw last
              ? fail(Reason.TRUNCATED, "encrypted release is truncated: it ends after chunk " + index
                  + ", which is not the final chunk")
              : fail(Reason.TRAILING_DATA, "encrypted release has data after its final chunk " + index);
        }
        throw fail(Reason.BAD_TAG, "chunk " + index + " (file bytes " + offset(index) + ".."
            + (offset(index) + chunkLength - 1) + ") does not authenticate: "
            + (last ? "altered, truncated or extended" : "altered, reordered or not of this file"));
      }
      if (last && n == 0 && index > 0) {
        throw fail(Reason.MALFORMED, "empty final chunk " + index + " after a full one");
      }
      pos = 0;
      limit = n;
      index++;
      if (last) {
        ended = true;
      } else {
        sealed[0] = sealed[want - 1];
        sealedLength = 1;
      }
      return true;
    }

    /** Decrypts the sealed chunk into {@link #plain}: its length, or -1 if the tag fails. */
    private int open(int chunkLength, boolean last) {
      ReleaseEnvelopeFormat.nonce(index, last, nonce);
      try {
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(8 * ReleaseEnvelopeFormat.TAG_BYTES, nonce));
        cipher.updateAAD(header);
        return cipher.doFinal(sealed, 0, chunkLength, plain, 0);
      } catch (AEADBadTagException e) {
        return -1;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM decryption failed", e);
      }
    }

    private long offset(long chunk) {
      return ReleaseEnvelopeFormat.HEADER_BYTES + chunk * (chunkSize + (long) ReleaseEnvelopeFormat.TAG_BYTES);
    }

    private ReleaseDecryptionException fail(Reason r, String message) {
      pos = 0;
      limit = 0;
      failure = new ReleaseDecryptionException(r, index, message);
      return failure;
    }

    @Override
    public void close() throws IOException {
      pos = 0;
      limit = 0;
      Arrays.fill(plain, (byte) 0);
      in.close();
    }
  }
}
