package org.hashdb.bench.abuse;

/**
 * An attack that holds connections the server should close: reports them through its
 * {@link HeldConnections} and closes them when it stops.
 */
abstract class ConnectionAttack extends Attack {
  private final HeldConnections held;

  ConnectionAttack(String name, int size, HeldConnections held) {
    super(name, size);
    this.held = held;
  }

  @Override
  boolean slow() {
    return true;
  }

  @Override
  int opened() {
    return held.opened();
  }

  @Override
  int closed() {
    return held.closed();
  }

  @Override
  public void close() {
    held.closeAll();
  }
}
