package org.hashdb.core.release;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A key pair that saves itself as two files: the private key (mode 600, see {@link
 * PrivateKeyFile}) and the public key to hand out. Implemented by the signing ({@link
 * Ed25519KeyPair}) and the encryption ({@link X25519KeyPair}) key pairs, so tools that create
 * either do it one way.
 */
public interface KeyPairFiles {
  /** Writes the private key to a new file with mode 600. */
  void writePrivateKey(Path file) throws IOException;

  /** Writes the public key, labelled {@code name}, to a new file. */
  void writePublicKey(Path file, String name) throws IOException;

  /** The key id (16 hex digits) files made with this key carry. */
  String keyId();
}
