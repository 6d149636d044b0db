package org.hashdb.server.api;

import org.hashdb.server.PoolTasks;

import org.hashdb.server.ApiException;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.hashdb.server.ServerConfig;

/**
 * The worker threads that keep blocking and heavy work off the event loops: a bounded pool for
 * durable writes, the change feed and snapshot exports; one thread per running import; and a
 * bounded lookup pool for PDQ searches and large lookup batches, where each key runs at most
 * {@code maxKeyLookupJobs} jobs at once and the rest of its jobs wait in the key's own queue,
 * so one key's heavy batches never take every lookup thread from the others. Separate from the
 * routes so that every route group shares these executors and one shutdown. Thread-safe.
 */
final class Workers {
  /** Jobs of one key waiting for a lookup thread, beyond which the key is refused (429). */
  static final int MAX_KEY_WAITING = 256;

  private final ExecutorService writes; // durable writes, change feed, snapshot exports
  private final ThreadPoolExecutor imports; // one thread per running import, bounded
  private final ThreadPoolExecutor lookups; // PDQ searches and large batches
  private final int perKey; // jobs of one key running at once
  private final ConcurrentHashMap<String, KeyJobs> keyJobs = new ConcurrentHashMap<>();

  Workers(ServerConfig config) {
    this.writes = new ThreadPoolExecutor(config.writeThreads(), config.writeThreads(), 60,
        TimeUnit.SECONDS, new LinkedBlockingQueue<>(4096), daemon("hashdb-write-"));
    this.imports = new ThreadPoolExecutor(0, 4, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
        daemon("hashdb-import-"));
    this.lookups = new ThreadPoolExecutor(config.lookupThreads(), config.lookupThreads(), 60,
        TimeUnit.SECONDS, new LinkedBlockingQueue<>(4096), daemon("hashdb-lookup-"));
    this.perKey = config.maxKeyLookupJobs();
  }

  /** One key's lookup jobs: how many run, and the ones waiting their turn. Guarded by itself. */
  private static final class KeyJobs {
    int running;
    final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  }

  /**
   * Runs a lookup for {@code keyId} on the lookup pool, after that key's earlier jobs if it
   * already runs {@code maxKeyLookupJobs}; a full pool queue is a 503, a key with too many
   * waiting jobs a 429, both with Retry-After.
   */
  <T> CompletableFuture<T> lookup(String keyId, Supplier<T> work) {
    CompletableFuture<T> f = new CompletableFuture<>();
    Runnable job = () -> {
      try {
        f.complete(work.get());
      } catch (Throwable t) {
        f.completeExceptionally(t);
      }
    };
    KeyJobs k = keyJobs.computeIfAbsent(keyId, id -> new KeyJobs());
    synchronized (k) {
      if (k.running >= perKey) {
        if (k.waiting.size() >= MAX_KEY_WAITING) {
          throw new ApiException(HttpResponseStatus.TOO_MANY_REQUESTS, "rate_limited",
              "too many lookup jobs of this key waiting; retry later", "Retry-After", "1");
        }
        k.waiting.add(job);
        return f;
      }
      k.running++;
    }
    try {
      lookups.execute(() -> runThenNext(k, job));
    } catch (RejectedExecutionException e) {
      synchronized (k) {
        k.running--;
      }
      throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable",
          "the server is busy; retry later", "Retry-After", "1");
    }
    return f;
  }

  /** Runs {@code job}, then the key's next waiting job on the same thread, if any. */
  private void runThenNext(KeyJobs k, Runnable job) {
    Runnable next = job;
    while (next != null) {
      next.run();
      synchronized (k) {
        next = k.waiting.poll();
        if (next == null) {
          k.running--;
        }
      }
      if (next != null && lookups.getQueue().size() > 0) {
        // others are waiting for a thread: queue the key's next job behind them (fairness)
        Runnable n = next;
        try {
          lookups.execute(() -> runThenNext(k, n));
          return;
        } catch (RejectedExecutionException e) {
          // the pool queue is full: run it here rather than lose it
        }
      }
    }
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Work for the write pool; may do I/O. */
  interface Work<T> {
    T run() throws IOException;
  }

  /** Runs {@code work} on the write pool; a full queue is a 503 with Retry-After. */
  <T> CompletableFuture<T> submit(Work<T> work) {
    return PoolTasks.submit(writes, work::run);
  }

  /** Starts {@code job} on its own thread; too many running imports is a 503. */
  void startImport(ImportJob job) {
    try {
      imports.execute(job);
    } catch (RejectedExecutionException e) {
      throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable",
          "too many imports running; retry later", "Retry-After", "5");
    }
  }

  /** Stops both executors, letting running work finish (up to {@code millis}). */
  void shutdown(long millis) throws InterruptedException {
    writes.shutdown();
    imports.shutdown();
    lookups.shutdown();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    writes.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    imports.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  /** Stops both executors now, interrupting running work. */
  void close() {
    writes.shutdownNow();
    imports.shutdownNow();
    lookups.shutdownNow();
  }
}
