package org.hashdb.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link RateLimiter#tryAcquire(long, long)}: the work of a request in one take. */
class RateLimiterTokensTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void tokensWithinBurst_takenAtOnce_thenWaitForRefill() {
    RateLimiter r = new RateLimiter(10, 10);
    long t = 5 * SECOND;
    assertThat(r.tryAcquire(t, 6)).isZero();
    assertThat(r.tryAcquire(t, 4)).isZero();
    long wait = r.tryAcquire(t, 3);
    assertThat(wait).isEqualTo(300_000_000L); // three tokens refill in 0.3 s
    assertThat(r.tryAcquire(t + wait, 3)).isZero();
  }

  @Test
  void moreThanABurst_needsAFullBucket_andEmptiesIt() {
    RateLimiter r = new RateLimiter(10, 10);
    long t = 5 * SECOND;
    assertThat(r.tryAcquire(t, 1)).isZero();
    assertThat(r.tryAcquire(t, 50)).isEqualTo(100_000_000L); // the one token taken
    assertThat(r.tryAcquire(t + 100_000_000L, 50)).isZero();
    assertThat(r.tryAcquire(t + 100_000_000L, 1)).isPositive();
  }

  @Test
  void oneToken_sameAsPlainAcquire() {
    RateLimiter a = new RateLimiter(5, 2);
    RateLimiter b = new RateLimiter(5, 2);
    for (long t = 0; t < 3 * SECOND; t += 37_000_000L) {
      assertThat(a.tryAcquire(t, 1)).isEqualTo(b.tryAcquire(t));
    }
  }
}
