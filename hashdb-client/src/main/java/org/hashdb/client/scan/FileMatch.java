package org.hashdb.client.scan;

import org.hashdb.client.Match;
import org.hashdb.client.VideoMatch;
import org.hashdb.core.hash.HashType;

/**
 * One match found by a scan.
 *
 * @param path the file
 * @param size its size in bytes when hashed
 * @param type the hash type that matched
 * @param hash the file's hash of that type, lowercase hex
 * @param match the list entry it matched
 * @param video for type vpdq: the video match with its percentages and rule; else null
 */
public record FileMatch(ReportPath path, long size, HashType type, String hash, Match match, VideoMatch video) {
  /** A match of a file hash (not a video). */
  public FileMatch(ReportPath path, long size, HashType type, String hash, Match match) {
    this(path, size, type, hash, match, null);
  }
}
