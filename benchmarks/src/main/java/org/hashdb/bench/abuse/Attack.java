package org.hashdb.bench.abuse;

/**
 * One attack on a server. {@link #start} opens its connections or threads, {@link #step} is
 * called about once a second while it runs (to trickle bytes, check for closed connections),
 * {@link #stop} releases everything. Attacks that hold slow connections report how many the
 * server has closed so far.
 */
abstract class Attack implements AutoCloseable {
  final String name;
  final int size;

  Attack(String name, int size) {
    this.name = name;
    this.size = size;
  }

  abstract void start(AbuseTarget t) throws Exception;

  void step() throws Exception {}

  /** Whether the attack holds slow connections the server should close. */
  boolean slow() {
    return false;
  }

  /** Slow connections opened. */
  int opened() {
    return 0;
  }

  /** Slow connections the server closed so far. */
  int closed() {
    return 0;
  }

  /** Requests the attack completed (load attacks), for the report. */
  long requests() {
    return 0;
  }

  @Override
  public abstract void close();
}
