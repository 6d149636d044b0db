package org.hashdb.core.persist;

import java.io.IOException;

/** Receives the records replayed by {@link WriteAheadLog#recover}, in sequence order. */
@FunctionalInterface
public interface RecordHandler {
  void handle(WalRecord record) throws IOException;
}
