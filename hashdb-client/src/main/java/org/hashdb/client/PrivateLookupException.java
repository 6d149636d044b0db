package org.hashdb.client;

/**
 * A private lookup answer failed verification: a DLEQ proof that does not verify against the
 * pinned key, a malformed element or value, a missing bucket, or a server key that is not the
 * pinned one. The answer was discarded; nothing is retried automatically.
 */
public final class PrivateLookupException extends HashDbException {
  private static final long serialVersionUID = 1L;

  public PrivateLookupException(String message) {
    super(message);
  }

  public PrivateLookupException(String message, Throwable cause) {
    super(message, cause);
  }
}
