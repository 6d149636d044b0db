package org.hashdb.server.api;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.hashdb.core.db.HashDatabase;

/**
 * Change feed long-polls ({@code wait=}) waiting for a change after their {@code since}: woken
 * by the database's durable-write listener, or by their timeout, or all at once at shutdown. No
 * thread waits: each poll is a future the HTTP layer holds. At most one entry per open request.
 */
final class ChangeWaiters {
  private record Waiter(long since, CompletableFuture<Void> done) {}

  private final ConcurrentLinkedQueue<Waiter> waiting = new ConcurrentLinkedQueue<>();

  /** Completes when {@code d} has a change after {@code since}, or after {@code millis}. */
  CompletableFuture<Void> await(HashDatabase d, long since, long millis) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    Waiter w = new Waiter(since, f);
    waiting.add(w);
    f.whenComplete((v, e) -> waiting.remove(w));
    if (d.sequence() > since) { // a change that came before the waiter was queued
      f.complete(null);
    }
    f.completeOnTimeout(null, millis, TimeUnit.MILLISECONDS);
    return f;
  }

  /** Listener of durable writes: wakes the polls that wait for {@code sequence}. */
  void durable(long sequence) {
    for (Waiter w : waiting) {
      if (sequence > w.since) {
        w.done.complete(null);
      }
    }
  }

  /** Shutdown: every poll answers now with what there is. */
  void releaseAll() {
    for (Waiter w : waiting) {
      w.done.complete(null);
    }
  }
}
