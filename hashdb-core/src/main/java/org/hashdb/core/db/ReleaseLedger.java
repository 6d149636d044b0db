package org.hashdb.core.db;

import java.util.Map;
import java.util.TreeMap;

/**
 * The highest release number imported per list and signer. Changed only by the database's
 * writer (a logged list change carries its {@link ReleaseMark}, so replay and replicas rebuild
 * it); saved in every snapshot. Readers get immutable copies.
 */
final class ReleaseLedger {
  /** Separates list and signer in a key: neither can contain it. */
  private static final char SEP = ' ';

  private Map<String, Long> highest = Map.of(); // "list signer" -> number; replaced, never changed

  /** Writer only: throws when {@code mark} may not be imported on {@code list}. */
  void check(String list, ReleaseMark mark) {
    if (mark == null || mark.allowRollback()) {
      return;
    }
    Long last = highest.get(list + SEP + mark.signer());
    if (last != null && mark.number() <= last) {
      throw new ReleaseRollbackException(list, mark.signer(), mark.number(), last);
    }
  }

  /** Writer (and replay) only: remembers {@code mark}; a rollback keeps the higher number. */
  void record(String list, ReleaseMark mark) {
    if (mark == null) {
      return;
    }
    String key = list + SEP + mark.signer();
    Long last = highest.get(key);
    if (last == null || mark.number() > last) {
      Map<String, Long> next = new TreeMap<>(highest);
      next.put(key, mark.number());
      highest = Map.copyOf(next);
    }
  }

  /** The highest number imported for {@code list} from {@code signer}, or -1. */
  long highest(String list, String signer) {
    return highest.getOrDefault(list + SEP + signer, -1L);
  }

  /** Writer only: an immutable copy, keyed {@code "<list> <signer>"}. */
  Map<String, Long> copy() {
    return highest;
  }

  /** Loading only: the entries of a snapshot. */
  void restore(Map<String, Long> entries) {
    highest = Map.copyOf(entries);
  }

  /** List of a {@link #copy} key. */
  static String listOf(String key) {
    return key.substring(0, key.indexOf(SEP));
  }

  /** Signer of a {@link #copy} key. */
  static String signerOf(String key) {
    return key.substring(key.indexOf(SEP) + 1);
  }

  static String key(String list, String signer) {
    return list + SEP + signer;
  }
}
