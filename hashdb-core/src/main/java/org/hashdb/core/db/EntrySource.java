package org.hashdb.core.db;

import java.io.IOException;
import java.util.List;

/**
 * Entries streamed in batches, e.g. from a verified release file.
 *
 * @param <X> what else reading may throw (e.g. a release that changed since it was verified)
 */
@FunctionalInterface
public interface EntrySource<X extends Exception> {
  /** Adds up to {@code max} entries to {@code batch}; false once exhausted (the batch may still have rows). */
  boolean next(List<NewEntry> batch, int max) throws IOException, X;

  /** No entries. */
  static <X extends Exception> EntrySource<X> none() {
    return (batch, max) -> false;
  }
}
