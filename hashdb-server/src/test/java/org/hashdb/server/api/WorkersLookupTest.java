package org.hashdb.server.api;

import org.hashdb.server.ApiException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.hashdb.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lookup pool: off the event loop, at most {@code maxKeyLookupJobs} jobs of one key at
 * once, so a key with heavy batches leaves threads for every other key.
 */
class WorkersLookupTest {
  private final Workers w = new Workers(ServerConfig.builder().lookupThreads(2)
      .maxKeyLookupJobs(1).build());

  @AfterEach
  void close() {
    w.close();
  }

  @Test
  void heavyKey_holdsOneThread_otherKeyRunsAtOnce() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    List<CompletableFuture<String>> heavy = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      heavy.add(w.lookup("heavy", () -> {
        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        running.decrementAndGet();
        return Thread.currentThread().getName();
      }));
    }
    // the other key gets the second thread while the heavy key's jobs wait their turn
    String other = w.lookup("light", () -> Thread.currentThread().getName())
        .get(5, TimeUnit.SECONDS);
    assertThat(other).startsWith("hashdb-lookup-");
    assertThat(heavy).noneMatch(CompletableFuture::isDone);
    release.countDown();
    for (CompletableFuture<String> f : heavy) {
      assertThat(f.get(5, TimeUnit.SECONDS)).startsWith("hashdb-lookup-");
    }
    assertThat(maxRunning.get()).isEqualTo(1);
  }

  @Test
  void failureOfAJob_reachesItsFuture_andTheKeyGoesOn() throws Exception {
    CompletableFuture<Object> bad = w.lookup("k", () -> {
      throw ApiException.invalidRequest("bad");
    });
    assertThatThrownBy(() -> bad.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(ApiException.class);
    assertThat(w.lookup("k", () -> 42).get(5, TimeUnit.SECONDS)).isEqualTo(42);
  }

  @Test
  void tooManyWaitingJobsOfOneKey_429() {
    CountDownLatch release = new CountDownLatch(1);
    try {
      for (int i = 0; i <= Workers.MAX_KEY_WAITING; i++) {
        w.lookup("k", () -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return null;
        });
      }
      assertThatThrownBy(() -> w.lookup("k", () -> null)).isInstanceOf(ApiException.class)
          .hasMessageContaining("too many lookup jobs");
    } finally {
      release.countDown();
    }
  }
}
