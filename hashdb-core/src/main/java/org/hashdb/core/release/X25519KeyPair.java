package org.hashdb.core.release;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.hashdb.core.hash.Hex;

/**
 * An X25519 (RFC 7748) key pair of a list release <em>recipient</em> (the list operator), to which
 * suppliers encrypt signed releases ({@link ReleaseEncryption}). Uses Bouncy Castle's lightweight
 * API, like {@link Ed25519KeyPair}.
 *
 * <p>Files, mirroring the Ed25519 ones: the private key is one line
 * {@code x25519-private:<base64 of the 32-byte scalar>}, created with mode 600 and refused when
 * group or others can read it; the public key is one line {@code x25519:<base64 of the 32-byte
 * key> [name]}. The key id is the first 8 bytes of SHA-256 of the raw public key, as for signing
 * keys. Immutable and thread-safe.
 */
public final class X25519KeyPair implements KeyPairFiles {
  /** Prefix of a private key file's line. */
  static final String PRIVATE_PREFIX = "x25519-private:";
  /** Prefix of a public key file's line. */
  static final String PUBLIC_PREFIX = "x25519:";
  /** Bytes of a raw key, private or public. */
  public static final int KEY_BYTES = 32;
  private static final PublicKeyLines LINES = new PublicKeyLines(PUBLIC_PREFIX, PRIVATE_PREFIX,
      "this is a private key; give the .pub file", TrustedKeys.PREFIX,
      " (this is a signing key, not an encryption key)", true);
  /** A fixed scalar for {@link #checkPublicKey}; any one will do. */
  private static final X25519PrivateKeyParameters PROBE = new X25519PrivateKeyParameters(new byte[KEY_BYTES], 0);

  private final X25519PrivateKeyParameters privateKey;
  private final byte[] publicKey;

  private X25519KeyPair(X25519PrivateKeyParameters privateKey) {
    this.privateKey = privateKey;
    this.publicKey = privateKey.generatePublicKey().getEncoded();
  }

  /** A new random key pair (from {@link SecureRandom}). */
  public static X25519KeyPair generate() {
    return generate(new SecureRandom());
  }

  static X25519KeyPair generate(SecureRandom random) {
    return new X25519KeyPair(new X25519PrivateKeyParameters(random));
  }

  /** The key pair of a raw 32-byte RFC 7748 private scalar (clamped when used, per the RFC). */
  public static X25519KeyPair fromPrivateKey(byte[] raw) {
    if (raw.length != KEY_BYTES) {
      throw new IllegalArgumentException("private key must have 32 bytes, got " + raw.length);
    }
    return new X25519KeyPair(new X25519PrivateKeyParameters(raw, 0));
  }

  /** Reads a private key file; refuses one that group or others may read (like ssh). */
  public static X25519KeyPair readPrivateKey(Path file) throws IOException {
    byte[] raw = PrivateKeyFile.read(file, PRIVATE_PREFIX, "x25519", KEY_BYTES);
    try {
      return fromPrivateKey(raw);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  /**
   * Reads a public key file (one {@code x25519:} line; blank and {@code #} lines skipped); a
   * malformed file is an {@link IllegalArgumentException}, as in {@link TrustedKeys#load}.
   *
   * @return the raw 32-byte public key
   */
  public static byte[] readPublicKey(Path file) throws IOException {
    return parsePublicKey(Files.readString(file, StandardCharsets.UTF_8), file.toString());
  }

  /**
   * Parses public key file text; {@code origin} names it in error messages.
   *
   * @throws IllegalArgumentException naming origin and line when it is not exactly one valid key
   */
  public static byte[] parsePublicKey(String text, String origin) {
    byte[][] found = new byte[1][];
    LINES.forEach(text, origin, l -> {
      checkPublicKey(l.raw(), l.where());
      found[0] = l.raw();
    });
    if (found[0] == null) {
      throw new IllegalArgumentException(origin + ": no 'x25519:' public key in it");
    }
    return found[0];
  }

  /**
   * Checks a raw public key: 32 bytes and not a point of small order (with which every shared
   * secret would be zero, i.e. known to anyone).
   */
  static void checkPublicKey(byte[] raw, String where) {
    if (raw.length != KEY_BYTES) {
      throw new IllegalArgumentException(where + "an x25519 public key has 32 bytes, got " + raw.length);
    }
    // Clamped scalars are multiples of the cofactor, so any of them maps a small-order point to zero.
    byte[] shared = new byte[KEY_BYTES];
    if (!agree(PROBE, raw, shared)) {
      throw new IllegalArgumentException(where + "not a usable x25519 public key (small-order point)");
    }
  }

  /** Writes the private key to a new file with mode 600 (set at creation, never wider). */
  public void writePrivateKey(Path file) throws IOException {
    byte[] raw = privateKey.getEncoded();
    try {
      PrivateKeyFile.write(file, PRIVATE_PREFIX, raw);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  /** Writes the public key as a one-line file, to a new file. */
  public void writePublicKey(Path file, String name) throws IOException {
    String line = PUBLIC_PREFIX + Base64.getEncoder().encodeToString(publicKey);
    if (name != null && !name.isBlank()) {
      line += " " + name.strip();
    }
    Files.write(file, List.of(line), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  }

  /** The raw 32-byte public key (a copy). */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The key id (16 hex digits) that files encrypted to this key carry. */
  public String keyId() {
    return keyId(publicKey);
  }

  /** The key id (16 hex digits) of a raw public key. */
  public static String keyId(byte[] rawPublicKey) {
    return Hex.encode(ListReleaseFormat.keyId(rawPublicKey));
  }

  /** X25519 of this private key and {@code peerPublic} into {@code out}; false if the result is zero. */
  boolean agree(byte[] peerPublic, byte[] out) {
    return agree(privateKey, peerPublic, out);
  }

  static boolean agree(X25519PrivateKeyParameters priv, byte[] peerPublic, byte[] out) {
    assert out.length == KEY_BYTES;
    try {
      priv.generateSecret(new X25519PublicKeyParameters(peerPublic, 0), out, 0);
      return true;
    } catch (IllegalStateException e) { // Bouncy Castle refuses an all-zero result
      return false;
    }
  }


  @Override
  public String toString() {
    return "X25519KeyPair[" + keyId() + "]"; // never the private key
  }
}
