package org.hashdb.core.release;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.List;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.hashdb.core.hash.Hex;

/**
 * An Ed25519 signing key of a list supplier, with its public half. Uses Bouncy Castle's
 * lightweight API, so no JCE provider is registered (works shaded too).
 *
 * <p>Files: the private key is one line {@code ed25519-private:<base64 of the 32-byte seed>},
 * created with mode 600 and refused when group or others can read it; the public key is one line
 * of the {@link TrustedKeys} format. Immutable and thread-safe.
 */
public final class Ed25519KeyPair implements KeyPairFiles {
  /** Prefix of a private key file's line. */
  static final String PRIVATE_PREFIX = "ed25519-private:";

  private final Ed25519PrivateKeyParameters privateKey;
  private final byte[] publicKey;

  private Ed25519KeyPair(Ed25519PrivateKeyParameters privateKey) {
    this.privateKey = privateKey;
    this.publicKey = privateKey.generatePublicKey().getEncoded();
  }

  /** A new random key pair (from {@link SecureRandom}). */
  public static Ed25519KeyPair generate() {
    return new Ed25519KeyPair(new Ed25519PrivateKeyParameters(new SecureRandom()));
  }

  /** The key pair of a 32-byte RFC 8032 private key (seed). */
  public static Ed25519KeyPair fromSeed(byte[] seed) {
    if (seed.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
      throw new IllegalArgumentException("seed must have 32 bytes, got " + seed.length);
    }
    return new Ed25519KeyPair(new Ed25519PrivateKeyParameters(seed, 0));
  }

  /** Reads a private key file; refuses one that group or others may read (like ssh). */
  public static Ed25519KeyPair readPrivateKey(Path file) throws IOException {
    return fromSeed(PrivateKeyFile.read(file, PRIVATE_PREFIX, "ed25519",
        Ed25519PrivateKeyParameters.KEY_SIZE));
  }

  /** Writes the private key to a new file with mode 600 (set at creation, never wider). */
  public void writePrivateKey(Path file) throws IOException {
    PrivateKeyFile.write(file, PRIVATE_PREFIX, privateKey.getEncoded());
  }

  /** Writes the public key as a one-line trust file, to a new file. */
  public void writePublicKey(Path file, String name) throws IOException {
    Files.write(file, List.of(TrustedKeys.format(publicKey, name)), StandardCharsets.UTF_8,
        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  }

  /** The raw 32-byte public key (a copy). */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The key id (16 hex digits) that releases signed with this key carry. */
  public String keyId() {
    return Hex.encode(ListReleaseFormat.keyId(publicKey));
  }

  byte[] rawKeyId() {
    return ListReleaseFormat.keyId(publicKey);
  }

  /** Signs {@code message} (Ed25519, pure). */
  byte[] sign(byte[] message) {
    Ed25519Signer s = new Ed25519Signer();
    s.init(true, privateKey);
    s.update(message, 0, message.length);
    return s.generateSignature();
  }
}
