package org.hashdb.server.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.hashdb.server.auth.ApiKey;

/**
 * The request body bytes held in memory right now, in total and per key, against the limits
 * {@code maxBodyBytesInFlight} and {@code maxKeyBodyBytesInFlight}. Bytes are reserved as they
 * arrive (never from a Content-Length) and released when the request is answered. Thread-safe:
 * every event loop and worker shares one.
 */
final class BodyBudget {
  /** Outcome of {@link #reserve}. */
  enum Result { OK, SERVER_FULL, KEY_FULL }

  private final long total;
  private final long perKey;
  private final AtomicLong used = new AtomicLong();
  private final ConcurrentHashMap<String, AtomicLong> byKey = new ConcurrentHashMap<>();

  BodyBudget(long total, long perKey) {
    this.total = total;
    this.perKey = perKey;
  }

  /** Reserves {@code n} bytes for {@code key} (null: key-free); nothing is taken on failure. */
  Result reserve(ApiKey key, long n) {
    if (used.addAndGet(n) > total) {
      used.addAndGet(-n);
      return Result.SERVER_FULL;
    }
    if (key != null) {
      AtomicLong k = byKey.computeIfAbsent(key.id(), id -> new AtomicLong());
      if (k.addAndGet(n) > perKey) {
        k.addAndGet(-n);
        used.addAndGet(-n);
        return Result.KEY_FULL;
      }
    }
    return Result.OK;
  }

  void release(ApiKey key, long n) {
    used.addAndGet(-n);
    if (key != null) {
      AtomicLong k = byKey.get(key.id());
      if (k != null) {
        k.addAndGet(-n);
      }
    }
  }

  /** Bytes held by all requests. */
  long used() {
    return used.get();
  }

  /** Bytes held by the requests of {@code key}. */
  long used(ApiKey key) {
    AtomicLong k = byKey.get(key.id());
    return k == null ? 0 : k.get();
  }

  long total() {
    return total;
  }

  long perKey() {
    return perKey;
  }
}
