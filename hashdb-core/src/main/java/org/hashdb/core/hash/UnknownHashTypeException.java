package org.hashdb.core.hash;

/** A hash type name that HashDB does not know. The HTTP API maps it to 400 {@code unknown_hash_type}. */
public final class UnknownHashTypeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public UnknownHashTypeException(String name) {
    super("unknown hash type '" + abbreviate(name) + "' (expected md5, sha1, sha256 or pdq)");
  }

  private static String abbreviate(String s) {
    if (s == null) {
      return "null";
    }
    return s.length() <= 32 ? s : s.substring(0, 32) + "...";
  }
}
