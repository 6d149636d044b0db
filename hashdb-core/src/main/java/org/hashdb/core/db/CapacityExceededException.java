package org.hashdb.core.db;

/**
 * A write would take a hash type past {@link EntryIds#MAX_PER_TYPE} entries, or the database past
 * its most lists. Thrown before anything is logged or applied: the database is unchanged and
 * keeps accepting writes that fit (removals, other types).
 */
public final class CapacityExceededException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public CapacityExceededException(String message) {
    super(message);
  }
}
