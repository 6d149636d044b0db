package org.hashdb.core.db;

import java.util.List;

/**
 * One logged change, as the change feed reports it: entries added to lists, or a value removed
 * from one list or from all.
 *
 * @param sequence the change's sequence number
 * @param timeMillis when it was made
 * @param kind ADD or REMOVE
 * @param entries for ADD, the entries added (in order; already-present ones are not logged); for
 *     REMOVE, one element naming type, value and list ("" = every list; category and source "")
 */
public record Change(long sequence, long timeMillis, Kind kind, List<NewEntry> entries) {
  /** What a change does. */
  public enum Kind {
    ADD,
    REMOVE
  }
}
