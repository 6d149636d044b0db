package org.hashdb.core.hash;

import java.util.Locale;

/**
 * The kinds of hash HashDB stores. Exact types match byte for byte; {@link #PDQ} matches by
 * Hamming distance. The API name ({@link #apiName()}) is what the HTTP API, files and the
 * command line use; the ordinal is used in binary formats and entry ids, so new types are
 * only ever appended.
 */
public enum HashType {
  MD5("md5", 16, true),
  SHA1("sha1", 20, true),
  SHA256("sha256", 32, true),
  PDQ("pdq", 32, false);

  /** Upper bound of {@link #byteLength()} over all types. */
  public static final int MAX_BYTES = 32;

  private static final HashType[] VALUES = values();

  private final String apiName;
  private final int byteLength;
  private final boolean exact;

  HashType(String apiName, int byteLength, boolean exact) {
    this.apiName = apiName;
    this.byteLength = byteLength;
    this.exact = exact;
  }

  /** Lowercase name used by the API and file formats: {@code md5}, {@code sha1}, {@code sha256}, {@code pdq}. */
  public String apiName() {
    return apiName;
  }

  /** Length of a value in bytes. */
  public int byteLength() {
    return byteLength;
  }

  /** Length of a value in hex digits. */
  public int hexLength() {
    return byteLength * 2;
  }

  /** True when values match only byte for byte; false for perceptual types matched by distance. */
  public boolean isExact() {
    return exact;
  }

  /** The type with this ordinal, as stored in binary formats. */
  public static HashType ofOrdinal(int ordinal) {
    if (ordinal < 0 || ordinal >= VALUES.length) {
      throw new IllegalArgumentException("unknown hash type ordinal " + ordinal);
    }
    return VALUES[ordinal];
  }

  /** Parses an API name, case-insensitively ({@code "SHA256"} and {@code "sha256"} both work). */
  public static HashType parse(String name) {
    if (name != null) {
      String lower = name.toLowerCase(Locale.ROOT);
      for (HashType t : VALUES) {
        if (t.apiName.equals(lower)) {
          return t;
        }
      }
    }
    throw new UnknownHashTypeException(name);
  }

  @Override
  public String toString() {
    return apiName;
  }
}
