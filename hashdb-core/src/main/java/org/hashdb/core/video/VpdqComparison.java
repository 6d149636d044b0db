package org.hashdb.core.video;

import org.hashdb.core.pdq.PdqBits;

/**
 * The matched-frame counts of one query against one stored video, and the brute-force computation
 * of them (every query frame against every stored frame): the reference the indexed search must
 * equal, and the matcher for two single videos.
 *
 * @param queryMatched query frames with some stored frame within the distance
 * @param queryFrames query frames (distinct, of sufficient quality)
 * @param storedMatched stored frames with some query frame within the distance
 * @param storedFrames stored frames (distinct, of sufficient quality)
 */
public record VpdqComparison(int queryMatched, int queryFrames, int storedMatched, int storedFrames) {

  /** Percentage of query frames matched, 0..100 (0 for an empty query). */
  public double queryPercent() {
    return queryFrames == 0 ? 0 : 100.0 * queryMatched / queryFrames;
  }

  /** Percentage of stored frames matched, 0..100. */
  public double storedPercent() {
    return storedFrames == 0 ? 0 : 100.0 * storedMatched / storedFrames;
  }

  /** The rule this pair satisfies under {@code options}, or null. */
  public VpdqRule rule(VpdqMatchOptions options) {
    return options.rule(queryMatched, queryFrames, storedMatched, storedFrames);
  }

  /**
   * Brute force over two canonical frame sets (packed 32-byte hashes, see {@link VpdqFrames}).
   * O(query x stored).
   */
  public static VpdqComparison bruteForce(byte[] query, byte[] stored, int maxDistance) {
    int nq = query.length / 32;
    int ns = stored.length / 32;
    boolean[] storedHit = new boolean[ns];
    int queryMatched = 0;
    for (int i = 0; i < nq; i++) {
      boolean hit = false;
      for (int j = 0; j < ns; j++) {
        if (PdqBits.distance(query, i * 32, stored, j * 32) <= maxDistance) {
          hit = true;
          storedHit[j] = true;
        }
      }
      if (hit) {
        queryMatched++;
      }
    }
    int storedMatched = 0;
    for (boolean b : storedHit) {
      storedMatched += b ? 1 : 0;
    }
    return new VpdqComparison(queryMatched, nq, storedMatched, ns);
  }
}
