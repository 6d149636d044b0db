package org.hashdb.client;

/**
 * A lookup failed. Unchecked, so it travels through {@link java.util.concurrent.CompletableFuture}
 * chains and lambdas unchanged. The subclass says what went wrong; {@link #status()} and {@link
 * #errorCode()} carry the server's HTTP status and {@code error.code} when there was a response.
 * A plain {@code HashDbException} means a response that breaks the API contract, an interrupted
 * call, or a local problem such as a TLS pin mismatch.
 */
public class HashDbException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String errorCode;

  public HashDbException(String message) {
    this(message, 0, null, null);
  }

  public HashDbException(String message, Throwable cause) {
    this(message, 0, null, cause);
  }

  public HashDbException(String message, int status, String errorCode, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.errorCode = errorCode;
  }

  /** HTTP status of the failed response, or 0 when there was none (connection failure, local error). */
  public int status() {
    return status;
  }

  /** The server's {@code error.code} ({@code "invalid_hash"}, ...), or null when there was none. */
  public String errorCode() {
    return errorCode;
  }
}
