package org.hashdb.server.auth;

import java.util.List;
import org.hashdb.core.db.ListFilter;

/**
 * An authenticated key as the server uses it: name, role, the lists it may see (one cached
 * {@link ListFilter}) and its rate limiter (null: unlimited). Immutable apart from the limiter.
 */
public final class ApiKey {
  private final String id; // public part of the key, 16 hex digits
  private final String name; // unique human-readable name, used in logs
  private final Role role;
  private final List<String> lists; // visible lists, null = all
  private final ListFilter filter; // cached per key so lookups reuse its resolution
  private final int rate; // rate-limit tokens per second, 0 = unlimited
  private final RateLimiter limiter; // null when rate == 0
  private final int maxDistance; // ceiling for a PDQ query's maxDistance

  ApiKey(String id, String name, Role role, List<String> lists, int rate, RateLimiter limiter,
      int maxDistance) {
    this.id = id;
    this.name = name;
    this.role = role;
    this.lists = lists == null ? null : List.copyOf(lists);
    this.filter = lists == null ? ListFilter.all() : ListFilter.of(lists);
    this.rate = rate;
    this.limiter = limiter;
    this.maxDistance = maxDistance;
  }

  public String id() {
    return id;
  }

  public String name() {
    return name;
  }

  public Role role() {
    return role;
  }

  /** Visible lists, or null for all. */
  public List<String> lists() {
    return lists;
  }

  public ListFilter filter() {
    return filter;
  }

  /** Rate-limit tokens per second (a request takes one, the work in it more), 0: unlimited. */
  public int rate() {
    return rate;
  }

  /** The largest PDQ {@code maxDistance} this key may ask for (0..64). */
  public int maxDistance() {
    return maxDistance;
  }

  /** Takes a rate-limit token; 0 when allowed, else nanoseconds to wait. */
  public long tryAcquire(long nowNanos) {
    return limiter == null ? 0 : limiter.tryAcquire(nowNanos);
  }

  /**
   * Takes {@code tokens} rate-limit tokens for the work inside a request (queries beyond the
   * first, PDQ searches); 0 when allowed, else nanoseconds to wait.
   */
  public long tryAcquire(long nowNanos, long tokens) {
    return limiter == null || tokens <= 0 ? 0 : limiter.tryAcquire(nowNanos, tokens);
  }

  RateLimiter limiter() {
    return limiter;
  }

  @Override
  public String toString() {
    return "ApiKey[" + name + ", " + role.apiName() + "]";
  }
}
