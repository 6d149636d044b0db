package org.hashdb.core.release;

/** What a list release carries; signed as part of its header, so it cannot be changed. */
public enum ReleaseKind {
  /** The list's whole content: importing it removes every entry of the list it does not hold. */
  FULL(1),
  /** Entries to add and, after them, values to remove; the rest of the list stays. */
  DELTA(2);

  final int code;

  ReleaseKind(int code) {
    this.code = code;
  }

  /** The kind with this header code, or null. */
  static ReleaseKind ofCode(int code) {
    for (ReleaseKind k : values()) {
      if (k.code == code) {
        return k;
      }
    }
    return null;
  }

  /** Lower-case name, as printed and logged. */
  public String apiName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
