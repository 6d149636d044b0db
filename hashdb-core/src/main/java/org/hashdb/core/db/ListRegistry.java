package org.hashdb.core.db;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Names of the hash lists and their dense ids (0..size-1, at most 65,535 lists). Copy-on-write:
 * the single writer publishes a new immutable {@link Snapshot} on every change, readers take the
 * current one with a volatile read.
 */
final class ListRegistry {
  /** Most lists a database can hold; ids fit an unsigned short column. */
  static final int MAX_LISTS = 0xffff;

  private volatile Snapshot current = new Snapshot(0, new String[0], Map.of());

  Snapshot current() {
    return current;
  }

  /** Writer only: the id of {@code name}, registering it if new. */
  int idOf(String name) {
    Snapshot s = current;
    Integer id = s.ids.get(name);
    if (id != null) {
      return id;
    }
    if (s.names.length >= MAX_LISTS) {
      throw new IllegalStateException("too many lists (limit " + MAX_LISTS + ")");
    }
    String[] names = Arrays.copyOf(s.names, s.names.length + 1);
    names[s.names.length] = name;
    Map<String, Integer> ids = new HashMap<>(s.ids);
    ids.put(name, s.names.length);
    current = new Snapshot(s.version + 1, names, Map.copyOf(ids));
    return s.names.length;
  }

  /** An immutable view of the registry. */
  record Snapshot(long version, String[] names, Map<String, Integer> ids) {
    int size() {
      return names.length;
    }

    String name(int id) {
      return names[id];
    }

    /** The id of {@code name}, or -1. */
    int find(String name) {
      Integer id = ids.get(name);
      return id == null ? -1 : id;
    }
  }
}
