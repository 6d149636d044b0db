package org.hashdb.core.pdq;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.IntPredicate;
import org.hashdb.core.Accountable;

/**
 * Near-duplicate index of 256-bit PDQ hashes: append-only, ordinals 0..size()-1, duplicates
 * allowed. Removal is the caller's {@code accept} filter.
 *
 * <p>Layout: the hashes, four longs each, in pages ({@link PdqHashPages}); multi-index-hashing
 * postings ({@link MihPostings}: 16 words of 16 bits, one CSR bucket array per word position,
 * about 30 bits per posting: a compressed ordinal plus 12 bits of the neighbouring word that let
 * the search discard most candidates before fetching their hash) cover the prefix
 * {@code 0..base-1}; the tail {@code base..size-1} of recent appends is scanned linearly. When the
 * tail outgrows {@link #tailLimit} the writer rebuilds the postings over everything and publishes
 * them atomically; readers keep using the previous state meanwhile. About 92 bytes per hash at
 * 10M (2.9x the raw 32).
 *
 * <p>Cost of appends: {@link #appendAll} builds once, in the calling thread (use it for snapshot
 * loads and imports). Single appends start a rebuild once the tail reaches {@code min(65536,
 * max(8192, base/64))} hashes, so a rebuild is amortised over at least 8192 appends. That
 * rebuild runs on a background thread (plus up to 3 fork-join workers), because at 10M hashes it
 * takes seconds (11-28 s wall on a shared, loaded 2-core machine, ~4 s CPU) and the appending
 * thread is the database's only writer. Appends go on meanwhile and the tail grows past the
 * limit; the new postings are published when ready. Only a tail of {@value #TAIL_WAIT_FACTOR}x the
 * limit makes an append wait for the build, which bounds the scan a search does. Old and new
 * postings coexist during a rebuild (~0.8 GB extra at 10M).
 *
 * <p>Search plans per call: MIH over the postings plus a linear scan of the tail, or a linear scan
 * of everything when the estimated MIH work (bucket probes and candidates) exceeds the scan's
 * (small sets, large distances). Both give exactly the brute-force result.
 *
 * <p>Concurrency: a single writer thread calls {@link #append} and {@link #appendAll}; any number
 * of readers call {@link #search}, {@link #size} and {@link #copyHash} without locks. Every
 * mutation ends by publishing an immutable {@code State} through a volatile field (release); a
 * reader reads it once (acquire) and sees every append that returned before its call began.
 * Searches allocate nothing: the caller's {@link PdqHits} is the only scratch and is reused.
 */
public final class PdqIndex implements Accountable {
  /**
   * Default match threshold of PDQ, the one place it is written: the server's
   * {@code defaultPdqDistance}, query keys' ceiling, the CLI, the client and vPDQ start from it.
   */
  public static final int DEFAULT_MAX_DISTANCE = 31;
  /**
   * Largest maxDistance a query may ask for anywhere (server setting, key ceilings, CLI, client
   * SDK): beyond it a search mostly returns unrelated images and costs a scan.
   */
  public static final int QUERY_DISTANCE_CEILING = 64;
  /** Largest accepted maxDistance: all 256 bits. */
  public static final int MAX_DISTANCE = 256;

  /** Below this many hashes there are no postings: a scan of 8K hashes takes microseconds. */
  static final int MIN_INDEXED = 8192;
  /** Upper bound of the linearly scanned tail (about 0.1 ms of scanning). */
  static final int MAX_TAIL = 65536;
  /** A tail this many times {@link #tailLimit} makes single appends wait for the rebuild. */
  static final int TAIL_WAIT_FACTOR = 4;
  /** First page capacity, in hashes; pages double up to PdqHashPages.PAGE_HASHES. */
  private static final int FIRST_PAGE_HASHES = 64;
  /**
   * Planner weights, in units of one linearly scanned hash (streamed from memory, ~1.4 ns): a
   * bucket probe (several cache misses), a decoded posting entry, a hash fetch (a random miss).
   * Calibrated on random data (CPU time): at 10M hashes MIH beats the scan up to d ~ 50; the
   * model switches at d = 52 (10M) and d = 35 (100K).
   */
  private static final double PROBE_COST = 64.0;
  private static final double ENTRY_COST = 5.0;
  private static final double FETCH_COST = 30.0;

  /** What a reader sees: hashes 0..hashes.size()-1, postings (or null) over a prefix of them. */
  private static final class State {
    final PdqHashPages hashes;
    final MihPostings postings;

