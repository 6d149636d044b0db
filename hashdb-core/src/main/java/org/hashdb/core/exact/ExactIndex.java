package org.hashdb.core.exact;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.hashdb.core.Accountable;

/**
 * Append-only multimap from fixed-length keys (hash values) to dense ordinals 0..size()-1.
 *
 * <p>Layout, no object per entry:
 *
 * <ul>
 *   <li><b>keys</b>: stored densely by ordinal in {@code byte[]} pages of {@value #PAGE_SIZE}
 *       keys; growth allocates a new page and never copies keys (only page 0, while the index is
 *       small, grows by doubling);
 *   <li><b>chain</b>: {@code int[]} pages parallel to the key pages; {@code chain[o]} is the next
 *       older ordinal with the same key, or -1;
 *   <li><b>slot table</b>: one {@code int[]} of 2^bits slots, open addressing, linear probing,
 *       load (ordinals / slots) at most 0.75. A slot holds the newest ordinal of one distinct key,
 *       see {@link Table} for the packing. A miss usually costs one cache miss (the slot line), a
 *       hit two (slot line, key line).
 * </ul>
 *
 * <p>Memory per entry is {@code keyBytes + 4 + 4 * capacity / size} plus at most one page of
 * slack: at 10M entries (2^24 slots, load 0.6) that is keyBytes + 10.7 bytes, i.e. 42.7 B for
 * SHA-256, 30.7 B for SHA-1 and 26.7 B for MD5, within 1.5x of the raw key + 4-byte id. Just
 * after the table doubles (load 0.375) it peaks at keyBytes + 14.7 bytes (so for MD5 the 1.5x
 * bound of 30 B holds from load 0.4 up), and while it doubles the old and the new table coexist.
 *
 * <p>Slot hash: all key bytes are mixed with a per-instance seed, so sequential synthetic keys
 * (a counter in any 8-byte lane) spread as well as real hash values.
 *
 * <p>Concurrency: one writer thread calls {@link #append}, {@link #appendAll}, {@link
 * #appendAllBulk} and {@link #ensureCapacity}; any number of readers call {@link #find}, {@link
 * #findBatch}, {@link #nextSameKey}, {@link #copyKey}, {@link #copyKeys} and {@link #size}
 * concurrently, without locks. The writer writes an ordinal's key and chain link
 * before it publishes the slot with a release store; readers load slots with acquire, so a reader
 * that sees an ordinal sees its key and chain. Every ordinal below {@link #size()} is found by
 * {@link #find}; an ordinal being appended may be found slightly before {@code size()} counts
 * it. When the table must grow, the writer builds the doubled table on the side while readers
 * keep probing the old one, then publishes it with one volatile write.
 */
public final class ExactIndex implements Accountable {
  /** Most ordinals one index holds (the slot packing needs ordinal + 1 below 2^29). */
  public static final int MAX_SIZE = 1 << 28;

  /** Smallest key length in bytes (one 8-byte lane). */
  public static final int MIN_KEY_BYTES = 8;

  /** Largest key length in bytes (SHA-256). */
  public static final int MAX_KEY_BYTES = 32;

  /**
   * 2^13 keys per page: at most 256 KB, so a page is never a G1 humongous object (those start at
   * half a region, at least 512 KB) and wastes no region tail.
   */
  static final int PAGE_SHIFT = 13;
  static final int PAGE_SIZE = 1 << PAGE_SHIFT;
  private static final int PAGE_MASK = PAGE_SIZE - 1;
  private static final int MIN_PAGE = 16;
  private static final int MIN_TABLE_BITS = 4;
  private static final int MAX_TABLE_BITS = 29;

  /** Smallest batch {@link #appendAllBulk} sorts; smaller ones go through {@link #appendAll}. */
  static final int BULK_MIN = 1 << 12;

  /** Keys per pass of {@link #findBatch}: enough independent misses in flight, all in L1. */
  private static final int BLOCK = 64;

