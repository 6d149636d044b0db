package org.hashdb.core.psi;

/** A server's DLEQ proof did not verify: its answers must not be used. */
public final class ProofException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ProofException(String message) {
    super(message);
  }
}
