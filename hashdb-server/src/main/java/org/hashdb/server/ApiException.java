package org.hashdb.server;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A request the API refuses: status, snake_case error code and a message for humans. Carries
 * no stack trace (it is control flow, thrown for bad input at request rates).
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient HttpResponseStatus status;
  private final String code;
  private final String headerName; // extra response header (Retry-After, Allow) or null
  private final String headerValue;

  public ApiException(HttpResponseStatus status, String code, String message) {
    this(status, code, message, null, null);
  }

  public ApiException(HttpResponseStatus status, String code, String message, String headerName,
      String headerValue) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.headerName = headerName;
    this.headerValue = headerValue;
  }

  public HttpResponseStatus status() {
    return status;
  }

  public String code() {
    return code;
  }

  public String headerName() {
    return headerName;
  }

  public String headerValue() {
    return headerValue;
  }

  public static ApiException badRequest(String code, String message) {
    return new ApiException(HttpResponseStatus.BAD_REQUEST, code, message);
  }

  public static ApiException invalidRequest(String message) {
    return badRequest("invalid_request", message);
  }

  public static ApiException tooLarge(String message) {
    return new ApiException(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "payload_too_large",
        message);
  }
}