  private static final long ARRAY_HEADER = 16;
  private static final long REF_BYTES = 4; // compressed oops (heaps below 32 GB)
  private static final long SHALLOW_BYTES = 64; // this object's header and fields, rounded up
  private static final long TABLE_SHALLOW_BYTES = 32;

  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(int[].class);
  private static final VarHandle SIZE;
  private static final VarHandle RESERVED;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      SIZE = l.findVarHandle(ExactIndex.class, "size", int.class);
      RESERVED = l.findVarHandle(ExactIndex.class, "reserved", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final int keyBytes; // 8..32
  private final long seed; // per instance, mixed into every slot hash
  // Page directories: page p holds ordinals p * PAGE_SIZE ..; replaced by a longer copy when full.
  private volatile byte[][] keyPages = new byte[4][];
  private volatile int[][] chainPages = new int[4][]; // parallel to keyPages
  private volatile Table table; // replaced (never mutated in place by growth) when it doubles
  private volatile int reserved; // ordinals whose key and chain link are written
  private volatile int size; // ordinals published in the table; size <= reserved
  private final long[] writerHashes = new long[BLOCK]; // writer scratch for bulk inserts
  private final int[] writerTouch = new int[BLOCK]; // writer scratch: keeps the prefetch loads live

  /**
   * The slot table. Slot value 0 is empty; otherwise {@code (fingerprint << bits) | (ordinal +
   * 1)} where the fingerprint is the low {@code 32 - bits} bits of the key's hash and the home
   * slot its top {@code bits} bits, so the two are independent. ordinal + 1 fits in {@code bits}
   * bits because a table indexes at most 0.75 * 2^bits ordinals. At 2^24 slots the fingerprint
   * has 8 bits: a probe past a foreign slot reads that slot's key with probability 1/256.
   */
  private static final class Table {
    final int[] slots; // written by the writer only, with release stores once published
    final int bits; // log2(capacity), also the ordinal field width of a slot
    final int shift; // 64 - bits: home slot = hash >>> shift
    final int mask; // capacity - 1, also the ordinal field mask of a slot
    final int maxSize; // ordinals this table may index, load <= 0.75

    Table(int bits) {
      assert bits >= MIN_TABLE_BITS && bits <= MAX_TABLE_BITS : bits;
      this.slots = new int[1 << bits];
      this.bits = bits;
      this.shift = 64 - bits;
      this.mask = (1 << bits) - 1;
      this.maxSize = (int) Math.min(MAX_SIZE, (3L << bits) >>> 2);
    }

    int home(long hash) {
      return (int) (hash >>> shift);
    }

    int tag(long hash) {
      return ((int) hash) << bits;
    }
  }

  /** An empty index for keys of {@code keyBytes} bytes (8..32). */
  public ExactIndex(int keyBytes) {
    this(keyBytes, 0);
  }

  /** An empty index whose table is sized for {@code expectedSize} (0..{@link #MAX_SIZE}) keys. */
  public ExactIndex(int keyBytes, int expectedSize) {
    this(keyBytes, expectedSize, ThreadLocalRandom.current().nextLong());
  }

  /** Fixed seed, for reproducible tests. */
  ExactIndex(int keyBytes, int expectedSize, long seed) {
    if (keyBytes < MIN_KEY_BYTES || keyBytes > MAX_KEY_BYTES) {
      throw new IllegalArgumentException(
          "keyBytes must be in " + MIN_KEY_BYTES + ".." + MAX_KEY_BYTES + ", got " + keyBytes);
    }
    if (expectedSize < 0 || expectedSize > MAX_SIZE) {
      throw new IllegalArgumentException(
          "expectedSize must be in 0.." + MAX_SIZE + ", got " + expectedSize);
    }
    this.keyBytes = keyBytes;
    this.seed = seed;
    this.table = new Table(bitsFor(expectedSize));
  }

  public int keyBytes() {
    return keyBytes;
  }

  /** Ordinals every {@link #find} sees. Lock-free. */
  public int size() {
    return size;
  }

  // ---------------------------------------------------------------- reads

  /**
   * The newest ordinal whose key equals {@code key[off..off+keyBytes)}, or -1. Lock-free; sees
   * every append that returned before the call.
   */
  public int find(byte[] key, int off) {
    Objects.checkFromIndexSize(off, keyBytes, key.length);
    Table t = table;
    long h = hash(key, off);
    return probe(t, key, off, t.home(h), t.tag(h));
  }

  /**
   * {@code out[i] = find(keys, off + i * keyBytes())} for i in 0..count-1, with the cache misses
   * of independent keys overlapped. The CPU can only keep as many misses in flight as fit in its
   * reorder window, so blocks of keys go through short passes: the passes that miss memory
   * ({@link #loadSlots}, {@link #loadKeys}) do a few instructions per key and branch on nothing
   * they load; the passes that branch ({@link #resolveSlots}, {@link #verifyKeys}) read what is
   * already cached. The passes are pipelined over blocks: the key loads of one block are in flight
   * together with the slot loads of the next. Lock-free.
   */
  public void findBatch(byte[] keys, int off, int count, int[] out) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + count);
    }
    Objects.checkFromIndexSize((long) off, (long) count * keyBytes, keys.length);
    Objects.checkFromIndexSize(0, count, out.length);
    Table t = table;
    int prev = -1;
    for (int b = 0; b < count; b += BLOCK) {
      int end = Math.min(count, b + BLOCK);
      loadSlots(t, keys, off, b, end, out);
      if (prev >= 0) {
        loadKeys(keys, off, prev, b, out);
      }
      resolveSlots(t, keys, off, b, end, out);
      if (prev >= 0) {
        verifyKeys(keys, off, prev, b, out);
      }
      prev = b;
    }
    if (prev >= 0) {
      loadKeys(keys, off, prev, count, out);
      verifyKeys(keys, off, prev, count, out);
    }
  }

  /** Batch pass 1: {@code out[i]} = the home slot's value; independent loads. */
  private void loadSlots(Table t, byte[] keys, int off, int from, int to, int[] out) {
    int kb = keyBytes;
    for (int i = from, ko = off + from * kb; i < to; i++, ko += kb) {
      out[i] = t.home(hash(keys, ko)); // compute first, so the load loop below stays tiny
    }
    int[] slots = t.slots;
    for (int i = from; i < to; i++) {
      out[i] = (int) SLOT.getAcquire(slots, out[i]);
    }
  }

  /**
   * Batch pass 2: home slot value to candidate ordinal or -1, walking on (in the cached line,
   * usually) past slots of other keys.
   */
  private void resolveSlots(Table t, byte[] keys, int off, int from, int to, int[] out) {
    int kb = keyBytes;
    int mask = t.mask;
    for (int i = from, ko = off + from * kb; i < to; i++, ko += kb) {
      int s = out[i];
      if (s != 0) {
        long h = hash(keys, ko);
        int tag = t.tag(h);
        out[i] =
            (s & ~mask) == tag
                ? (s & mask) - 1
                : firstTagMatch(t.slots, mask, (t.home(h) + 1) & mask, tag);
      } else {
        out[i] = -1;
      }
    }
  }

  /**
   * Batch pass 3: first and last lane of every candidate key, independent loads (a key may
   * straddle two lines); a mismatch marks the candidate (-2) for a full probe.
   */
  private void loadKeys(byte[] keys, int off, int from, int to, int[] out) {
    int kb = keyBytes;
    int last = kb - 8;
    byte[][] kd = keyPages; // read after the acquiring slot loads of these candidates
    for (int i = from, ko = off + from * kb; i < to; i++, ko += kb) {
      int ord = out[i];
      if (ord >= 0) {
        byte[] page = kd[ord >>> PAGE_SHIFT];
        int kp = (ord & PAGE_MASK) * kb;
        long diff =
            ((long) LONG.get(page, kp) ^ (long) LONG.get(keys, ko))
                | ((long) LONG.get(page, kp + last) ^ (long) LONG.get(keys, ko + last));
        out[i] = diff == 0 ? ord : -2;
      }
    }
  }

  /** Batch pass 4: verify candidates in full (cached now); redo fingerprint collisions. */
  private void verifyKeys(byte[] keys, int off, int from, int to, int[] out) {
    int kb = keyBytes;
    for (int i = from, ko = off + from * kb; i < to; i++, ko += kb) {
      int ord = out[i];
      if (ord == -2 || (ord >= 0 && kb > 16 && !keyEquals(ord, keys, ko))) {
        out[i] = find(keys, ko);
      }
    }
  }

  /** The next older ordinal with the same key as {@code ordinal}, or -1. Lock-free. */
  public int nextSameKey(int ordinal) {
    Objects.checkIndex(ordinal, reserved);
    return chainPages[ordinal >>> PAGE_SHIFT][ordinal & PAGE_MASK];
  }

  /** Copies the key of {@code ordinal} to {@code dst[off..off+keyBytes)}. Lock-free. */
  public void copyKey(int ordinal, byte[] dst, int off) {
    Objects.checkIndex(ordinal, reserved);
    Objects.checkFromIndexSize(off, keyBytes, dst.length);
    System.arraycopy(
        keyPages[ordinal >>> PAGE_SHIFT], (ordinal & PAGE_MASK) * keyBytes, dst, off, keyBytes);
  }

  /**
   * Copies the keys of ordinals {@code from..from+count-1} back to back to {@code dst} from
   * {@code off}: one copy per page, for bulk export. Lock-free.
   */
  public void copyKeys(int from, int count, byte[] dst, int off) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + count);
    }
    Objects.checkFromIndexSize(from, count, reserved);
    Objects.checkFromIndexSize((long) off, (long) count * keyBytes, dst.length);
    for (int o = from, end = from + count; o < end; ) {
      int n = Math.min(end - o, PAGE_SIZE - (o & PAGE_MASK));
      System.arraycopy(keyPages[o >>> PAGE_SHIFT], (o & PAGE_MASK) * keyBytes, dst, off, n * keyBytes);
      o += n;
      off += n * keyBytes;
    }
  }

  private int probe(Table t, byte[] key, int off, int pos, int tag) {
    int[] slots = t.slots;
    int mask = t.mask;
    while (true) {
      int s = (int) SLOT.getAcquire(slots, pos);
      if (s == 0) {
        return -1;
      }
      if ((s & ~mask) == tag) {
        int ord = (s & mask) - 1;
        if (keyEquals(ord, key, off)) {
          return ord;
        }
      }
      pos = (pos + 1) & mask;
    }
  }

  /** Ordinal in the first slot from {@code pos} whose fingerprint matches, or -1 at an empty. */
  private static int firstTagMatch(int[] slots, int mask, int pos, int tag) {
    while (true) {
      int s = (int) SLOT.getAcquire(slots, pos);
      if (s == 0) {
        return -1;
      }
      if ((s & ~mask) == tag) {
        return (s & mask) - 1;
      }
      pos = (pos + 1) & mask;
    }
  }

  private boolean keyEquals(int ord, byte[] key, int off) {
    byte[] page = keyPages[ord >>> PAGE_SHIFT];
    int base = (ord & PAGE_MASK) * keyBytes;
    int last = keyBytes - 8; // the last lane may overlap the previous one
    for (int i = 0; i < last; i += 8) {
      if ((long) LONG.get(page, base + i) != (long) LONG.get(key, off + i)) {
        return false;
      }
    }
    return (long) LONG.get(page, base + last) == (long) LONG.get(key, off + last);
  }

  /**
   * Slot hash of a key: every 8-byte lane (the last one overlapping the previous when keyBytes is
   * not a multiple of 8), each multiplied by its own odd constant, summed with the seeded first
   * lane, then one multiply-xorshift round. The lanes are combined in parallel, not in a chain:
   * a short dependency chain per key is what lets the CPU keep many lookups' cache misses in
   * flight (a chained 4-lane hash made the slot-loading passes of findBatch twice as slow). Keys
   * that differ in one lane only (sequential test data) differ in the sum.
   */
  private long hash(byte[] k, int off) {
    int kb = keyBytes;
    long x = (long) LONG.get(k, off) ^ seed;
    if (kb > 8) {
      x += (long) LONG.get(k, off + kb - 8) * 0x9E3779B97F4A7C15L;
      if (kb > 16) {
        x += (long) LONG.get(k, off + 8) * 0xC2B2AE3D27D4EB4FL;
        if (kb > 24) {
          x += (long) LONG.get(k, off + 16) * 0x165667B19E3779F9L;
        }
      }
    }
    x ^= x >>> 32;
    x *= 0xD6E8FEB86659FD93L;
    return x ^ (x >>> 29);
  }

  // ---------------------------------------------------------------- writes (single writer)

  /**
   * Appends a key (duplicates allowed) and returns its ordinal, which is {@code size()} before
   * the call. Writer thread only.
   *
   * @throws IllegalStateException if the index already holds {@link #MAX_SIZE} ordinals
   */
  public int append(byte[] key, int off) {
    Objects.checkFromIndexSize(off, keyBytes, key.length);
    int ord = reserved;
    if (ord == MAX_SIZE) {
      throw new IllegalStateException("index is full: " + MAX_SIZE + " ordinals");
    }
    ensurePages(ord + 1);
    System.arraycopy(key, off, keyPages[ord >>> PAGE_SHIFT], (ord & PAGE_MASK) * keyBytes, keyBytes);
    ensureTable(ord + 1);
    insert(table, ord, hash(keyPages[ord >>> PAGE_SHIFT], (ord & PAGE_MASK) * keyBytes));
    return ord;
  }

  /**
   * Appends {@code count} keys stored back to back in {@code keys} from {@code off}, as {@code
   * count} calls of {@link #append} would, but sizing the table once and overlapping the cache
   * misses of the inserts. Writer thread only.
   *
   * @throws IllegalStateException if the index would exceed {@link #MAX_SIZE} ordinals
   */
  public void appendAll(byte[] keys, int off, int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + count);
    }
    Objects.checkFromIndexSize((long) off, (long) count * keyBytes, keys.length);
    int start = reserved;
    if (count > MAX_SIZE - start) {
      throw new IllegalStateException(
          "index is full: " + start + " + " + count + " ordinals exceed " + MAX_SIZE);
    }
    if (count == 0) {
      return;
    }
    int end = start + count;
    ensurePages(end);
    for (int o = start, src = off; o < end; ) {
      int n = Math.min(end - o, PAGE_SIZE - (o & PAGE_MASK));
      System.arraycopy(keys, src, keyPages[o >>> PAGE_SHIFT], (o & PAGE_MASK) * keyBytes, n * keyBytes);
      o += n;
      src += n * keyBytes;
    }
    ensureTable(end);
    Table t = table;
    byte[][] kd = keyPages;
    long[] hs = writerHashes;
    int[] touch = writerTouch;
    for (int b = start; b < end; b += BLOCK) {
      int n = Math.min(BLOCK, end - b);
      for (int i = 0; i < n; i++) { // hash and touch every home slot first, then insert
        int o = b + i;
        long h = hash(kd[o >>> PAGE_SHIFT], (o & PAGE_MASK) * keyBytes);
        hs[i] = h;
        touch[i] = t.slots[t.home(h)];
      }
      for (int i = 0; i < n; i++) {
        insert(t, b + i, hs[i]);
      }
    }
  }

  /**
   * Grows the slot table now, if needed, so that it indexes {@code expectedSize} ordinals without
   * growing again. A loader that knows the final count calls this before appending: growing by
   * doubling from a small table re-inserts every key once per doubling. Writer thread only.
   *
   * @throws IllegalArgumentException if {@code expectedSize} is not in 0..{@link #MAX_SIZE}
   */
  public void ensureCapacity(int expectedSize) {
    if (expectedSize < 0 || expectedSize > MAX_SIZE) {
      throw new IllegalArgumentException(
          "expectedSize must be in 0.." + MAX_SIZE + ", got " + expectedSize);
    }
    ensureTable(expectedSize);
  }

  /**
   * Appends {@code count} keys as {@link #appendAll} does, faster for large batches (a snapshot
   * load of a million keys at a time): the keys are radix-sorted by home slot and inserted in
   * that order, so the slot table is written front to back (prefetched, one TLB entry per page)
   * rather than at random (a cache and TLB miss per key). Duplicate keys are chained as by {@link #appendAll}. Readers
   * find the new ordinals only once this returns: {@link #size()} moves once, at the end.
   * Writer thread only.
   *
   * @throws IllegalStateException if the index would exceed {@link #MAX_SIZE} ordinals
   */
  public void appendAllBulk(byte[] keys, int off, int count) {
    if (count < BULK_MIN) {
      appendAll(keys, off, count);
      return;
    }
    Objects.checkFromIndexSize((long) off, (long) count * keyBytes, keys.length);
    int start = reserved;
    if (count > MAX_SIZE - start) {
      throw new IllegalStateException(
          "index is full: " + start + " + " + count + " ordinals exceed " + MAX_SIZE);
    }
    int end = start + count;
    ensurePages(end);
    for (int o = start, src = off; o < end; ) {
      int p = o >>> PAGE_SHIFT;
      int at = o & PAGE_MASK;
      int n = Math.min(end - o, PAGE_SIZE - at);
      System.arraycopy(keys, src, keyPages[p], at * keyBytes, n * keyBytes);
      Arrays.fill(chainPages[p], at, at + n, -1); // only duplicates get a link below
      o += n;
      src += n * keyBytes;
    }
    ensureTable(end);
    Table t = table;
    // Sort the batch by home slot: an LSD radix sort (two stable counting passes) of longs that
    // pack the slot bits of the hash (home, then fingerprint) above the batch index. Stable, so
    // the copies of one key (same hash) stay oldest first and chain as appendAll chains them.
    int bits = t.bits;
    int lowBits = bits / 2;
    int lowMask = (1 << lowBits) - 1;
    int highShift = 32 - bits + lowBits; // of the packed slot bits: the high digit of home
    int fpMask = (int) ((1L << (32 - bits)) - 1);
    int[] lowStarts = new int[(1 << lowBits) + 1];
    int[] highStarts = new int[(1 << (bits - lowBits)) + 1];
    long[] packed = new long[count];
    for (int i = 0; i < count; i++) {
      long h = hash(keys, off + i * keyBytes);
      int slotBits = (t.home(h) << (32 - bits)) | ((int) h & fpMask);
      packed[i] = ((long) slotBits << 32) | i;
      lowStarts[((slotBits >>> (32 - bits)) & lowMask) + 1]++;
      highStarts[(slotBits >>> highShift) + 1]++;
    }
    long[] tmp = new long[count];
    for (int r = 1; r < lowStarts.length; r++) {
      lowStarts[r] += lowStarts[r - 1];
    }
    for (int i = 0; i < count; i++) {
      long e = packed[i];
      tmp[lowStarts[((int) (e >>> (64 - bits))) & lowMask]++] = e;
    }
    for (int r = 1; r < highStarts.length; r++) {
      highStarts[r] += highStarts[r - 1];
    }
    for (int i = 0; i < count; i++) {
      long e = tmp[i];
      packed[highStarts[(int) (e >>> (32 + highShift))]++] = e;
    }
    RESERVED.setRelease(this, end); // keys and chain links (-1) readable before any slot is
    int[] slots = t.slots;
    int mask = t.mask;
    for (int j = 0; j < count; j++) {
      long e = packed[j];
      int slotBits = (int) (e >>> 32);
      int ord = start + (int) e;
      int tag = slotBits << bits; // == t.tag(hash)
      int pos = slotBits >>> (32 - bits); // == t.home(hash)
      int s;
      while ((s = slots[pos]) != 0) { // plain read: only this thread writes slots
        if ((s & ~mask) == tag
            && keyEquals((s & mask) - 1, keyPages[ord >>> PAGE_SHIFT], (ord & PAGE_MASK) * keyBytes)) {
          chainPages[ord >>> PAGE_SHIFT][ord & PAGE_MASK] = (s & mask) - 1;
          break;
        }
        pos = (pos + 1) & mask;
      }
      SLOT.setRelease(slots, pos, tag | (ord + 1));
    }
    SIZE.setRelease(this, end);
  }


  /** Inserts ordinal {@code ord}, whose key is already in its page, and publishes it. */
  private void insert(Table t, int ord, long h) {
    assert ord == reserved && ord == size && ord < t.maxSize;
    byte[] page = keyPages[ord >>> PAGE_SHIFT];
    int base = (ord & PAGE_MASK) * keyBytes;
    int[] slots = t.slots;
    int mask = t.mask;
    int tag = t.tag(h);
    int pos = t.home(h);
    int s;
    while ((s = slots[pos]) != 0) { // plain read: only this thread writes slots
      if ((s & ~mask) == tag && keyEquals((s & mask) - 1, page, base)) {
        break;
      }
      pos = (pos + 1) & mask;
    }
    chainPages[ord >>> PAGE_SHIFT][ord & PAGE_MASK] = s == 0 ? -1 : (s & mask) - 1;
    RESERVED.setRelease(this, ord + 1); // key and chain readable before the slot is
    SLOT.setRelease(slots, pos, tag | (ord + 1));
    SIZE.setRelease(this, ord + 1);
  }

  /** Makes pages exist for ordinals below {@code end}. */
  private void ensurePages(int end) {
    int first = reserved == 0 ? 0 : (reserved - 1) >>> PAGE_SHIFT;
    int lastPage = (end - 1) >>> PAGE_SHIFT;
    byte[][] kd = keyPages;
    int[][] cd = chainPages;
    if (lastPage >= kd.length) { // readers of older ordinals may keep using the old directory
      int len = Math.max(lastPage + 1, 2 * kd.length);
      kd = Arrays.copyOf(kd, len);
      cd = Arrays.copyOf(cd, len);
    }
    for (int p = first; p <= lastPage; p++) {
      int[] chain = cd[p];
      int need = p < lastPage ? PAGE_SIZE : ((end - 1) & PAGE_MASK) + 1;
      if (chain != null && chain.length >= need) {
        continue;
      }
      // Only page 0 grows by copying (readers holding the old copy still find what it held);
      // later pages are allocated whole, so keys are never copied once the index is large.
      int len = p > 0 ? PAGE_SIZE : Math.min(PAGE_SIZE, Math.max(MIN_PAGE, ceilPow2(need)));
      if (chain == null) {
        kd[p] = new byte[len * keyBytes];
        cd[p] = new int[len];
      } else {
        kd[p] = Arrays.copyOf(kd[p], len * keyBytes);
        cd[p] = Arrays.copyOf(chain, len);
      }
    }
    if (kd != keyPages) {
      keyPages = kd;
      chainPages = cd;
    }
  }

  /** Grows the table so that it may index {@code needed} ordinals. */
  private void ensureTable(int needed) {
    if (needed > table.maxSize) {
      rebuild(bitsFor(needed));
    }
  }

  /**
   * Builds a table of 2^bits slots from the pages while readers keep using the old one, then
   * publishes it. Only chain heads (newest ordinal per key) enter the table; they are distinct
   * keys, so no key comparisons are needed.
   */
  private void rebuild(int bits) {
    int n = size;
    byte[][] kd = keyPages;
    int[][] cd = chainPages;
    Table t = new Table(bits);
    long[] notHead = new long[(n + 63) >>> 6]; // bit o: a newer ordinal has o's key
    for (int o = 0; o < n; o++) {
      int c = cd[o >>> PAGE_SHIFT][o & PAGE_MASK];
      if (c >= 0) {
        notHead[c >>> 6] |= 1L << c;
      }
    }
    int[] slots = t.slots;
    int mask = t.mask;
    long[] hs = writerHashes;
    int[] touch = writerTouch;
    for (int b = 0; b < n; b += BLOCK) {
      int m = Math.min(BLOCK, n - b);
      for (int i = 0; i < m; i++) {
        int o = b + i;
        long h = hash(kd[o >>> PAGE_SHIFT], (o & PAGE_MASK) * keyBytes);
        hs[i] = h;
        touch[i] = slots[t.home(h)];
      }
      for (int i = 0; i < m; i++) {
        int o = b + i;
        if ((notHead[o >>> 6] & (1L << o)) != 0) {
          continue;
        }
        int pos = t.home(hs[i]);
        while (slots[pos] != 0) {
          pos = (pos + 1) & mask;
        }
        slots[pos] = t.tag(hs[i]) | (o + 1);
      }
    }
    table = t; // volatile: publishes the filled slots
  }

  private static int bitsFor(int ordinals) {
    int bits = MIN_TABLE_BITS;
    while (((3L << bits) >>> 2) < ordinals) {
      bits++;
    }
    assert bits <= MAX_TABLE_BITS;
    return bits;
  }

  private static int ceilPow2(int n) {
    return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
  }

  // ---------------------------------------------------------------- accounting

  /**
   * Bytes of heap held: key and chain pages, page directories, the slot table and scratch
   * (HotSpot layout with compressed oops: 16-byte array headers, 8-byte alignment). A table
   * being rebuilt concurrently is not counted.
   */
  @Override
  public long ramBytesUsed() {
    long bytes = SHALLOW_BYTES + TABLE_SHALLOW_BYTES;
    byte[][] kd = keyPages;
    int[][] cd = chainPages;
    bytes += arrayBytes(REF_BYTES * kd.length) + arrayBytes(REF_BYTES * cd.length);
    bytes += arrayBytes(8L * writerHashes.length) + arrayBytes(4L * writerTouch.length);
    bytes += arrayBytes(4L * table.slots.length);
    for (int p = 0; p < Math.min(kd.length, cd.length); p++) {
      int[] chain = cd[p];
      byte[] keys = kd[p];
      if (chain == null || keys == null) {
        break;
      }
      bytes += arrayBytes(4L * chain.length) + arrayBytes(keys.length);
    }
    return bytes;
  }

  private static long arrayBytes(long payload) {
    return (ARRAY_HEADER + payload + 7) & ~7L;
  }

  /** Slots in the current table (for tests of the memory bound). */
  int tableCapacity() {
    return table.slots.length;
  }

  /**
   * Slots on the probe path of a key whose fingerprint matches but whose key differs (for tests
   * that exercise the fingerprint-collision path of {@link #findBatch}).
   */
  int foreignTagMatches(byte[] key, int off) {
    Table t = table;
    long h = hash(key, off);
    int tag = t.tag(h);
    int matches = 0;
    for (int pos = t.home(h), s; (s = t.slots[pos]) != 0; pos = (pos + 1) & t.mask) {
      if ((s & ~t.mask) == tag && !keyEquals((s & t.mask) - 1, key, off)) {
        matches++;
      }
    }
    return matches;
  }

  /**
   * Mean distance, in slots, of the indexed ordinals from their home slot (for tests that the
   * slot hash spreads structured keys). Not for concurrent use with the writer.
   */
  double meanProbeDistance() {
    Table t = table;
    long total = 0;
    long used = 0;
    for (int pos = 0; pos < t.slots.length; pos++) {
      int s = t.slots[pos];
      if (s != 0) {
        int ord = (s & t.mask) - 1;
        int home = t.home(hash(keyPages[ord >>> PAGE_SHIFT], (ord & PAGE_MASK) * keyBytes));
        total += (pos - home) & t.mask;
        used++;
      }
    }
    return used == 0 ? 0 : (double) total / used;
  }
}
