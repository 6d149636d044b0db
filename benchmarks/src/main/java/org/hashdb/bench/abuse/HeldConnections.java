package org.hashdb.bench.abuse;

/** The connections an attack holds open: how many it opened, how many the server closed. */
interface HeldConnections {
  int opened();

  int closed();

  void closeAll();
}
