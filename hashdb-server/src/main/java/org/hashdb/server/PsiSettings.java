package org.hashdb.server;

import org.hashdb.core.psi.PsiInput;

/**
 * Settings of private lookups: the typed view of the {@code psi.*} settings declared in
 * {@link ServerConfig} ({@code psi.bucketBits=16} in a properties file). Immutable.
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

  /** The defaults of the {@code psi.*} settings declared in {@link ServerConfig}. */
  public static PsiSettings defaults() {
    return ServerConfig.defaults().psi();
  }

  /** Lookup threads actually used. */
  public int effectiveThreads() {
    return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
  }
}
