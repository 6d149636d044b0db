package org.hashdb.core.db;

import java.util.Map;
import java.util.TreeMap;

/**
 * Digests of past sequences, so that the change feed can continue the chain from any {@code
 * since} a follower asks for: the last {@link #RECENT} exactly (followers near the head), and one
 * every {@link #SPARSE_EVERY} sequences further back (the feed recomputes at most that many
 * records forward from one). Nothing is known before {@link #floor()}, the sequence the database
 * was loaded at. Writer-updated under the database's writer lock; read under this object's lock.
 */
final class DigestHistory {
  static final int RECENT = 4096;
  static final int SPARSE_EVERY = 64;

  private final byte[] ring = new byte[RECENT * StateDigest.BYTES];
  private final TreeMap<Long, byte[]> sparse = new TreeMap<>();
  private long floor;
  private long last;

  DigestHistory(long sequence, byte[] digest) {
    reset(sequence, digest);
  }

  synchronized void reset(long sequence, byte[] digest) {
    sparse.clear();
    floor = sequence;
    last = sequence;
    System.arraycopy(digest, 0, ring, slot(sequence), StateDigest.BYTES);
    sparse.put(sequence, digest.clone());
  }

  synchronized void record(long sequence, byte[] digest) {
    last = sequence;
    System.arraycopy(digest, 0, ring, slot(sequence), StateDigest.BYTES);
    if (sequence % SPARSE_EVERY == 0) {
      sparse.put(sequence, digest.clone());
    }
  }

  /** Forgets sparse digests before {@code sequence} (the log no longer reaches them). */
  synchronized void forgetBefore(long sequence) {
    if (sequence > floor) {
      Map.Entry<Long, byte[]> keep = sparse.floorEntry(sequence);
      sparse.headMap(keep == null ? sequence : keep.getKey(), false).clear();
      floor = keep == null ? sequence : keep.getKey();
    }
  }

  synchronized long floor() {
    return floor;
  }

  /** The digest at {@code sequence} when held exactly, else null. */
  synchronized byte[] exact(long sequence) {
    if (sequence > last || sequence < floor) {
      return null;
    }
    if (last - sequence < RECENT) {
      byte[] d = new byte[StateDigest.BYTES];
      System.arraycopy(ring, slot(sequence), d, 0, StateDigest.BYTES);
      return d;
    }
    byte[] d = sparse.get(sequence);
    return d == null ? null : d.clone();
  }

  /** The newest held digest at or before {@code sequence} (not before the floor), or null. */
  synchronized Map.Entry<Long, byte[]> before(long sequence) {
    if (sequence < floor) {
      return null;
    }
    Map.Entry<Long, byte[]> e = sparse.floorEntry(sequence);
    return e == null ? null : Map.entry(e.getKey(), e.getValue().clone());
  }

  private static int slot(long sequence) {
    return (int) Math.floorMod(sequence, (long) RECENT) * StateDigest.BYTES;
  }
}
