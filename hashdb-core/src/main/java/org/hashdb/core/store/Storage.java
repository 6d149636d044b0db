package org.hashdb.core.store;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

/** The data directory of a database: snapshots, write-ahead log, lock. (Being wired in.) */
final class Storage {
  static Storage open(HashDatabase db, Path dir, DatabaseOptions options) throws IOException {
    throw new UnsupportedOperationException("persistence lands with the persist module");
  }

  void afterWrite() {}

  Instant lastSnapshotTime() {
    return null;
  }

  void checkpoint() throws IOException {}

  void close() throws IOException {}
}
