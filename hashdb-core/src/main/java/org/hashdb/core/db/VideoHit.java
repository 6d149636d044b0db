package org.hashdb.core.db;

import org.hashdb.core.video.VpdqComparison;
import org.hashdb.core.video.VpdqRule;

/**
 * A stored video that matched a video query.
 *
 * @param entry the stored video entry (type vpdq, distance 0)
 * @param counts matched frames both ways: query frames found in the video, and the video's frames
 *     found in the query
 * @param rule the rule that matched: {@link VpdqRule#VPDQ} (Meta's) or {@link VpdqRule#EXCERPT}
 */
public record VideoHit(Hit entry, VpdqComparison counts, VpdqRule rule) {
  /** Percentage of the query's frames found in the stored video. */
  public double queryPercent() {
    return counts.queryPercent();
  }

  /** Percentage of the stored video's frames found in the query. */
  public double storedPercent() {
    return counts.storedPercent();
  }
}
