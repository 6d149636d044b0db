package org.hashdb.core.db;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.pdq.PdqHits;
import org.hashdb.core.video.VpdqComparison;
import org.hashdb.core.video.VpdqFrames;
import org.hashdb.core.video.VpdqMatchOptions;
import org.hashdb.core.video.VpdqRule;
import org.roaringbitmap.RoaringBitmap;

/** {@link HashDatabase#searchVideo}: candidates from the frame index, then vPDQ's rules. */
final class VideoSearch {
  private VideoSearch() {}

  static List<VideoHit> search(HashDatabase db, State s, byte[] queryFrames,
      VpdqMatchOptions options, ListFilter filter, PdqHits hits) {
    if (queryFrames.length % 32 != 0 || !VpdqFrames.isCanonical(queryFrames)) {
      throw new IllegalArgumentException("query frames must be distinct sorted 32-byte PDQ hashes");
    }
    int nq = queryFrames.length / 32;
    boolean[] visibleLists = filter.resolve(s.lists());
    int t = HashType.VPDQ.ordinal();
    TypeStore ts = db.store(HashType.VPDQ);
    VideoFrames vf = ts.video();
    Map<Integer, VideoCandidate> candidates = new HashMap<>();
    for (int i = 0; i < nq; i++) {
      vf.index.search(queryFrames, i * 32, options.maxDistance(), f -> {
        int v = vf.videoOf.get(f);
        return s.isLive(t, v) && visibleLists[ts.listIds.get(v)];
      }, hits);
      for (int h = 0; h < hits.size(); h++) {
        int f = hits.ordinal(h);
        VideoCandidate c = candidates.computeIfAbsent(vf.videoOf.get(f), v -> new VideoCandidate());
        if (c.lastQuery != i) {
          c.lastQuery = i;
          c.queryMatched++;
        }
        c.storedHits.add(f);
      }
    }
    List<VideoHit> out = new ArrayList<>();
    for (Map.Entry<Integer, VideoCandidate> e : candidates.entrySet()) {
      int v = e.getKey();
      VpdqComparison counts = new VpdqComparison(e.getValue().queryMatched, nq,
          e.getValue().storedHits.getCardinality(), vf.frameCount.get(v));
      VpdqRule rule = counts.rule(options);
      if (rule != null) {
        out.add(new VideoHit(db.match(s, ts, v, 0), counts, rule));
      }
    }
    out.sort(Comparator.comparingDouble((VideoHit m) -> -m.storedPercent())
        .thenComparingDouble(m -> -m.queryPercent())
        .thenComparing((a, b) -> Integer.compareUnsigned(a.entry().entryId(), b.entry().entryId())));
    return out;
  }

  /** Per-query candidate of {@link #search}. */
  private static final class VideoCandidate {
    int lastQuery = -1;
    int queryMatched;
    final RoaringBitmap storedHits = new RoaringBitmap();
  }
}
