package org.hashdb.client;

import java.util.Objects;

/**
 * A stored video that matched a video lookup ({@link HashLookup#lookupVideo}).
 *
 * @param entry opaque entry reference of the stored video
 * @param list list the video is on
 * @param category its category ("" when none)
 * @param queryPercent percentage of the query's frames found in the stored video (0..100)
 * @param storedPercent percentage of the stored video's frames found in the query (0..100)
 * @param rule {@code vpdq} (Meta's rule: enough of the stored video is in the query) or {@code
 *     excerpt} (enough of the query is in the stored video)
 */
public record VideoMatch(String entry, String list, String category, double queryPercent,
    double storedPercent, String rule) {
  public VideoMatch {
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(list, "list");
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(rule, "rule");
  }
}
