package org.hashdb.core.db;

import java.util.Collection;
import java.util.Set;

/**
 * Which lists a caller may see. Built from list names, so it can be created before the lists
 * exist and stays valid as lists are added; {@link HashDatabase} resolves it against its list
 * registry (cached per registry version, so the hot path is one array read per candidate).
 * Immutable and thread-safe.
 */
public final class ListFilter {
  private static final ListFilter ALL = new ListFilter(null);

  private final Set<String> names; // null = every list

  // Cache of the last resolution: visible[listId], valid for registry version `version`.
  private volatile Resolved resolved;

  private ListFilter(Set<String> names) {
    this.names = names;
  }

  /** Every list, current and future. */
  public static ListFilter all() {
    return ALL;
  }

  /** Only the named lists (names that do not exist yet become visible once they do). */
  public static ListFilter of(Collection<String> names) {
    return new ListFilter(Set.copyOf(names));
  }

  public boolean isAll() {
    return names == null;
  }

  /** The visible names, or null for {@link #all()}. */
  public Set<String> names() {
    return names;
  }

  boolean[] resolve(ListRegistry.Snapshot lists) {
    Resolved r = resolved;
    if (r != null && r.version == lists.version()) {
      return r.visible;
    }
    boolean[] visible = new boolean[lists.size()];
    for (int id = 0; id < visible.length; id++) {
      visible[id] = names == null || names.contains(lists.name(id));
    }
    resolved = new Resolved(lists.version(), visible);
    return visible;
  }

  private record Resolved(long version, boolean[] visible) {}

  @Override
  public String toString() {
    return names == null ? "ListFilter[all]" : "ListFilter" + names;
  }
}