    State(PdqHashPages hashes, MihPostings postings) {
      this.hashes = hashes;
      this.postings = postings;
    }

    int base() {
      return postings == null ? 0 : postings.size;
    }
  }

  /** Fewest hashes worth postings, and the shortest tail that triggers a rebuild. */
  private final int minIndexed;
  private final Executor rebuilder;

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(PdqIndex.class, "state", State.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Rebuilds run on their own daemon thread: rare (every 8K+ appends) and long (seconds). */
  private static final Executor REBUILDER = task -> {
    Thread t = new Thread(task, "hashdb-pdq-rebuild");
    t.setDaemon(true);
    t.start();
  };

  // Replaced by the writer and by a finishing background rebuild, always by compare-and-set.
  private volatile State state = new State(new PdqHashPages(new long[1][], 0), null);

  // Writer-only: the page directory being filled (published pages are never reallocated in place).
  private long[][] pages = new long[1][];
  private int size;
  private CompletableFuture<MihPostings> rebuilding; // writer-only: a background rebuild, or null

  /** An empty index. */
  public PdqIndex() {
    this(MIN_INDEXED);
  }

  /** An empty index that builds postings from {@code minIndexed} hashes on (tests use small values). */
  PdqIndex(int minIndexed) {
    this(minIndexed, REBUILDER);
  }

  /** Tests: background rebuilds run on {@code rebuilder}. */
  PdqIndex(int minIndexed, Executor rebuilder) {
    if (minIndexed < 1) {
      throw new IllegalArgumentException("minIndexed must be >= 1: " + minIndexed);
    }
    this.minIndexed = minIndexed;
    this.rebuilder = Objects.requireNonNull(rebuilder, "rebuilder");
  }

  /**
   * Writer only. Appends a 32-byte hash (big-endian, as in the hex form) and returns its
   * ordinal. May start a background rebuild of the postings (readers are never blocked).
   */
  public int append(byte[] hash, int off) {
    Objects.checkFromIndexSize(off, 32, hash.length);
    int ord = store(hash, off);
    publish(false);
    return ord;
  }

  /**
   * Writer only. Appends {@code count} hashes of 32 bytes stored back to back from {@code off};
   * their ordinals are {@code size()..size()+count-1}. Builds the postings once at the end: use it
   * for snapshot loads and imports.
   */
  public void appendAll(byte[] hashes, int off, int count) {
    checkBulk(hashes, off, count);
    for (int i = 0; i < count; i++) {
      store(hashes, off + 32 * i);
    }
    publish(true);
  }

  /**
   * Writer only. Appends like {@link #appendAll} but builds nothing: the hashes join the linearly
   * scanned tail until {@link #buildIndex}. For loaders that read a large set in chunks: building
   * at every chunk would cost a full build per chunk, quadratic in the set.
   */
  public void appendUnindexed(byte[] hashes, int off, int count) {
    checkBulk(hashes, off, count);
    for (int i = 0; i < count; i++) {
      store(hashes, off + 32 * i);
    }
    install(new PdqHashPages(pages, size), null);
  }

  /**
   * Writer only. Builds the postings over every hash now if the tail is long enough to be worth
   * it (as {@link #appendAll} does at its end), e.g. after a series of {@link #appendUnindexed}.
   */
  public void buildIndex() {
    publish(true);
  }

  private static void checkBulk(byte[] hashes, int off, int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0: " + count);
    }
    if (off < 0 || 32L * count > hashes.length - (long) off) {
      throw new IndexOutOfBoundsException("off " + off + " + 32 * count " + count
          + " exceeds hashes.length " + hashes.length);
    }
  }

  private int store(byte[] hash, int off) {
    int ord = size;
    if (ord == Integer.MAX_VALUE - 1) {
      throw new IllegalStateException("PdqIndex is full: " + ord + " hashes");
    }
    int pi = ord >>> PdqHashPages.PAGE_SHIFT;
    if (pi == pages.length) {
      long[][] grown = new long[pages.length * 2][];
      System.arraycopy(pages, 0, grown, 0, pages.length);
      pages = grown;
    }
    long[] page = pages[pi];
    int within = ord & PdqHashPages.PAGE_MASK;
    if (page == null || within == PdqHashPages.pageCapacity(page.length)) {
      // A new page, or a copy of a small first page with twice the room. Published states keep
      // the old array, whose content they see is unchanged; so the directory is copied too.
      int capacity = page == null ? (pi == 0 ? FIRST_PAGE_HASHES : PdqHashPages.PAGE_HASHES)
          : within * 2;
      long[] grown = new long[PdqHashPages.pageLength(capacity)];
      if (page != null) {
        System.arraycopy(page, 0, grown, 0, page.length);
      }
      pages = pages.clone();
      pages[pi] = grown;
      page = grown;
    }
    int j = PdqHashPages.slot(ord);
    page[j] = PdqBits.readLong(hash, off);
    page[j + 1] = PdqBits.readLong(hash, off + 8);
    page[j + 2] = PdqBits.readLong(hash, off + 16);
    page[j + 3] = PdqBits.readLong(hash, off + 24);
    size = ord + 1;
    return ord;
  }

