package org.hashdb.core.lists;

/** A rejected input line: its 1-based number and why. The reason never repeats the whole line. */
public record LineError(long line, String reason) {
  @Override
  public String toString() {
    return "line " + line + ": " + reason;
  }
}
