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
    return tryAcquire(nowNanos, 1);
  }

  /**
   * Takes {@code tokens} at once (the work of a request: its queries, its PDQ searches); more
   * than a burst is capped at a burst, so a large request waits for a full bucket and then
   * empties it. Returns 0 when allowed, else the nanoseconds to wait (nothing taken).
   */
  public long tryAcquire(long nowNanos, long tokens) {
    long n = Math.max(1, Math.min(tokens, toleranceNanos / intervalNanos + 1));
    long extra = (n - 1) * intervalNanos; // the arrival time the extra tokens push ahead
    while (true) {
      long tat = nextArrival.get();
      long start = Math.max(tat, nowNanos);
      long ahead = start + extra - nowNanos;
      if (ahead > toleranceNanos) {
        return ahead - toleranceNanos;
      }
      if (nextArrival.compareAndSet(tat, start + extra + intervalNanos)) {
        return 0;
      }
    }
  }
}
