package org.hashdb.server.metrics;

import java.util.Set;

/**
 * Removes from a Prometheus text exposition the samples whose {@code list} label names a list
 * outside a set. List names are plain ({@code [A-Za-z0-9._-]}), so a label value needs no
 * unescaping; comment lines ({@code # HELP}, {@code # TYPE}) are kept.
 */
final class PerListFilter {
  private PerListFilter() {}

  static String keep(String exposition, Set<String> visible) {
    StringBuilder out = new StringBuilder(exposition.length());
    int from = 0;
    while (from < exposition.length()) {
      int nl = exposition.indexOf('\n', from);
      int end = nl < 0 ? exposition.length() : nl + 1;
      String list = listLabel(exposition, from, end);
      if (list == null || visible.contains(list)) {
        out.append(exposition, from, end);
      }
      from = end;
    }
    return out.toString();
  }

  /** The value of the {@code list} label of the sample in {@code s[from, end)}, or null. */
  static String listLabel(String s, int from, int end) {
    if (from >= end || s.charAt(from) == '#') {
      return null;
    }
    int i = from;
    while (i < end && s.charAt(i) != '{' && s.charAt(i) != ' ') {
      i++; // the metric name
    }
    if (i >= end || s.charAt(i) != '{') {
      return null;
    }
    i++;
    // name="value" pairs separated by commas; values escape \ " and newline with a backslash
    while (i < end && s.charAt(i) != '}') {
      int eq = s.indexOf('=', i);
      if (eq < 0 || eq + 1 >= end || s.charAt(eq + 1) != '"') {
        return null;
      }
      int v = eq + 2;
      int j = v;
      while (j < end && s.charAt(j) != '"') {
        j += s.charAt(j) == '\\' ? 2 : 1;
      }
      if (j >= end) {
        return null;
      }
      if (eq - i == 4 && s.startsWith("list", i)) {
        return s.substring(v, j);
      }
      i = j + 1;
      if (i < end && s.charAt(i) == ',') {
        i++;
      }
    }
    return null;
  }
}
