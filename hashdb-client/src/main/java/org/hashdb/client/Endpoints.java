package org.hashdb.client;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The base URLs a client may use and which of them to try next. Order within one pass over them:
 * the last URL that answered well (sticky), then the others in configuration order (the first
 * URL is the primary), and last the URLs still backing off after a failure. A URL that failed is
 * backed off for 1 s, doubling with each consecutive failure up to 30 s; an answer resets it.
 * The client never moves back to an earlier URL on its own while the current one answers.
 * Thread-safe (the state is tiny and changes only on failures and switches).
 */
final class Endpoints {
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final URI[] uris;
  private final long[] backoffUntil; // System.nanoTime() deadline; 0 when not backing off
  private final int[] failures; // consecutive
  private volatile int current;

  Endpoints(List<URI> uris) {
    if (uris.isEmpty()) {
      throw new IllegalArgumentException("at least one base URL is required");
    }
    this.uris = uris.toArray(new URI[0]);
    this.backoffUntil = new long[this.uris.length];
    this.failures = new int[this.uris.length];
  }

  int size() {
    return uris.length;
  }

  URI uri(int i) {
    return uris[i];
  }

  /** The URL answering now (the sticky one). */
  URI current() {
    return uris[current];
  }

  /**
   * The next URL to try in a pass that has already tried those marked in {@code tried}, or -1
   * when every URL was tried.
   */
  synchronized int next(boolean[] tried) {
    long now = System.nanoTime();
    int c = current;
    if (!tried[c] && !backingOff(c, now)) {
      return c;
    }
    for (int i = 0; i < uris.length; i++) {
      if (!tried[i] && !backingOff(i, now)) {
        return i;
      }
    }
    for (int i = 0; i < uris.length; i++) {
      if (!tried[i]) {
        return i; // backing off, but never fail a call while a URL is left untried
      }
    }
    return -1;
  }

  private boolean backingOff(int i, long now) {
    return failures[i] > 0 && now - backoffUntil[i] < 0;
  }

  /** URL {@code i} answered (as the API expects): it becomes the current one. */
  synchronized void succeeded(int i) {
    failures[i] = 0;
    current = i;
  }

  /** URL {@code i} failed (unreachable, timed out, 502/503/504, or behind): back it off. */
  synchronized void failed(int i) {
    int f = Math.min(failures[i] + 1, 16);
    failures[i] = f;
    long nanos = Math.min(MAX_BACKOFF.toNanos(), FIRST_BACKOFF.toNanos() << Math.min(f - 1, 5));
    backoffUntil[i] = System.nanoTime() + nanos;
  }
}