  /**
   * Publishes hashes 0..size-1. When the tail is too long, a bulk append rebuilds the postings
   * here; a single append starts a background rebuild, or waits for the running one if the tail
   * has grown {@value #TAIL_WAIT_FACTOR}x past the limit.
   */
  private void publish(boolean bulk) {
    PdqHashPages hashes = new PdqHashPages(pages, size);
    MihPostings postings = state.postings;
    if (rebuilding != null && (bulk || rebuilding.isDone())) {
      postings = newer(postings, finishRebuild(hashes)); // bulk: one build at a time
    }
    int limit = tailLimit(covered(postings), size);
    if (size - covered(postings) >= limit) {
      if (bulk) {
        postings = MihPostings.build(hashes, size);
      } else {
        if (rebuilding != null && size - covered(postings) >= (long) TAIL_WAIT_FACTOR * limit) {
          postings = newer(postings, finishRebuild(hashes)); // back-pressure: bound the tail
        }
        if (rebuilding == null && size - covered(postings) >= limit) {
          rebuilding = rebuildInBackground(hashes, size);
        }
      }
    }
    install(hashes, postings);
  }

  private static int covered(MihPostings postings) {
    return postings == null ? 0 : postings.size;
  }

  /**
   * Waits for the background rebuild and returns its postings (null if none ran). If it failed
   * (say, out of memory on its thread), builds here instead, so a repeated failure reaches the
   * appending caller as it would without a background thread.
   */
  private MihPostings finishRebuild(PdqHashPages hashes) {
    CompletableFuture<MihPostings> r = rebuilding;
    rebuilding = null;
    if (r == null) {
      return null;
    }
    try {
      return r.join();
    } catch (RuntimeException failed) {
      return MihPostings.build(hashes, hashes.size());
    }
  }

  /** Builds postings over hashes 0..n-1 on the rebuild thread and publishes them when done. */
  private CompletableFuture<MihPostings> rebuildInBackground(PdqHashPages hashes, int n) {
    return CompletableFuture.supplyAsync(() -> {
      MihPostings built = MihPostings.build(hashes, n);
      install(null, built);
      return built;
    }, rebuilder);
  }

  /**
   * Publishes a state with {@code hashes} (or the current ones, if null) and the newer of the
   * current and the given postings. Compare-and-set, as the writer and a finishing rebuild may
   * both publish; neither ever replaces newer postings or hashes with older ones.
   */
  private void install(PdqHashPages hashes, MihPostings postings) {
    while (true) {
      State cur = state;
      State next = new State(hashes == null ? cur.hashes : hashes, newer(cur.postings, postings));
      if (STATE.compareAndSet(this, cur, next)) {
        return;
      }
    }
  }

  private static MihPostings newer(MihPostings a, MihPostings b) {
    if (a == null) {
      return b;
    }
    return b == null || a.size >= b.size ? a : b;
  }

  /** Tests: waits until a background rebuild, if one runs, is published. */
  void awaitRebuild() {
    CompletableFuture<MihPostings> r = rebuilding;
    if (r != null) {
      r.join();
    }
  }

  /** Longest tail, beyond {@code base} indexed hashes, before the postings are rebuilt. */
  int tailLimit(int base, int size) {
    if (size < minIndexed) {
      return Integer.MAX_VALUE;
    }
    // base/64 keeps the amortised rebuild cost per append near 16 * 64 posting writes.
    return Math.max(minIndexed, Math.min(MAX_TAIL, base / 64));
  }

  public int size() {
    return state.hashes.size();
  }

