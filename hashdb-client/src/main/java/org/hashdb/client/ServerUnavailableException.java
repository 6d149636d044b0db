package org.hashdb.client;

/**
 * The server could not answer: 5xx responses or connection failures (refused, reset, timed out)
 * that persisted through every retry the {@link RetryPolicy} allows. {@link #status()} is the last
 * HTTP status, or 0 when the last attempt got no response; the cause is the last I/O error.
 */
public final class ServerUnavailableException extends HashDbException {
  private static final long serialVersionUID = 1L;

  public ServerUnavailableException(String message, int status, String errorCode, Throwable cause) {
    super(message, status, errorCode, cause);
  }
}
