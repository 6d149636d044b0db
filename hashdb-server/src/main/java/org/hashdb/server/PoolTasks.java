package org.hashdb.server;


import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/** Work handed from the event loop to a bounded pool (writes, PSI evaluations). */
public final class PoolTasks {
  private PoolTasks() {}

  /**
   * Runs {@code work} on {@code pool}; the future completes with its result or its exception.
   *
   * @throws ApiException 503 with Retry-After when the pool's queue is full
   */
  public static <T> CompletableFuture<T> submit(Executor pool, Callable<T> work) {
    CompletableFuture<T> f = new CompletableFuture<>();
    try {
      pool.execute(() -> {
        try {
          f.complete(work.call());
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
}
