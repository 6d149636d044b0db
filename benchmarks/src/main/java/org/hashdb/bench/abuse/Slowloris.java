package org.hashdb.bench.abuse;

/** Request heads that never end: a header line every 10 s on each of many connections. */
final class Slowloris extends ConnectionAttack {
  private final SlowConnections conns;
  private long lastSend;

  Slowloris(int connections) {
    this(connections, new SlowConnections());
  }

  private Slowloris(int connections, SlowConnections conns) {
    super("slowloris-headers", connections, conns);
    this.conns = conns;
  }

  @Override
  void start(AbuseTarget t) throws Exception {
    conns.openAll(t, size);
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
}
