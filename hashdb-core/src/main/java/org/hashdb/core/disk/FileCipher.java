package org.hashdb.core.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The encryption of one file at rest: its header (which master key wrapped its data key) and the
 * AES-256-GCM sealing of its frames. All integers little-endian.
 *
 * <pre>
 *   0      4    5    6        7          8          24            24+n
 *   +------+----+----+--------+----------+----------+-------------+-----------------+
 *   |magic |ver |kind|id len n|wrapped m | file id  | master key id| wrapped data key|
 *   | HDBX | 1  | u8 |  u8    |  u8 (60) | 16 random| n ASCII bytes| m bytes         |
 *   +------+----+----+--------+----------+----------+-------------+-----------------+
 * </pre>
 *
 * <p>Each file has its own random 256-bit data key, wrapped by the master key (AES-GCM; AAD: the
 * header up to the key id, plus the file's <em>role</em>, e.g. {@code snapshot-<seq>} or {@code
 * wal-<seq>}, so a file renamed to another role, or a header with an altered key id, does not
 * unwrap). Frames are sealed with the data key; their nonce is a counter the writer never repeats
 * within the file (chunk index, or a per-segment record counter), and their AAD starts with
 * SHA-256 of the header and role, so a frame moved to another file or another position fails.
 */
final class FileCipher {
  /** The ASCII bytes "HDBX" as a little-endian u32. */
  static final int MAGIC = 'H' | 'D' << 8 | 'B' << 16 | 'X' << 24;
  static final byte VERSION = 1;
  static final byte KIND_SNAPSHOT = 1;
  static final byte KIND_WAL = 2;
  static final byte KIND_SECRET = 3;
  static final int TAG_BYTES = 16;
  static final int FIXED_HEADER_BYTES = 24;
  /** Bytes of the AAD prefix (SHA-256 of header and role). */
  static final int DIGEST_BYTES = 32;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] header;
  private final String keyId;
  private final SecretKeySpec dataKey;
  private final byte[] digest;

  private FileCipher(byte[] header, String keyId, byte[] dataKey, String role) {
    this.header = header;
    this.keyId = keyId;
    this.dataKey = new SecretKeySpec(dataKey, "AES");
    Arrays.fill(dataKey, (byte) 0);
    this.digest = sha256(header, role);
  }

  /** A new data key for a file of {@code kind} and {@code role}, wrapped by {@code key}. */
  static FileCipher create(MasterKey key, byte kind, String role) throws IOException {
    byte[] id = key.id().getBytes(StandardCharsets.US_ASCII);
    byte[] fileId = new byte[16];
    RANDOM.nextBytes(fileId);
    byte[] dataKey = new byte[32];
    RANDOM.nextBytes(dataKey);
    ByteBuffer h = ByteBuffer.allocate(FIXED_HEADER_BYTES + id.length + MasterKey.WRAPPED_BYTES)
        .order(ByteOrder.LITTLE_ENDIAN);
    h.putInt(MAGIC).put(VERSION).put(kind).put((byte) id.length)
        .put((byte) MasterKey.WRAPPED_BYTES).put(fileId).put(id);
    byte[] wrapped;
    try {
      wrapped = key.wrap(dataKey, wrapAad(h.array(), h.position(), role));
    } catch (GeneralSecurityException e) {
      throw new MasterKeyException("cannot wrap a data key with " + key + ": " + e, e);
    }
    h.put(wrapped);
    return new FileCipher(h.array(), key.id(), dataKey, role);
  }

  /** Whether the 4 bytes at {@code buf[pos]} are this header's magic. */
  static boolean isEncrypted(ByteBuffer le4) {
    return le4.remaining() >= 4 && le4.order(ByteOrder.LITTLE_ENDIAN).getInt(le4.position()) == MAGIC;
  }

  /**
   * Reads the header at {@code offset} of {@code file} and unwraps its data key.
   *
   * @throws CorruptDataException if the header is cut short or malformed
   * @throws MasterKeyException if no key is configured, the file's key was not given, or the
   *     data key does not unwrap (wrong key, another file's header, or an altered header)
   */
  static FileCipher read(Path file, FileChannel ch, long offset, long size, MasterKeys keys,
      byte kind, String role) throws IOException {
    if (size - offset < FIXED_HEADER_BYTES) {
      throw new CorruptDataException(file, offset, "encryption header cut short");
    }
    ByteBuffer fixed = ByteBuffer.allocate(FIXED_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    FileSync.readFully(ch, fixed, offset);
    if (fixed.getInt(0) != MAGIC) {
      throw new CorruptDataException(file, offset, "no encryption header");
    }
    if (fixed.get(4) != VERSION) {
      throw new CorruptDataException(file, offset + 4,
          "unsupported encryption header version " + fixed.get(4));
    }
    if (fixed.get(5) != kind) {
      throw new CorruptDataException(file, offset + 5, "encryption header of another kind of"
          + " file (" + fixed.get(5) + ", expected " + kind + ")");
    }
    int idLen = fixed.get(6) & 0xff;
    int wrappedLen = fixed.get(7) & 0xff;
    if (idLen < 1 || idLen > 64 || wrappedLen != MasterKey.WRAPPED_BYTES
        || size - offset < FIXED_HEADER_BYTES + idLen + wrappedLen) {
      throw new CorruptDataException(file, offset, "malformed or cut short encryption header");
    }
    ByteBuffer all = ByteBuffer.allocate(FIXED_HEADER_BYTES + idLen + wrappedLen);
    FileSync.readFully(ch, all, offset);
    byte[] h = all.array();
    String keyId = new String(h, FIXED_HEADER_BYTES, idLen, StandardCharsets.US_ASCII);
    if (!keys.encrypting()) {
      throw new MasterKeyException(file + " is encrypted (master key " + keyId + "): give the key"
          + " with --master-key FILE|pkcs11:URI or HASHDB_MASTER_KEY");
    }
    MasterKey key = keys.byId(keyId);
    if (key == null) {
      throw new MasterKeyException(file + " was written under master key " + keyId
          + ", which was not given (given: " + keys.ids() + "): after a rotation pass the old"
          + " key too (--old-master-key); a file from another data directory does not belong here");
    }
    byte[] dataKey;
    try {
      dataKey = key.unwrap(Arrays.copyOfRange(h, FIXED_HEADER_BYTES + idLen, h.length),
          wrapAad(h, FIXED_HEADER_BYTES + idLen, role));
    } catch (GeneralSecurityException e) {
      throw new MasterKeyException(file + ": its data key does not unwrap under " + key
          + ": a different key with the same id, a header that was altered, or a file renamed"
          + " from another one (written as another " + (kind == KIND_WAL ? "segment" : "file")
          + " than " + role + ")", e);
    }
    return new FileCipher(h, keyId, dataKey, role);
  }

  byte[] header() {
    return header.clone();
  }

  int headerLength() {
    return header.length;
  }

  String keyId() {
    return keyId;
  }

  /** A cipher for {@link #seal}/{@link #open}; one per thread. */
  static Cipher newCipher() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's AES/GCM is missing", e);
    }
  }

  /**
   * Seals {@code in[off, off+len)} into {@code out[outOff...]} ({@code len + 16} bytes). The AAD
   * is the file digest followed by {@code a} and {@code b} (frame position fields).
   */
  int seal(Cipher c, long counter, long a, long b, byte[] in, int off, int len, byte[] out,
      int outOff) {
    try {
      c.init(Cipher.ENCRYPT_MODE, dataKey, new GCMParameterSpec(128, nonce(counter)));
      c.updateAAD(aad(a, b));
      return c.doFinal(in, off, len, out, outOff);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed", e);
    }
  }

  /**
   * Opens a frame sealed by {@link #seal} with the same counter and AAD fields.
   *
   * @throws GeneralSecurityException (AEADBadTagException) if it does not authenticate
   */
  int open(Cipher c, long counter, long a, long b, byte[] in, int off, int len, byte[] out,
      int outOff) throws GeneralSecurityException {
    c.init(Cipher.DECRYPT_MODE, dataKey, new GCMParameterSpec(128, nonce(counter)));
    c.updateAAD(aad(a, b));
    return c.doFinal(in, off, len, out, outOff);
  }

  private byte[] aad(long a, long b) {
    ByteBuffer bb = ByteBuffer.allocate(DIGEST_BYTES + 16).order(ByteOrder.LITTLE_ENDIAN);
    bb.put(digest).putLong(a).putLong(b);
    return bb.array();
  }

  private static byte[] nonce(long counter) {
    return ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putLong(counter).array();
  }

  private static byte[] wrapAad(byte[] header, int len, String role) {
    byte[] r = role.getBytes(StandardCharsets.UTF_8);
    byte[] out = Arrays.copyOf(header, len + 1 + r.length);
    out[len] = '\n';
    System.arraycopy(r, 0, out, len + 1, r.length);
    return out;
  }

  private static byte[] sha256(byte[] header, String role) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(header);
      md.update((byte) '\n');
      md.update(role.getBytes(StandardCharsets.UTF_8));
      return md.digest();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
