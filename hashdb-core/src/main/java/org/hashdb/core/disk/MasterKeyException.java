package org.hashdb.core.disk;

import java.io.IOException;

/**
 * A master key problem that must stop start-up: an encrypted file and no key, a file written
 * under a key that was not given, a key that does not unwrap the file's data key, or a key file
 * that cannot be used. Unlike {@link CorruptDataException} it never makes the loader fall back to
 * an older snapshot: the data is not damaged, the operator has to give the right key.
 */
public final class MasterKeyException extends IOException {
  private static final long serialVersionUID = 1L;

  public MasterKeyException(String message) {
    super(message);
  }

  public MasterKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
