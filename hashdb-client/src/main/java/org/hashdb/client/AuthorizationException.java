package org.hashdb.client;

/** 403: the API key is known but its role does not allow this call. Not retried. */
public final class AuthorizationException extends HashDbException {
  private static final long serialVersionUID = 1L;

  public AuthorizationException(String message, String errorCode) {
    super(message, 403, errorCode, null);
  }
}