  /** Copies hash {@code ordinal} (32 bytes, big-endian) to {@code dst[off..off+31]}. */
  public void copyHash(int ordinal, byte[] dst, int off) {
    PdqHashPages h = state.hashes;
    Objects.checkIndex(ordinal, h.size());
    Objects.checkFromIndexSize(off, 32, dst.length);
    for (int w = 0; w < 4; w++) {
      PdqBits.writeLong(h.lane(ordinal, w), dst, off + 8 * w);
    }
  }

  /**
   * Finds every ordinal within {@code maxDistance} (0..256) of the query that {@code accept}
   * admits; {@code out} is cleared, filled and sorted by (distance, ordinal). Exactly the result of
   * a brute-force scan. {@code accept} is called only for hashes within the distance.
   */
  public void search(byte[] query, int off, int maxDistance, IntPredicate accept, PdqHits out) {
    State s = state;
    checkQuery(query, off, maxDistance, accept, out);
    if (s.postings != null && mihCost(s.base(), maxDistance) < s.base()) {
      searchMih(s, query, off, maxDistance, accept, out);
    } else {
      searchLinear(s, query, off, maxDistance, accept, out);
    }
  }

  /**
   * {@link #search} by a linear scan of every hash, whatever the planner would choose: the
   * baseline of the benchmark and a reference for tests. Same contract and result.
   */
  public void searchLinear(byte[] query, int off, int maxDistance, IntPredicate accept,
      PdqHits out) {
    State s = state;
    checkQuery(query, off, maxDistance, accept, out);
    searchLinear(s, query, off, maxDistance, accept, out);
  }

  /** {@link #search} forcing MIH over the postings (if any) plus a scan of the tail; for tests. */
  void searchMih(byte[] query, int off, int maxDistance, IntPredicate accept, PdqHits out) {
    State s = state;
    checkQuery(query, off, maxDistance, accept, out);
    searchMih(s, query, off, maxDistance, accept, out);
  }

  /** Estimated MIH cost over {@code indexed} hashes, in units of one linearly scanned hash. */
  static double mihCost(int indexed, int maxDistance) {
    double perBucket = indexed / 65536.0;
    long probes = MihPostings.probes(maxDistance);
    return probes * PROBE_COST + probes * perBucket * ENTRY_COST
        + MihPostings.passingProbes(maxDistance) * perBucket * FETCH_COST;
  }

  /** Number of hashes covered by the postings (0 if none); the rest is the scanned tail. */
  int indexedSize() {
    return state.base();
  }

  /** The current postings, or null (tests). */
  MihPostings postingsForTest() {
    return state.postings;
  }

  /** True if {@link #search} would use MIH for this distance at the current size. */
  boolean plansMih(int maxDistance) {
    State s = state;
    return s.postings != null && mihCost(s.base(), maxDistance) < s.base();
  }

  private static void searchMih(State s, byte[] query, int off, int maxDistance,
      IntPredicate accept, PdqHits out) {
    out.clear();
    long q0 = PdqBits.readLong(query, off);
    long q1 = PdqBits.readLong(query, off + 8);
    long q2 = PdqBits.readLong(query, off + 16);
    long q3 = PdqBits.readLong(query, off + 24);
    if (s.postings != null) {
      s.postings.search(s.hashes, q0, q1, q2, q3, maxDistance, accept, out);
    }
    s.hashes.scan(s.base(), s.hashes.size(), q0, q1, q2, q3, maxDistance, accept, out);
    out.sort();
  }

  private static void searchLinear(State s, byte[] query, int off, int maxDistance,
      IntPredicate accept, PdqHits out) {
    out.clear();
    s.hashes.scan(0, s.hashes.size(), PdqBits.readLong(query, off),
        PdqBits.readLong(query, off + 8), PdqBits.readLong(query, off + 16),
        PdqBits.readLong(query, off + 24), maxDistance, accept, out);
    out.sort();
  }

  private static void checkQuery(byte[] query, int off, int maxDistance, IntPredicate accept,
      PdqHits out) {
    Objects.checkFromIndexSize(off, 32, query.length);
    if (maxDistance < 0 || maxDistance > MAX_DISTANCE) {
      throw new IllegalArgumentException(
          "maxDistance must be in 0.." + MAX_DISTANCE + ": " + maxDistance);
    }
    Objects.requireNonNull(accept, "accept");
    Objects.requireNonNull(out, "out");
  }

  /** Heap bytes of the hashes and postings of the current state. */
  @Override
  public long ramBytesUsed() {
    State s = state;
    return 16 + 16 + s.hashes.ramBytesUsed()
        + (s.postings == null ? 0 : s.postings.ramBytesUsed());
  }
}
