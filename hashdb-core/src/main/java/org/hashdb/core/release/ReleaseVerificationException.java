package org.hashdb.core.release;

/**
 * A list release that must not be imported: malformed, truncated, tampered with, or signed by a
 * key that is not trusted. Nothing from such a release reaches a database.
 */
public final class ReleaseVerificationException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a release was refused. */
  public enum Reason {
    /** Not a release file (wrong magic). */
    BAD_MAGIC,
    /** A format version this build does not read. */
    UNSUPPORTED_VERSION,
    /** Header fields out of range (list name, lengths). */
    MALFORMED_HEADER,
    /** The file ends before header + payload + trailer. */
    TRUNCATED,
    /** Bytes after the trailer. */
    TRAILING_DATA,
    /** The trailer's key id names no trusted key. */
    UNKNOWN_KEY,
    /** The signature does not verify against the trusted key. */
    BAD_SIGNATURE,
    /** The payload does not hash to the signed digest. */
    DIGEST_MISMATCH,
    /** A signed payload row that does not parse (the signer's tool is broken). */
    BAD_ROWS,
    /** The signed entry count differs from the payload's rows. */
    COUNT_MISMATCH,
    /** The signer's trust line names no lists: it may sign none until the operator scopes it. */
    UNSCOPED_KEY,
    /** The signer may not sign the release's list. */
    LIST_NOT_ALLOWED
  }

  private final Reason reason;

  public ReleaseVerificationException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** Why the release was refused. */
  public Reason reason() {
    return reason;
  }
}
