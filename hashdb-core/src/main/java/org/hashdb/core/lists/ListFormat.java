package org.hashdb.core.lists;

import java.util.Locale;

/**
 * Text formats of hash list files.
 *
 * <ul>
 *   <li>{@link #CSV}: {@code type,hash[,category[,source[,quality]]]} per line; an optional
 *       header line starting with {@code type,}; fields may be double-quoted (RFC 4180, {@code ""}
 *       for a quote). {@code quality} (0..100) is for pdq rows only.
 *   <li>{@link #HEX}: one hex hash per line; the type is given by the caller.
 * </ul>
 *
 * Both: UTF-8 (invalid bytes are an error), blank lines and lines starting with {@code #} are
 * skipped, surrounding whitespace is trimmed, CRLF accepted.
 */
public enum ListFormat {
  CSV,
  HEX;

  /** Parses {@code csv} or {@code hex}, case-insensitively. */
  public static ListFormat parse(String s) {
    try {
      return valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("unknown list format '" + s + "' (expected csv or hex)");
    }
  }
}
