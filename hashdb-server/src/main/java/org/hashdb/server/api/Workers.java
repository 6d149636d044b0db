package org.hashdb.server.api;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.hashdb.server.ServerConfig;

/**
 * The worker threads that keep blocking work off the event loops: a bounded pool for durable
 * writes, the change feed and snapshot exports, and one thread per running import. Separate
 * from the routes so that every route group shares one pair of executors and one shutdown.
 * Thread-safe.
 */
final class Workers {
  private final ExecutorService writes; // durable writes, change feed, snapshot exports
  private final ThreadPoolExecutor imports; // one thread per running import, bounded

  Workers(ServerConfig config) {
    this.writes = new ThreadPoolExecutor(config.writeThreads(), config.writeThreads(), 60,
        TimeUnit.SECONDS, new LinkedBlockingQueue<>(4096), daemon("hashdb-write-"));
    this.imports = new ThreadPoolExecutor(0, 4, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
        daemon("hashdb-import-"));
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
    CompletableFuture<T> f = new CompletableFuture<>();
    try {
      writes.execute(() -> {
        try {
          f.complete(work.run());
        } catch (Throwable t) {
          f.completeExceptionally(t);
        }
      });
    } catch (RejectedExecutionException e) {
      throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable",
          "the server is busy; retry later", "Retry-After", "1");
    }
    return f;
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
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    writes.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    imports.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  /** Stops both executors now, interrupting running work. */
  void close() {
    writes.shutdownNow();
    imports.shutdownNow();
  }
}
