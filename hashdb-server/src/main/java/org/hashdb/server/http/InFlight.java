package org.hashdb.server.http;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests begun and not yet answered, across all connections, and whether the server is
 * draining (shutting down: finish what is in flight, accept nothing new). Thread-safe.
 */
final class InFlight {
  private final AtomicInteger count = new AtomicInteger();
  private volatile boolean draining;

  void begin() {
    count.incrementAndGet();
  }

  void end() {
    int n = count.decrementAndGet();
    assert n >= 0 : "more requests ended than begun";
  }

  int count() {
    return count.get();
  }

  boolean draining() {
    return draining;
  }

  void drain() {
    draining = true;
  }
}
