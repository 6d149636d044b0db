package org.hashdb.server.auth;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A lock-free token bucket in its GCRA form: one {@link AtomicLong} holds the theoretical arrival
 * time of the next request; a request is allowed while that time is no more than one burst ahead
 * of now. Refills at {@code ratePerSecond}, holds at most {@code burst} tokens. Thread-safe.
 */
public final class RateLimiter {
  private final long intervalNanos; // time one token takes to refill
  private final long toleranceNanos; // how far ahead of now the arrival time may run (burst - 1 tokens)
  private final AtomicLong nextArrival = new AtomicLong(Long.MIN_VALUE / 2);

  /**
   * @param ratePerSecond sustained requests per second, >= 1
   * @param burst requests allowed at once after a quiet period, >= 1
   */
  public RateLimiter(int ratePerSecond, int burst) {
    if (ratePerSecond < 1) {
      throw new IllegalArgumentException("ratePerSecond must be >= 1, got " + ratePerSecond);
    }
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be >= 1, got " + burst);
    }
    this.intervalNanos = 1_000_000_000L / ratePerSecond;
    this.toleranceNanos = intervalNanos * (burst - 1);
  }

  /**
   * Takes a token at time {@code nowNanos} ({@link System#nanoTime()}). Returns 0 when allowed,
   * else the nanoseconds until a token will be available (nothing taken).
   */
  public long tryAcquire(long nowNanos) {
    while (true) {
      long tat = nextArrival.get();
      long start = Math.max(tat, nowNanos);
      long ahead = start - nowNanos;
      if (ahead > toleranceNanos) {
        return ahead - toleranceNanos;
      }
      if (nextArrival.compareAndSet(tat, start + intervalNanos)) {
        return 0;
      }
    }
  }
}
