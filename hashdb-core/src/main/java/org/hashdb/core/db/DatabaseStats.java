package org.hashdb.core.db;

import java.time.Instant;
import java.util.Map;
import org.hashdb.core.hash.HashType;

/**
 * A point-in-time summary of a database.
 *
 * @param sequence last applied change
 * @param types per hash type: counts and memory
 * @param lists live entries per list name
 * @param lastSnapshot when the newest snapshot was written, or null if none
 * @param logBytes size of the write-ahead log not yet folded into a snapshot
 */
public record DatabaseStats(
    long sequence,
    Map<HashType, TypeStats> types,
    Map<String, Long> lists,
    Instant lastSnapshot,
    long logBytes) {

  /** Live entries over all types. */
  public long liveEntries() {
    long n = 0;
    for (TypeStats t : types.values()) {
      n += t.live();
    }
    return n;
  }

  /**
   * Counts and memory of one hash type.
   *
   * @param live entries not removed
   * @param stored entries held in memory, removed ones included until the next compaction
   * @param indexBytes bytes of the value index (values, hash table, postings)
   * @param metadataBytes bytes of the per-entry columns (list, category, source, time)
   * @param frames for vpdq: video frames stored (their index is part of indexBytes); else 0
   */
  public record TypeStats(long live, long stored, long indexBytes, long metadataBytes, long frames) {
    public TypeStats(long live, long stored, long indexBytes, long metadataBytes) {
      this(live, stored, indexBytes, metadataBytes, 0);
    }

    /** For vpdq: index bytes (frame index, frame-to-video column, value table) per stored frame. */
    public double indexBytesPerFrame() {
      return frames == 0 ? 0 : (double) indexBytes / frames;
    }

    /** Index bytes per stored entry, 0 when empty. */
    public double indexBytesPerEntry() {
      return stored == 0 ? 0 : (double) indexBytes / stored;
    }
  }
}
