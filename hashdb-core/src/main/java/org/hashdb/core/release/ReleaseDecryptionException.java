package org.hashdb.core.release;

import java.io.IOException;

/**
 * An encrypted list release ({@link ReleaseEnvelopeFormat}) that does not decrypt: malformed,
 * encrypted for another key, truncated, tampered with, or followed by extra bytes. An
 * {@link IOException} so that the decrypting stream's {@code read} can throw it; callers that
 * import tell it apart from disk errors by its type. Messages never contain key material.
 */
public final class ReleaseDecryptionException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Why an encrypted release was refused. */
  public enum Reason {
    /** Not an encrypted release (wrong magic). */
    BAD_MAGIC,
    /** A format version this build does not read. */
    UNSUPPORTED_VERSION,
    /** A cipher suite this build does not know. */
    UNSUPPORTED_SUITE,
    /**
     * Fields out of range: the header's chunk size or ephemeral key, or an empty final chunk after
     * a full one (which no writer produces).
     */
    MALFORMED,
    /** Encrypted for another recipient key than the one given. */
    WRONG_KEY,
    /** A chunk whose authentication tag does not verify (altered, reordered or misplaced). */
    BAD_TAG,
    /** The file ends before the final chunk. */
    TRUNCATED,
    /** Bytes after the final chunk. */
    TRAILING_DATA
  }

  private final Reason reason;
  private final long chunk;

  /**
   * @param chunk index of the chunk that failed (from 0), or -1 when the header failed
   */
  public ReleaseDecryptionException(Reason reason, long chunk, String message) {
    super(message);
    this.reason = reason;
    this.chunk = chunk;
  }

  /** Why the release was refused. */
  public Reason reason() {
    return reason;
  }

  /** Index of the chunk that failed (from 0), or -1 when the header failed. */
  public long chunk() {
    return chunk;
  }
}
