package org.hashdb.client;

import java.util.List;
import org.hashdb.core.content.FileHashes;

/**
 * The outcome of hashing content locally and looking its hashes up in one call ({@link
 * HashLookup#checkFile}).
 *
 * @param hashes the hashes computed on this host
 * @param results one result per query of {@link Query#forHashes}, in that order
 * @param video for a video (recognised by its first bytes) when vpdq was requested: its frames and
 *     the stored videos they matched; else null
 */
public record ContentCheck(FileHashes hashes, List<LookupResult> results, VideoCheck video) {
  public ContentCheck {
    results = List.copyOf(results);
  }

  /** A check of content that is not a video. */
  public ContentCheck(FileHashes hashes, List<LookupResult> results) {
    this(hashes, results, null);
  }

  /** True when any hash of the content, or the video, matched. */
  public boolean match() {
    if (video != null && video.match()) {
      return true;
    }
    for (LookupResult r : results) {
      if (r.match()) {
        return true;
      }
    }
    return false;
  }
}
