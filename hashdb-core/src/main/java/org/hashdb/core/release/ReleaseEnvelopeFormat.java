package org.hashdb.core.release;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.release.ReleaseDecryptionException.Reason;

/**
 * Layout of an encrypted list release ({@code .hdbrel.enc}), described once: a signed release
 * ({@link ListReleaseFormat}), encrypted as a whole to one recipient's X25519 public key. Sign,
 * then encrypt: the recipient decrypts, then verifies the signature exactly as for a plain
 * release, so the encryption adds confidentiality and the signature stays the only root of trust.
 * All integers are big-endian.
 *
 * <pre>
 * header  magic             8 bytes  "HDBENCv\n" (0x48 0x44 0x42 0x45 0x4e 0x43 0x76 0x0a)
 *         format version    u16      {@value #VERSION}
 *         suite id          u16      {@value #SUITE_X25519_HKDF_SHA256_AES256GCM}: X25519, HKDF-SHA256, AES-256-GCM STREAM
 *         recipient key id  8 bytes  first 8 bytes of SHA-256 of the recipient's raw public key
 *         ephemeral key     32 bytes X25519 public key, fresh for every file
 *         chunk size        u32      plaintext bytes per chunk, {@value #MIN_CHUNK_SIZE}..{@value #MAX_CHUNK_SIZE}
 *                                    ({@value #HEADER_BYTES} header bytes in all)
 * chunks  ciphertext || 16-byte GCM tag, one per chunk of plaintext. Every chunk but the last
 *         holds exactly chunk-size plaintext bytes; the last holds 1..chunk-size, or 0 only when
 *         the whole plaintext is empty (so there is always at least one chunk). The file ends
 *         right after the last chunk.
 * </pre>
 *
 * <p><b>Keys.</b> shared = X25519(ephemeral private, recipient public) (RFC 7748; an all-zero
 * result is refused); file key = HKDF-SHA256 (RFC 5869) with ikm = shared, salt = ephemeral
 * public || recipient public, info = {@value #HKDF_INFO} (ASCII), 32 bytes, the AES-256 key. A
 * fresh ephemeral key per file makes a fresh file key per file, so a (key, nonce) pair never
 * repeats across files.
 *
 * <p><b>Chunks</b> (the STREAM construction, Hoang, Reyhanitabar, Rogaway and Vizár 2015, as in
 * age and Tink): chunk i (from 0) is AES-256-GCM with 96-bit nonce = i as u64 || 0x00 0x00 0x00
 * || last, where last is 0x01 for the final chunk and 0x00 otherwise, and AAD = the
 * {@value #HEADER_BYTES} header bytes. The counter in the nonce detects reordered, dropped or
 * duplicated chunks; the last flag detects truncation at a chunk boundary and data appended
 * after the end; the AAD binds the header (chunk size, key id, suite) to every chunk. A reader
 * releases a chunk's plaintext only after its tag verified, and reports the end of the plaintext
 * only after the chunk flagged last verified, so a consumer that reads to the end has read
 * exactly what was encrypted. A reader tells the last chunk by its length: shorter than a full
 * chunk, or full and followed by end of file.
 */
public final class ReleaseEnvelopeFormat {
  /** First 8 bytes of every encrypted release. */
  static final byte[] MAGIC = "HDBENCv\n".getBytes(StandardCharsets.US_ASCII);
  /** The only format version written and read. */
  public static final int VERSION = 1;
  /** The only suite: X25519 + HKDF-SHA256 + AES-256-GCM in STREAM. */
  public static final int SUITE_X25519_HKDF_SHA256_AES256GCM = 1;
  /** HKDF info label; names the version so a future format derives unrelated keys. */
  static final String HKDF_INFO = "hashdb release envelope v1";
  /** Smallest chunk size a file may declare. */
  public static final int MIN_CHUNK_SIZE = 4 * 1024;
  /** Largest chunk size a file may declare (bounds a reader's memory). */
  public static final int MAX_CHUNK_SIZE = 1024 * 1024;
  /** Chunk size written unless asked otherwise. */
  public static final int DEFAULT_CHUNK_SIZE = 64 * 1024;
  /** Bytes of a GCM tag, appended to every chunk. */
  static final int TAG_BYTES = 16;
  /** Bytes of a GCM nonce. */
  static final int NONCE_BYTES = 12;
  /** Bytes of the AES key. */
  static final int FILE_KEY_BYTES = 32;
  /** Bytes of the header. */
  public static final int HEADER_BYTES = 8 + 2 + 2 + ListReleaseFormat.KEY_ID_BYTES + X25519KeyPair.KEY_BYTES + 4;
  /** Recommended file name suffix. */
  public static final String SUFFIX = ".hdbrel.enc";

  private ReleaseEnvelopeFormat() {}

  /** A parsed header; {@code bytes} is the encoded header, the AAD of every chunk. */
  record Header(byte[] recipientKeyId, byte[] ephemeralPublic, int chunkSize, byte[] bytes) {}

