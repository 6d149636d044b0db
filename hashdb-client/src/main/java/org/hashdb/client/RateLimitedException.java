package org.hashdb.client;

import java.time.Duration;

/**
 * 429: the key's rate limit was still exceeded after the retries the {@link RetryPolicy} allows,
 * or the server asked for a longer wait than the policy accepts.
 */
public final class RateLimitedException extends HashDbException {
  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;

  public RateLimitedException(String message, String errorCode, Duration retryAfter) {
    super(message, 429, errorCode, null);
    this.retryAfter = retryAfter;
  }

  /** The server's {@code Retry-After}, or null when it sent none. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
