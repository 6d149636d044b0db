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
  PDQ("pdq", 32, false),
  /**
   * A video: its value is the SHA-256 of its canonical frame set (distinct PDQ frame hashes of
   * quality >= 50, sorted; see {@code org.hashdb.core.video.VpdqFrames}), which identifies the
   * entry byte for byte; the frames themselves are stored beside it and matched by vPDQ's rule.
   */
  VPDQ("vpdq", 32, true);

  /** Upper bound of {@link #byteLength()} over all types. */
  public static final int MAX_BYTES = 32;

  private static final HashType[] VALUES = values();
  private static final HashType[] SINGLE_VALUE = {MD5, SHA1, SHA256, PDQ};

  private final String apiName;
  private final int byteLength;
  private final boolean exact;

  HashType(String apiName, int byteLength, boolean exact) {
    this.apiName = apiName;
    this.byteLength = byteLength;
    this.exact = exact;
  }

  /** Lowercase name used by the API and file formats: {@code md5}, {@code sha1}, {@code sha256}, {@code pdq}, {@code vpdq}. */
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

  /** True for {@link #VPDQ}: entries are videos whose frames are stored and matched with the entry. */
  public boolean isVideo() {
    return this == VPDQ;
  }

  /** The types whose entry is its value alone: all but {@link #VPDQ}. A new array each call. */
  public static HashType[] singleValueTypes() {
    return SINGLE_VALUE.clone();
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

  /**
   * The type named by {@code s[from..to)} (case-insensitive), or null: {@link #parse} for a range
   * of a URI or parser buffer, without allocating.
   */
  public static HashType find(CharSequence s, int from, int to) {
    for (HashType t : VALUES) {
      String n = t.apiName;
      if (n.length() == to - from && regionMatchesLower(s, from, n)) {
        return t;
      }
    }
    return null;
  }

  private static boolean regionMatchesLower(CharSequence s, int from, String lower) {
    for (int i = 0; i < lower.length(); i++) {
      if (Character.toLowerCase(s.charAt(from + i)) != lower.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return apiName;
  }
}
