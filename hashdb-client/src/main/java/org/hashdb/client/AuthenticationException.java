package org.hashdb.client;

/** 401: the API key is missing or unknown to the server. Not retried. */
public final class AuthenticationException extends HashDbException {
  private static final long serialVersionUID = 1L;

  public AuthenticationException(String message, String errorCode) {
    super(message, 401, errorCode, null);
  }
}
