package org.hashdb.bench.abuse;

/**
 * Bulk requests that announce a 32 MB body (a million SHA-256 values) and send one byte every
 * 3 s: a server that allocates from Content-Length, or has no body deadline, keeps them all.
 */
final class TrickledBodies extends ConnectionAttack {
  static final long ANNOUNCED = 32_000_000L;
  private final SlowConnections conns;
  private long lastSend;

  TrickledBodies(int connections) {
    this(connections, new SlowConnections());
  }

  private TrickledBodies(int connections, SlowConnections conns) {
    super("trickled-bodies", connections, conns);
    this.conns = conns;
  }

  @Override
  void start(AbuseTarget t) throws Exception {
    conns.openAll(t, size);
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
}
