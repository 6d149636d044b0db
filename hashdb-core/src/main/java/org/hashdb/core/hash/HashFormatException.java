package org.hashdb.core.hash;

/**
 * A hash value that is not valid for its type: empty, wrong length, or not hex. The message
 * says which, and never repeats more than a short prefix of the input. The HTTP API maps it to
 * 400 {@code invalid_hash}.
 */
public final class HashFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public HashFormatException(String message) {
    super(message);
  }
}
