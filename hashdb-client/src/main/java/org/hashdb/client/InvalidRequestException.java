package org.hashdb.client;

/**
 * 400, 404, 405, 413, 415, 431: the server refused the request as sent. {@link #errorCode()} and
 * the message come from the server's JSON error ({@code invalid_hash}, {@code payload_too_large},
 * ...). Retrying the same request cannot help.
 */
public final class InvalidRequestException extends HashDbException {
  private static final long serialVersionUID = 1L;

  public InvalidRequestException(String message, int status, String errorCode) {
    super(message, status, errorCode, null);
  }
}
