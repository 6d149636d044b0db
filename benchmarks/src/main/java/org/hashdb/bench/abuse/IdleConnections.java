package org.hashdb.bench.abuse;

/** Thousands of connections that connect and never send a byte. */
final class IdleConnections extends ConnectionAttack {
  private final SlowConnections conns;

  IdleConnections(int connections) {
    this(connections, new SlowConnections());
  }

  private IdleConnections(int connections, SlowConnections conns) {
    super("idle-connections", connections, conns);
    this.conns = conns;
  }

  @Override
  void start(AbuseTarget t) {
    conns.openAll(t, size);
  }

  @Override
  void step() {
    conns.sweep();
  }
}
