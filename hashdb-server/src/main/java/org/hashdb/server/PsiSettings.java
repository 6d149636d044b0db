package org.hashdb.server;

import org.hashdb.core.psi.PsiInput;

/**
 * Settings of private lookups, read from the server properties with the prefix {@code psi.}
 * ({@code psi.bucketBits=16}). Immutable.
 *
 * @param enabled serve the {@code /v1/psi/*} routes (404 when false)
 * @param bucketBits bits of SHA-256(input) that name a bucket, 0..32
 * @param bucketSize values per bucket in every answer; raised to the largest bucket when needed
 * @param maxQueries queries per {@code POST /v1/psi/lookup}
 * @param keyOverlapSeconds how long the previous OPRF key is still served after a rotation
 * @param threads threads evaluating lookups (0: one per core)
 */
public record PsiSettings(boolean enabled, int bucketBits, int bucketSize, int maxQueries,
    long keyOverlapSeconds, int threads) {

  public PsiSettings {
    PsiInput.checkBucketBits(bucketBits);
    if (bucketSize < 1 || bucketSize > 1 << 20) {
      throw new IllegalArgumentException("psi.bucketSize must be 1..1048576, got " + bucketSize);
    }
    if (maxQueries < 1 || maxQueries > 100_000) {
      throw new IllegalArgumentException("psi.maxQueries must be 1..100000, got " + maxQueries);
    }
    if (keyOverlapSeconds < 0) {
      throw new IllegalArgumentException("psi.keyOverlapSeconds must be >= 0");
    }
    if (threads < 0 || threads > 256) {
      throw new IllegalArgumentException("psi.threads must be 0..256, got " + threads);
    }
  }

  public static PsiSettings defaults() {
    return new PsiSettings(true, 16, 512, 1000, 86_400, 0);
  }

  /** Applies one {@code psi.*} property (name without the prefix); unknown names throw. */
  public PsiSettings with(String name, String value) {
    try {
      return switch (name) {
        case "enabled" -> new PsiSettings(parseBoolean(name, value), bucketBits, bucketSize,
            maxQueries, keyOverlapSeconds, threads);
        case "bucketBits" -> new PsiSettings(enabled, Integer.parseInt(value), bucketSize,
            maxQueries, keyOverlapSeconds, threads);
        case "bucketSize" -> new PsiSettings(enabled, bucketBits, Integer.parseInt(value),
            maxQueries, keyOverlapSeconds, threads);
        case "maxQueries" -> new PsiSettings(enabled, bucketBits, bucketSize,
            Integer.parseInt(value), keyOverlapSeconds, threads);
        case "keyOverlapSeconds" -> new PsiSettings(enabled, bucketBits, bucketSize, maxQueries,
            Long.parseLong(value), threads);
        case "threads" -> new PsiSettings(enabled, bucketBits, bucketSize, maxQueries,
            keyOverlapSeconds, Integer.parseInt(value));
        default -> throw new IllegalArgumentException("unknown setting 'psi." + name + "'");
      };
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("setting psi." + name + ": not a number: '" + value + "'",
          e);
    }
  }

  /** Lookup threads actually used. */
  public int effectiveThreads() {
    return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
  }

  private static boolean parseBoolean(String name, String v) {
    if (v.equalsIgnoreCase("true")) {
      return true;
    }
    if (v.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException("setting psi." + name + ": not true or false: '" + v + "'");
  }
}
