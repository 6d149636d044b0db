package org.hashdb.bench.abuse;

import java.io.IOException;

/**
 * Bulk requests that announce a 32 MB body (a million SHA-256 values) and send one byte every
 * 3 s: a server that allocates from Content-Length, or has no body deadline, keeps them all.
 */
final class TrickledBodies extends Attack {
  static final long ANNOUNCED = 32_000_000L;
  private final SlowConnections conns = new SlowConnections();
  private long lastSend;

  TrickledBodies(int connections) {
    super("trickled-bodies", connections);
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
    conns.sendAll("POST /v1/lookup/bulk?type=sha256 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
        + t.attackKey() + "\r\nContent-Type: application/octet-stream\r\nContent-Length: "
        + ANNOUNCED + "\r\n\r\n\0");
    lastSend = System.nanoTime();
  }

  @Override
  void step() {
    if (System.nanoTime() - lastSend > 3_000_000_000L) {
      conns.sendAll("\0");
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