  /**
   * True when {@code file} starts with the encrypted-release magic (a signed release, CSV or hex
   * list cannot start with these bytes).
   */
  public static boolean isEncrypted(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return startsWithMagic(in.readNBytes(MAGIC.length));
    }
  }

  /** True when {@code head} (the first bytes of a stream, at least 8) is the magic. */
  public static boolean startsWithMagic(byte[] head) {
    return head.length >= MAGIC.length && Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
  }

  /** Throws unless {@code chunkSize} is in the accepted range. */
  static void checkChunkSize(int chunkSize) {
    if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
      throw new IllegalArgumentException("chunkSize must be in " + MIN_CHUNK_SIZE + ".." + MAX_CHUNK_SIZE
          + ", got " + chunkSize);
    }
  }

  static byte[] encodeHeader(byte[] recipientKeyId, byte[] ephemeralPublic, int chunkSize) {
    assert recipientKeyId.length == ListReleaseFormat.KEY_ID_BYTES && ephemeralPublic.length == X25519KeyPair.KEY_BYTES;
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES);
    b.put(MAGIC).putShort((short) VERSION).putShort((short) SUITE_X25519_HKDF_SHA256_AES256GCM)
        .put(recipientKeyId).put(ephemeralPublic).putInt(chunkSize);
    assert !b.hasRemaining();
    return b.array();
  }

  /** Reads and checks a header (magic, version, suite, chunk size); the key id is the caller's to check. */
  static Header readHeader(InputStream in) throws IOException {
    byte[] h = new byte[HEADER_BYTES];
    int n = in.readNBytes(h, 0, h.length);
    if (n >= MAGIC.length && !startsWithMagic(h)) {
      throw new ReleaseDecryptionException(Reason.BAD_MAGIC, -1, "not an encrypted release (bad magic)");
    }
    if (n < h.length) {
      throw new ReleaseDecryptionException(Reason.TRUNCATED, -1,
          "encrypted release is truncated in the header (" + n + " of " + HEADER_BYTES + " bytes)");
    }
    ByteBuffer b = ByteBuffer.wrap(h, MAGIC.length, h.length - MAGIC.length);
    int version = Short.toUnsignedInt(b.getShort());
    if (version != VERSION) {
      throw new ReleaseDecryptionException(Reason.UNSUPPORTED_VERSION, -1, "encrypted release format version "
          + version + " is not supported (this build reads " + VERSION + ")");
    }
    int suite = Short.toUnsignedInt(b.getShort());
    if (suite != SUITE_X25519_HKDF_SHA256_AES256GCM) {
      throw new ReleaseDecryptionException(Reason.UNSUPPORTED_SUITE, -1, "encryption suite " + suite
          + " is not supported (this build knows " + SUITE_X25519_HKDF_SHA256_AES256GCM + ")");
    }
    byte[] keyId = new byte[ListReleaseFormat.KEY_ID_BYTES];
    byte[] ephemeral = new byte[X25519KeyPair.KEY_BYTES];
    b.get(keyId).get(ephemeral);
    long chunkSize = Integer.toUnsignedLong(b.getInt());
    if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
      throw new ReleaseDecryptionException(Reason.MALFORMED, -1, "malformed header: chunk size "
          + chunkSize + " not in " + MIN_CHUNK_SIZE + ".." + MAX_CHUNK_SIZE);
    }
    return new Header(keyId, ephemeral, (int) chunkSize, h);
  }

  /** The AES-256 file key; see the class comment. */
  static byte[] fileKey(byte[] shared, byte[] ephemeralPublic, byte[] recipientPublic) {
    byte[] salt = new byte[2 * X25519KeyPair.KEY_BYTES];
    System.arraycopy(ephemeralPublic, 0, salt, 0, X25519KeyPair.KEY_BYTES);
    System.arraycopy(recipientPublic, 0, salt, X25519KeyPair.KEY_BYTES, X25519KeyPair.KEY_BYTES);
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(shared, salt, HKDF_INFO.getBytes(StandardCharsets.US_ASCII)));
    byte[] key = new byte[FILE_KEY_BYTES];
    hkdf.generateBytes(key, 0, key.length);
    return key;
  }

  /** Writes chunk {@code index}'s nonce into {@code nonce} (12 bytes). */
  static void nonce(long index, boolean last, byte[] nonce) {
    assert nonce.length == NONCE_BYTES && index >= 0;
    for (int i = 0; i < 8; i++) {
      nonce[i] = (byte) (index >>> (56 - 8 * i));
    }
    nonce[8] = 0;
    nonce[9] = 0;
    nonce[10] = 0;
    nonce[11] = (byte) (last ? 1 : 0);
  }

  /** Hex of a key id, for messages. */
  static String hex(byte[] keyId) {
    return Hex.encode(keyId);
  }
}
