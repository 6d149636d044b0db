package org.hashdb.core.psi;

/** A serialized element failed RFC 9497 DeserializeElement; the message says why. */
public final class InvalidElementException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidElementException(String message) {
    super(message);
  }
}
