package org.hashdb.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private static final long S = 1_000_000_000L;

  @Test
  void tryAcquire_burstThenRefillAtRate() {
    RateLimiter l = new RateLimiter(10, 5);
    long t = 1_000 * S;
    for (int i = 0; i < 5; i++) {
      assertThat(l.tryAcquire(t)).isZero();
    }
    long wait = l.tryAcquire(t);
    assertThat(wait).isEqualTo(S / 10);
    assertThat(l.tryAcquire(t + S / 10 - 1)).isPositive();
    assertThat(l.tryAcquire(t + S / 10)).isZero();
    // a quiet second refills the burst, never more
    long later = t + 10 * S;
    for (int i = 0; i < 5; i++) {
      assertThat(l.tryAcquire(later)).isZero();
    }
    assertThat(l.tryAcquire(later)).isPositive();
  }

  @Test
  void tryAcquire_concurrentCallers_neverExceedBurst() throws Exception {
    RateLimiter l = new RateLimiter(1, 100);
    long t = 5 * S;
    AtomicInteger ok = new AtomicInteger();
    Thread[] th = new Thread[4];
    for (int i = 0; i < th.length; i++) {
      th[i] = new Thread(() -> {
        for (int k = 0; k < 1000; k++) {
          if (l.tryAcquire(t) == 0) {
            ok.incrementAndGet();
          }
        }
      });
      th[i].start();
    }
    for (Thread x : th) {
      x.join();
    }
    assertThat(ok.get()).isEqualTo(100);
  }

  @Test
  void constructor_badArguments_named() {
    assertThatThrownBy(() -> new RateLimiter(0, 1)).hasMessageContaining("ratePerSecond");
    assertThatThrownBy(() -> new RateLimiter(1, 0)).hasMessageContaining("burst");
  }
}
