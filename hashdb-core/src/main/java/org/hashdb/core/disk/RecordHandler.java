package org.hashdb.core.disk;

import java.io.IOException;

/** Receives the records replayed by {@link WriteAheadLog#recover}, in sequence order. */
@FunctionalInterface
public interface RecordHandler {
  void handle(WalRecord record) throws IOException;
}
