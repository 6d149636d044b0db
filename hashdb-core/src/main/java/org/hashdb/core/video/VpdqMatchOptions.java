package org.hashdb.core.video;

import org.hashdb.core.pdq.PdqIndex;

/**
 * Thresholds of the vPDQ comparison. A stored video matches a query when either rule holds:
 *
 * <ul>
 *   <li><b>vpdq</b> (Meta's rule): at least {@code storedPercent} % of the stored video's frames have a
 *       query frame within {@code maxDistance}, and at least {@code queryPercent} % of the query's
 *       frames have a stored frame within it;
 *   <li><b>excerpt</b> (when {@code excerpt} is on): at least {@code excerptQueryPercent} % of the
 *       query's frames are found in the stored video: a clip of known material is known material.
 * </ul>
 *
 * Frames of quality below {@code minQuality} are dropped and repeated hashes counted once before
 * the fractions are taken.
 */
public record VpdqMatchOptions(int maxDistance, int minQuality, double storedPercent,
    double queryPercent, boolean excerpt, double excerptQueryPercent) {
  public static final int DEFAULT_MAX_DISTANCE = PdqIndex.DEFAULT_MAX_DISTANCE;
  public static final double DEFAULT_STORED_PERCENT = 80;
  public static final double DEFAULT_QUERY_PERCENT = 0;
  public static final double DEFAULT_EXCERPT_QUERY_PERCENT = 80;

  public VpdqMatchOptions {
    if (maxDistance < 0 || maxDistance > 256) {
      throw new IllegalArgumentException("maxDistance must be in 0..256, got " + maxDistance);
    }
    if (minQuality < 0 || minQuality > 100) {
      throw new IllegalArgumentException("minQuality must be in 0..100, got " + minQuality);
    }
    checkPercent("storedPercent", storedPercent);
    checkPercent("queryPercent", queryPercent);
    checkPercent("excerptQueryPercent", excerptQueryPercent);
  }

  private static void checkPercent(String name, double p) {
    if (!(p >= 0 && p <= 100)) {
      throw new IllegalArgumentException(name + " must be in 0..100, got " + p);
    }
  }

  /** Meta's defaults (D 31, quality 50, 80 % of the stored video, 0 % of the query) plus the excerpt rule at 80 %. */
  public static VpdqMatchOptions defaults() {
    return new VpdqMatchOptions(DEFAULT_MAX_DISTANCE, VpdqFrames.DEFAULT_MIN_QUALITY,
        DEFAULT_STORED_PERCENT, DEFAULT_QUERY_PERCENT, true, DEFAULT_EXCERPT_QUERY_PERCENT);
  }

  /** Which rule a pair satisfies, from its matched counts: VPDQ first, then EXCERPT, else null. */
  public VpdqRule rule(int queryMatched, int queryFrames, int storedMatched, int storedFrames) {
    if (queryFrames == 0 || storedFrames == 0) {
      return null;
    }
    // Compare counts, not rounded percentages: matched/total >= p/100 <=> 100*matched >= p*total.
    boolean stored = 100.0 * storedMatched >= storedPercent * storedFrames;
    boolean query = 100.0 * queryMatched >= queryPercent * queryFrames;
    if (stored && query && storedMatched > 0) {
      return VpdqRule.VPDQ;
    }
    if (excerpt && queryMatched > 0 && 100.0 * queryMatched >= excerptQueryPercent * queryFrames) {
      return VpdqRule.EXCERPT;
    }
    return null;
  }
}
