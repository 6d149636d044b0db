package org.hashdb.core.db;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hashdb.core.Accountable;

/**
 * Interned strings (categories, sources) with dense ids, so an entry stores a 4-byte id instead
 * of a reference. Id 0 is the empty string. One writer interns; readers resolve ids they got
 * from published entries without locks (ids are published after the string is stored).
 */
final class StringDictionary implements Accountable {
  private final Map<String, Integer> ids = new HashMap<>(); // writer-only
  private volatile String[] byId = new String[16];
  private int size; // writer-only

  StringDictionary() {
    intern("");
  }

  /** Writer only. */
  int intern(String s) {
    Integer id = ids.get(s);
    if (id != null) {
      return id;
    }
    String[] a = byId;
    if (size == a.length) {
      a = java.util.Arrays.copyOf(a, a.length * 2);
    }
    a[size] = s;
    byId = a;
    ids.put(s, size);
    return size++;
  }

  String get(int id) {
    return byId[id];
  }

  /** Writer only (or under the writer lock). */
  int size() {
    return size;
  }

  /** The first {@code n} strings, in id order. */
  List<String> prefix(int n) {
    String[] a = byId;
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(a[i]);
    }
    return out;
  }

  @Override
  public long ramBytesUsed() {
    long chars = 0;
    String[] a = byId;
    for (int i = 0; i < a.length && a[i] != null; i++) {
      chars += 40 + a[i].length();
    }
    return 16L + 8L * a.length + chars + 48L * ids.size();
  }
}
