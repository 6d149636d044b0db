package org.hashdb.server.psi;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.hashdb.core.Accountable;
import org.hashdb.core.hash.HashType;

/**
 * The PRF outputs under one OPRF key, grouped by bucket: per bucket a byte array of fixed-size
 * records {@code type ordinal (1) | raw hash, zero-padded (32) | Evaluate output (32)}, one per
 * distinct (type, hash). Single writer (the precomputer), any number of readers: a bucket's
 * array is replaced, never modified, so a reader always sees a complete one. Whether a record's
 * hash is still live, and on which lists, is asked of the database at lookup time.
 */
final class PrfTable implements Accountable {
  static final int RAW = 32;
  static final int OUT = 32;
  static final int RECORD = 1 + RAW + OUT;
  private static final byte[] EMPTY = new byte[0];

  private final int bucketBits;
  private final ConcurrentHashMap<Long, byte[]> buckets = new ConcurrentHashMap<>();
  private final AtomicLong records = new AtomicLong();
  private volatile int largestBucket; // in records

  PrfTable(int bucketBits) {
    this.bucketBits = bucketBits;
  }

  int bucketBits() {
    return bucketBits;
  }

  /** The records of a bucket (never null; do not modify). */
  byte[] bucket(long bucket) {
    byte[] b = buckets.get(bucket);
    return b == null ? EMPTY : b;
  }

  /** True when (type, raw) already has a record in {@code bucket}. */
  boolean contains(long bucket, HashType type, byte[] raw) {
    return indexOf(bucket(bucket), type, raw) >= 0;
  }

  private static int indexOf(byte[] recs, HashType type, byte[] raw) {
    for (int off = 0; off < recs.length; off += RECORD) {
      if (recs[off] == type.ordinal() && java.util.Arrays.equals(recs, off + 1,
          off + 1 + raw.length, raw, 0, raw.length)) {
        return off;
      }
    }
    return -1;
  }

  /** Adds a record; the caller checked {@link #contains} (single writer). */
  void add(long bucket, HashType type, byte[] raw, byte[] output) {
    byte[] old = bucket(bucket);
    byte[] recs = java.util.Arrays.copyOf(old, old.length + RECORD);
    int off = old.length;
    recs[off] = (byte) type.ordinal();
    System.arraycopy(raw, 0, recs, off + 1, raw.length);
    System.arraycopy(output, 0, recs, off + 1 + RAW, OUT);
    buckets.put(bucket, recs);
    records.incrementAndGet();
    int n = recs.length / RECORD;
    if (n > largestBucket) {
      largestBucket = n;
    }
  }

  /** Replaces a bucket's records (compaction; single writer). */
  void replace(long bucket, byte[] recs) {
    byte[] old = recs.length == 0 ? buckets.remove(bucket) : buckets.put(bucket, recs);
    records.addAndGet((recs.length - (old == null ? 0 : old.length)) / RECORD);
  }

  Iterable<java.util.Map.Entry<Long, byte[]>> entries() {
    return buckets.entrySet();
  }

  long size() {
    return records.get();
  }

  int bucketCount() {
    return buckets.size();
  }

  /** Largest bucket ever held (not lowered by removals: the padded size must not shrink). */
  int largestBucket() {
    return largestBucket;
  }

  @Override
  public long ramBytesUsed() {
    // per bucket: the array (16 header) + map node, key and table slot (about 80)
    return records.get() * RECORD + buckets.size() * 96L;
  }

  static HashType type(byte[] recs, int off) {
    return HashType.ofOrdinal(recs[off]);
  }
}
