package org.hashdb.server.audit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.db.Hit;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.db.Hit;

/**
 * What one request matched, for its single audit record: how many queried hashes matched, how
 * many entries they matched per list and category, and a SHA-256 digest of the matched hashes.
 * A bulk request repeating one matching hash a million times is one record, not a million.
 *
 * <p>The digest is SHA-256 over one line {@code <type>:<lowercase hex>\n} per matched queried
 * hash, in request order (repeats included), so an auditor holding the request can recompute it
 * with {@code sha256sum}. At most {@link #MAX_GROUPS} list/category pairs are itemised; matches
 * beyond them are counted in {@link #otherMatches()}.
 *
 * <p>Not thread-safe: one per thread, {@link #reset()} before each request. A request without
 * a match costs one branch.
 */
public final class MatchSummary {
  /** List/category pairs itemised in one record at most; the rest are only counted. */
  public static final int MAX_GROUPS = 256;

  private static final int LINE_MAX = 8 + 2 * HashType.MAX_BYTES + 2;

  private final MessageDigest sha256;
  // digest input collected here and hashed in blocks: one update() call per line would cost
  // more than the hashing (a bulk request may match a million times)
  private final byte[] pending = new byte[16 * 1024];
  private int pendingBytes;
  // list -> category -> count, in order of first match
  private final Map<String, Map<String, long[]>> groups = new LinkedHashMap<>();
  private int groupCount;
  private long hashes;
  private long matches;
  private long otherMatches;

  public MatchSummary() {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("SHA-256 is required by the JDK", e);
    }
  }

  /** Forgets the previous request. */
  public void reset() {
    if (hashes == 0) {
      return;
    }
    groups.clear();
    groupCount = 0;
    hashes = 0;
    matches = 0;
    otherMatches = 0;
    pendingBytes = 0;
    sha256.reset();
  }

  /**
   * Adds one queried hash, {@code value[off, off + type.byteLength())}, and the entries it
   * matched; nothing when {@code found} is empty.
   */
  public void add(HashType type, byte[] value, int off, List<Hit> found) {
    if (found.isEmpty()) {
      return;
    }
    hashes++;
    digest(type, value, off);
    for (int i = 0; i < found.size(); i++) {
      Hit m = found.get(i);
      matches++;
      Map<String, long[]> byCategory = groups.get(m.list());
      long[] count = byCategory == null ? null : byCategory.get(m.category());
      if (count == null) {
        if (groupCount >= MAX_GROUPS) {
          otherMatches++;
          continue;
        }
        groupCount++;
        count = new long[1];
        groups.computeIfAbsent(m.list(), l -> new LinkedHashMap<>()).put(m.category(), count);
      }
      count[0]++;
    }
  }

  private void digest(HashType type, byte[] value, int off) {
    if (pendingBytes > pending.length - LINE_MAX) {
      sha256.update(pending, 0, pendingBytes);
      pendingBytes = 0;
    }
    byte[] line = pending;
    int n = pendingBytes;
    String name = type.apiName();
    for (int i = 0; i < name.length(); i++) {
      line[n++] = (byte) name.charAt(i);
    }
    line[n++] = ':';
    n = Hex.encodeAscii(value, off, type.byteLength(), line, n);
    line[n++] = '\n';
    pendingBytes = n;
  }

  /** True when nothing matched since {@link #reset()}. */
  public boolean isEmpty() {
    return hashes == 0;
  }

  /** Queried hashes that matched at least one entry. */
  public long hashes() {
    return hashes;
  }

  /** Entries matched, over all queried hashes. */
  public long matches() {
    return matches;
  }

  /** Matches on list/category pairs beyond {@link #MAX_GROUPS}. */
  public long otherMatches() {
    return otherMatches;
  }

  /** Matches per list, then per category, in order of first match. */
  Map<String, Map<String, long[]>> groups() {
    return groups;
  }

  /** The digest, lowercase hex; ends this summary's digest (call once per request). */
  String digestHex() {
    sha256.update(pending, 0, pendingBytes);
    pendingBytes = 0;
    return Hex.encode(sha256.digest());
  }
}
