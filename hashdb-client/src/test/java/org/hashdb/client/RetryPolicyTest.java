package org.hashdb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy =
      new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(1000), Duration.ofSeconds(10));

  @Test
  void delayBeforeRetry_growsExponentiallyWithinJitterBoundsAndCap() {
    long[] base = {100, 200, 400, 800};
    for (int attempt = 1; attempt <= 4; attempt++) {
      for (int i = 0; i < 200; i++) {
        Duration d = policy.delayBeforeRetry(attempt, null);
        assertThat(d.toMillis()).isBetween(base[attempt - 1] / 2, base[attempt - 1]);
      }
    }
    RetryPolicy capped = new RetryPolicy(50, Duration.ofMillis(100), Duration.ofMillis(1000), Duration.ZERO);
    assertThat(capped.delayBeforeRetry(40, null).toMillis()).isBetween(500L, 1000L);
  }

  @Test
  void delayBeforeRetry_attemptsUsedUp_returnsNull() {
    assertThat(policy.delayBeforeRetry(5, null)).isNull();
    assertThat(RetryPolicy.NONE.delayBeforeRetry(1, null)).isNull();
  }

  @Test
  void delayBeforeRetry_retryAfter_isHonouredUpToMaxRetryAfter() {
    assertThat(policy.delayBeforeRetry(1, Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
    assertThat(policy.delayBeforeRetry(1, Duration.ofSeconds(11))).isNull();
    assertThat(policy.delayBeforeRetry(3, Duration.ZERO).toMillis()).isBetween(200L, 400L);
  }

  @Test
  void constructor_badValues_nameTheParameter() {
    assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, Duration.ZERO))
        .hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> new RetryPolicy(2, Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ZERO))
        .hasMessageContaining("maxBackoff");
    assertThatThrownBy(() -> new RetryPolicy(2, Duration.ofSeconds(-1), Duration.ofSeconds(1), Duration.ZERO))
        .hasMessageContaining("initialBackoff");
  }
}
