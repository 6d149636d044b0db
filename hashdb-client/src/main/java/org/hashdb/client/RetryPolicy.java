package org.hashdb.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How idempotent calls (every lookup, although batches are POSTs) are retried after a connection
 * failure, a 5xx or a 429: exponential backoff with jitter, never sooner than the server's
 * {@code Retry-After}. Immutable.
 *
 * @param maxAttempts attempts in total, first one included (1 = no retry)
 * @param initialBackoff backoff before the first retry
 * @param maxBackoff cap on the exponential backoff
 * @param maxRetryAfter longest {@code Retry-After} the client waits for; a longer one fails the
 *     call at once with {@link RateLimitedException} / {@link ServerUnavailableException}
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {
  /** 4 attempts, 100 ms doubling up to 5 s, waits up to 60 s when the server says so. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(4, Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(60));
  /** One attempt, no retry. */
  public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
    }
    requireNonNegative(initialBackoff, "initialBackoff");
    requireNonNegative(maxBackoff, "maxBackoff");
    requireNonNegative(maxRetryAfter, "maxRetryAfter");
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("maxBackoff (" + maxBackoff + ") must be >= initialBackoff (" + initialBackoff + ")");
    }
  }

  private static void requireNonNegative(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must be >= 0, got " + d);
    }
  }

  /**
   * The wait before attempt {@code failedAttempts + 1}: "equal jitter", a random value in
   * [b/2, b] with b = min(maxBackoff, initialBackoff * 2^(failedAttempts-1)), so clients that failed
   * together do not retry together; at least {@code retryAfter} when the server sent one. Null when
   * no further attempt is allowed (attempts used up, or {@code retryAfter} beyond {@link
   * #maxRetryAfter}).
   *
   * @param failedAttempts attempts made so far (>= 1)
   * @param retryAfter the server's Retry-After, or null
   */
  public Duration delayBeforeRetry(int failedAttempts, Duration retryAfter) {
    if (failedAttempts < 1) {
      throw new IllegalArgumentException("failedAttempts must be >= 1, got " + failedAttempts);
    }
    if (failedAttempts >= maxAttempts) {
      return null;
    }
    if (retryAfter != null && retryAfter.compareTo(maxRetryAfter) > 0) {
      return null;
    }
    long initial = initialBackoff.toNanos();
    long cap = maxBackoff.toNanos();
    int shift = Math.min(failedAttempts - 1, 62);
    long base = initial > (cap >> shift) ? cap : Math.min(cap, initial << shift);
    long half = base / 2;
    long nanos = half + (base - half == 0 ? 0 : ThreadLocalRandom.current().nextLong(base - half + 1));
    if (retryAfter != null) {
      nanos = Math.max(nanos, retryAfter.toNanos());
    }
    return Duration.ofNanos(nanos);
  }
}
