package org.hashdb.bench.abuse;

import java.io.IOException;

/** Thousands of connections that connect and never send a byte. */
final class IdleConnections extends Attack {
  private final SlowConnections conns = new SlowConnections();

  IdleConnections(int connections) {
    super("idle-connections", connections);
  }

  @Override
  void start(AbuseTarget t) {
    for (int i = 0; i < size; i++) {
      try {
        conns.add(t.connect(4096, null));
      } catch (IOException e) {
        conns.refusedAtOnce();
      }
    }
  }

  @Override
  void step() {
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
