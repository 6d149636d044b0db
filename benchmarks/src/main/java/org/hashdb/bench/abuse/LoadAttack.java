package org.hashdb.bench.abuse;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A key holder's heavy but well-formed requests, sent back to back on {@code size}
 * connections (each waits for its answer): it is the server's fairness, not its timeouts,
 * that is tested.
 */
abstract class LoadAttack extends Attack {
  private final List<Thread> threads = new ArrayList<>();
  private final List<RawHttpClient> clients = new ArrayList<>();
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private volatile boolean stopping;

  LoadAttack(String name, int connections) {
    super(name, connections);
  }

  /** Sends one request on {@code c}; returns its status. */
  abstract int request(RawHttpClient c) throws Exception;

  @Override
  void start(AbuseTarget t) {
    for (int i = 0; i < size; i++) {
      RawHttpClient c = new RawHttpClient(t);
      clients.add(c);
      Thread th = new Thread(() -> {
        while (!stopping) {
          try {
            int status = request(c);
            if (status == 200) {
              done.incrementAndGet();
            } else {
              refused.incrementAndGet();
              if (status == 429 || status == 503) {
                Thread.sleep(200); // as told by Retry-After, roughly
              }
            }
          } catch (InterruptedException e) {
            return;
          } catch (Exception e) {
            if (stopping) {
              return;
            }
            refused.incrementAndGet();
          }
        }
      }, "abuse-" + name + "-" + i);
      th.setDaemon(true);
      threads.add(th);
      th.start();
    }
  }

  @Override
  long requests() {
    return done.get();
  }

  long refused() {
    return refused.get();
  }

  @Override
  public void close() {
    stopping = true;
    clients.forEach(RawHttpClient::close);
    for (Thread t : threads) {
      t.interrupt();
      try {
        t.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
