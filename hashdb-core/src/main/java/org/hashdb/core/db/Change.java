package org.hashdb.core.db;

import java.util.List;

/**
 * One logged change, as the change feed reports it: entries added to lists, a value removed
 * from one list or from all, or one list changed by a release (adds and removals together).
 *
 * @param sequence the change's sequence number
 * @param timeMillis when it was made
 * @param kind ADD, REMOVE or LIST
 * @param entries for ADD and LIST, the entries added (in order; already-present ones are not
 *     logged); for REMOVE, one element naming type, value and list ("" = every list; category and
 *     source "")
 * @param list for LIST, the list changed; else null
 * @param full for LIST, whether it was a full release (the list's whole content)
 * @param release for LIST, the release it came from, or null
 * @param removed for LIST, the values taken off {@code list} (type, value, list; category and
 *     source ""); else empty
 */
public record Change(long sequence, long timeMillis, Kind kind, List<NewEntry> entries,
    String list, boolean full, ReleaseMark release, List<NewEntry> removed) {
  /** What a change does. */
  public enum Kind {
    ADD,
    REMOVE,
    /** One list changed atomically: {@code entries} added to it and {@code removed} taken off. */
    LIST
  }

  /** An ADD or REMOVE change. */
  public Change(long sequence, long timeMillis, Kind kind, List<NewEntry> entries) {
    this(sequence, timeMillis, kind, entries, null, false, null, List.of());
  }

  /** Entries the change names: added plus removed. */
  public int size() {
    return entries.size() + removed.size();
  }
}
