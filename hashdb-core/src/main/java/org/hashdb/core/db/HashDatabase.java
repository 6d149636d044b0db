package org.hashdb.core.db;

import java.io.Closeable;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.hashdb.core.Accountable;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.pdq.PdqHits;
import org.hashdb.core.disk.DiskFullException;
import org.hashdb.core.disk.WalRecord;
import org.hashdb.core.disk.WriteAheadLog;
import org.hashdb.core.video.VpdqComparison;
import org.hashdb.core.video.VpdqFrames;
import org.hashdb.core.video.VpdqMatchOptions;
import org.roaringbitmap.RoaringBitmap;

/**
 * The hash database: entries (a hash value on a named list, with category and source), exact
 * lookups for md5/sha1/sha256, near-duplicate search for pdq, and durable changes.
 *
 * <p>Thread-safety: every method may be called from any thread. Reads take no lock: they read
 * one published {@link State} and append-only structures. Writes are serialised by one writer
 * lock, logged to the write-ahead log (when the database has a data directory) and made durable
 * before they return; concurrent writers share fsyncs (group commit). A write becomes visible to
 * readers when it is applied, which is just before its fsync: a reader may see an entry whose
 * add is not yet acknowledged, never the reverse.
 */
public final class HashDatabase implements Accountable, Closeable {
  private static final HashType[] TYPES = HashType.values();

  private final ReentrantLock writeLock = new ReentrantLock();
  private final TypeStore[] stores = new TypeStore[TYPES.length];
  private final ListRegistry lists = new ListRegistry();
  private final StringDictionary categories = new StringDictionary();
  private final StringDictionary sources = new StringDictionary();
  private final ReleaseLedger releases = new ReleaseLedger();
  private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

  private volatile State state;
  private ChangeLog log;
  private volatile IOException failure; // set when a log write failed: no further writes
  private volatile boolean closed;
  private Storage storage; // null for in-memory databases
  // The running state digest (StateDigest): current value and hasher owned by the writer.
  private final byte[] digest = StateDigest.base(0);
  private final StateDigest digester = new StateDigest();
  private final DigestHistory digests = new DigestHistory(0, digest);
  private final java.util.List<java.util.function.LongConsumer> durableListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private int maxPerType = EntryIds.MAX_PER_TYPE; // lowered only by tests

  HashDatabase() {
    for (HashType t : TYPES) {
      stores[t.ordinal()] = new TypeStore(t);
    }
    RoaringBitmap[] removed = new RoaringBitmap[TYPES.length];
    for (int i = 0; i < removed.length; i++) {
      removed[i] = new RoaringBitmap();
    }
    state = new State(0, lists.current(), new int[TYPES.length], removed, new RoaringBitmap[0]);
    log = ChangeLog.none(0);
  }

  /** A database that lives in memory only: nothing is persisted. For tests, demos, embedding. */
  public static HashDatabase inMemory() {
    return new HashDatabase();
  }

  /**
   * Opens (creating if needed) the database in {@code dataDir}: loads the newest valid snapshot,
   * replays the write-ahead log and locks the directory against other processes.
   */
  public static HashDatabase open(java.nio.file.Path dataDir) throws IOException {
    return open(dataDir, DatabaseOptions.defaults());
  }

  /** {@link #open(java.nio.file.Path)} with options. */
  public static HashDatabase open(java.nio.file.Path dataDir, DatabaseOptions options)
      throws IOException {
    return Storage.openDatabase(dataDir, options);
  }

  /**
   * Opens the database in {@code dataDir} like {@link #open(java.nio.file.Path)}, but never
   * creates one: for everything that only reads a database, where a mistyped path must be an
   * error rather than an empty database that matches nothing.
   *
   * @throws IllegalArgumentException the directory is missing or holds no database
   */
  public static HashDatabase openExisting(java.nio.file.Path dataDir) throws IOException {
    return openExisting(dataDir, DatabaseOptions.defaults());
  }

  /** {@link #openExisting(java.nio.file.Path)} with options. */
  public static HashDatabase openExisting(java.nio.file.Path dataDir, DatabaseOptions options)
      throws IOException {
    org.hashdb.core.disk.DataDirectories.requireDatabase(dataDir);
    return Storage.openDatabase(dataDir, options);
  }

  // ---------------------------------------------------------------- writes

  /**
   * Adds entries. All-or-nothing: an invalid entry rejects the whole call with an {@link
   * IllegalArgumentException} naming its index. An entry whose value is already live on its list
   * counts as already present. Durable when it returns.
   */
  public AddResult add(List<NewEntry> entries) throws IOException {
    NewEntry previous = null;
    for (int i = 0; i < entries.size(); i++) {
      try {
        // Imports repeat list, category and source: check each string only when it changes.
        EntryValidator.check(entries.get(i), previous);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("entries[" + i + "]: " + e.getMessage(), e);
      }
      previous = entries.get(i);
    }
    long seq;
    int added;
    writeLock.lock();
    try {
      checkWritable();
      List<NewEntry> fresh = newEntries(entries);
      added = fresh.size();
      if (added == 0) {
        return new AddResult(0, entries.size(), state.sequence());
      }
      checkCapacity(fresh);
      long now = System.currentTimeMillis() / 1000;
      seq = logged(ChangeFormat.KIND_ADD, ChangeFormat.encodeAdd(now, fresh));
      applyAdd(seq, now, fresh);
    } finally {
      writeLock.unlock();
    }
    syncOrFail(seq);
    if (storage != null) {
      storage.afterWrite(this);
    }
    return new AddResult(added, entries.size() - added, seq);
  }

  /**
   * Removes {@code value} from list {@code list}, or from every list when {@code list} is null.
   * Returns how many entries were removed (0: nothing to remove, nothing logged).
   */
  public RemoveResult remove(HashType type, byte[] value, String list) throws IOException {
    if (value.length != type.byteLength()) {
      throw new IllegalArgumentException(
          type + " value must be " + type.byteLength() + " bytes, got " + value.length);
    }
    long seq;
    int removed;
    writeLock.lock();
    try {
      checkWritable();
      int listId = list == null ? -1 : state.lists().find(list);
      if (list != null && listId < 0) {
        return new RemoveResult(0, state.sequence());
      }
      RoaringBitmap hits = liveEqual(type, value, listId);
      removed = hits.getCardinality();
      if (removed == 0) {
        return new RemoveResult(0, state.sequence());
      }
      seq = logged(ChangeFormat.KIND_REMOVE, ChangeFormat.encodeRemove(type, value, list));
      applyRemove(seq, type, hits);
    } finally {
      writeLock.unlock();
    }
    syncOrFail(seq);
    if (storage != null) {
      storage.afterWrite(this);
    }
    return new RemoveResult(removed, seq);
  }

  /**
   * Changes one list atomically under one sequence number: a full release's content or a
   * delta's adds and removals (see {@link ListUpdate}); with a release mark, refused with {@link
   * ReleaseRollbackException} when not newer than the last one from its signer. Durable when it
   * returns. {@code removals} is null for a full update.
   */
  public <X extends Exception> ListUpdateResult update(ListUpdate update, EntrySource<X> entries,
      EntrySource<X> removals) throws IOException, X {
    return ListUpdater.run(this, update, entries, removals);
  }

  /** The highest release number imported for {@code list} from signer key id {@code signer}, or -1. */
  public long lastRelease(String list, String signer) {
    writeLock.lock();
    try {
      return releases.highest(list, signer);
    } finally {
      writeLock.unlock();
    }
  }

  private long logged(byte kind, byte[] payload) throws IOException {
    return logged(kind, payload, payload.length);
  }

  /** Writer only: logs the first {@code len} bytes of {@code payload} as one record. */
  long logged(byte kind, byte[] payload, int len) throws IOException {
    long seq = appended(kind, System.currentTimeMillis(), payload, len);
    advanceDigest(seq, kind, payload, len);
    return seq;
  }

  private long appended(byte kind, long timeMillis, byte[] payload, int len) throws IOException {
    try {
      return log.append(kind, timeMillis, payload, len);
    } catch (DiskFullException e) {
      throw e; // nothing was logged or applied: later writes may succeed once space is back
    } catch (IOException e) {
      failure = e;
      throw e;
    }
  }

  private void syncOrFail(long seq) throws IOException {
    try {
      log.sync(seq);
    } catch (IOException e) {
      // The change is applied in memory but may not be on disk: refuse all further writes
      // rather than acknowledge anything on top of a log in an unknown state.
      failure = e;
      throw e;
    }
    for (java.util.function.LongConsumer l : durableListeners) {
      l.accept(seq);
    }
  }

  /**
   * Calls {@code listener} with the sequence of each write once it is durable (on the writing
   * thread, after the fsync): how a change feed long-poll learns of new changes. It must be quick.
   */
  public void onDurable(java.util.function.LongConsumer listener) {
    durableListeners.add(java.util.Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Applies a change logged by another database (a replica's primary) under the same sequence
   * number: it is written to this database's log with the primary's record kind, time and
   * payload and applied through the same path as a start-up replay, so every kind of change the
   * log knows is applied exactly as it would be on a restart of the primary. Durable when it
   * returns; the running digest then equals the primary's at that sequence.
   *
   * @throws IllegalArgumentException the change does not directly follow this database's sequence
   * @throws IOException the record cannot be decoded (nothing is logged) or the log failed
   */
  public void applyReplicated(WalRecord r) throws IOException {
    decodeChange(r); // an unknown kind or damaged payload must never reach the log
    long seq;
    writeLock.lock();
    try {
      checkWritable();
      long expected = state.sequence() + 1;
      if (r.sequence() != expected) {
        throw new IllegalArgumentException("change " + r.sequence() + " does not follow sequence "
            + (expected - 1));
      }
      seq = appended(r.kind(), r.timeMillis(), r.payload(), r.payload().length);
      if (seq != r.sequence()) {
        failure = new IOException("log assigned sequence " + seq + " to change " + r.sequence());
        throw failure;
      }
      replay(seq, r.kind(), r.payload());
    } finally {
      writeLock.unlock();
    }
    syncOrFail(seq);
    if (storage != null) {
      storage.afterWrite(this);
    }
  }

  /** Decodes a logged record into the change the feed reports. */
  public static Change decodeChange(WalRecord r) throws IOException {
    return WalChangeLog.decode(r.sequence(), r.timeMillis(), r.kind(), r.payload());
  }

  /** Writer only: extends the running digest by logged change {@code seq}. */
  private void advanceDigest(long seq, byte kind, byte[] payload, int len) {
    digester.next(digest, seq, kind, payload, len, digest);
    digests.record(seq, digest);
  }

  /** Loading only: the digest at the loaded snapshot's sequence, which the replay continues. */
  void startDigest(long seq, byte[] d) {
    System.arraycopy(d, 0, digest, 0, StateDigest.BYTES);
    digests.reset(seq, d);
  }

  /** Writer lock held: the digest at the current sequence. */
  byte[] currentDigestLocked() {
    return digest.clone();
  }

  /** The current sequence and the running digest at it (see {@link StateDigest}). */
  public StateDigest.At digest() {
    writeLock.lock();
    try {
      return new StateDigest.At(state.sequence(), digest.clone());
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * The running digest at {@code seq}, recomputed from the log when not held; null when it is
   * not known (before the snapshot this process loaded, or no longer in the log).
   */
  public byte[] digestAt(long seq) throws IOException {
    byte[] d = digests.exact(seq);
    if (d != null) {
      return d;
    }
    digests.forgetBefore(log.firstAvailableSequence() - 1);
    java.util.Map.Entry<Long, byte[]> from = digests.before(seq);
    if (from == null || seq > state.sequence()) {
      return null;
    }
    byte[] cur = from.getValue();
    long[] at = {from.getKey()};
    if (at[0] < seq) {
      StateDigest sd = new StateDigest();
      try {
        log.scanRecords(at[0] + 1, (int) Math.min(Integer.MAX_VALUE, seq - at[0]), r -> {
          if (r.sequence() != at[0] + 1) {
            return false;
          }
          sd.next(cur, r.sequence(), r.kind(), r.payload(), cur);
          at[0] = r.sequence();
          return at[0] < seq;
        });
      } catch (org.hashdb.core.disk.SequenceUnavailableException e) {
        return null;
      }
    }
    return at[0] == seq ? cur : null;
  }

  /**
   * Streams the logged durable records from {@code fromSequence} on (at most {@code limit}) as
   * they are in the log: what a replica applies with {@link #applyReplicated}.
   */
  public void forEachRecord(long fromSequence, int limit, WriteAheadLog.RecordVisitor visitor)
      throws IOException {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, got " + limit);
    }
    log.scanRecords(fromSequence, limit, visitor);
  }

  /** Returns once every change up to {@code seq} is durable; a failure stops writes as for a write. */
  void awaitDurable(long seq) throws IOException {
    syncOrFail(seq);
  }

  void checkWritable() throws IOException {
    if (closed) {
      throw new IllegalStateException("database is closed");
    }
    IOException f = failure;
    if (f != null) {
      throw new IOException("database refuses writes after a log failure: " + f.getMessage(), f);
    }
  }

  /**
   * Writer only: rejects {@code fresh} if it would not fit, before it is logged. Checking after
   * the log append (or inside the column appends) would leave a record that cannot replay and
   * columns of different lengths.
   */
  private void checkCapacity(List<NewEntry> fresh) {
    int[] perType = new int[TYPES.length];
    ListRegistry.Snapshot reg = state.lists();
    java.util.Set<String> newLists = new java.util.HashSet<>();
    for (NewEntry e : fresh) {
      perType[e.type().ordinal()]++;
      if (reg.find(e.list()) < 0) {
        newLists.add(e.list());
      }
    }
    checkCapacity(perType, newLists.size());
  }

  /** Writer only: {@link #checkCapacity(List)} for {@code perType} new entries on {@code newLists} new lists. */
  void checkCapacity(int[] perType, int newLists) {
    ListRegistry.Snapshot reg = state.lists();
    for (HashType t : TYPES) {
      long after = (long) stores[t.ordinal()].size() + perType[t.ordinal()];
      if (after > maxPerType) {
        throw new CapacityExceededException(t.apiName() + " holds " + stores[t.ordinal()].size()
            + " entries, the most is " + maxPerType + ": this write of " + perType[t.ordinal()]
            + " new " + t.apiName() + " entries is refused (nothing was added)");
      }
    }
    if (newLists > 0 && (long) reg.size() + newLists > ListRegistry.MAX_LISTS) {
      throw new CapacityExceededException("the database holds " + reg.size()
          + " lists, the most is " + ListRegistry.MAX_LISTS + ": this write would add "
          + newLists + " (nothing was added)");
    }
  }

  /** Tests only: a lower per-type limit, so that capacity handling runs without 2^28 entries. */
  void limitEntriesPerType(int max) {
    if (max < 0 || max > EntryIds.MAX_PER_TYPE) {
      throw new IllegalArgumentException("max must be in 0.." + EntryIds.MAX_PER_TYPE);
    }
    maxPerType = max;
  }

  /** Writer only: the entries of {@code entries} not live on their list yet (nor earlier in the batch). */
  private List<NewEntry> newEntries(List<NewEntry> entries) {
    List<NewEntry> fresh = new ArrayList<>(entries.size());
    BatchDedupe seen = new BatchDedupe(entries.size());
    ListRegistry.Snapshot reg = state.lists();
    for (NewEntry e : entries) {
      int listId = reg.find(e.list());
      if (listId >= 0 && isLiveOn(e.type(), e.value(), listId)) {
        continue;
      }
      if (seen.add(fresh, e)) {
        fresh.add(e);
      }
    }
    return fresh;
  }

  /** Writer only: whether {@code value} is live on list {@code listId}. */
  private boolean isLiveOn(HashType type, byte[] value, int listId) {
    TypeStore ts = stores[type.ordinal()];
    State s = state;
    int t = type.ordinal();
    boolean[] found = {false};
    ts.forEachEqual(value, 0, ts.writerHits(), o -> {
      found[0] = s.isLive(t, o) && ts.listIds.get(o) == listId;
      return !found[0];
    });
    return found[0];
  }

  /** Writer only: ordinals of live entries of {@code type} equal to {@code value} (on list, or any if -1). */
  private RoaringBitmap liveEqual(HashType type, byte[] value, int listId) {
    TypeStore ts = stores[type.ordinal()];
    State s = state;
    int t = type.ordinal();
    RoaringBitmap out = new RoaringBitmap();
    ts.forEachEqual(value, 0, ts.writerHits(), o -> {
      if (s.isLive(t, o) && (listId < 0 || ts.listIds.get(o) == listId)) {
        out.add(o);
      }
      return true;
    });
    return out;
  }

  /** Writer only (also replay): appends entries and publishes the new state. */
  void applyAdd(long seq, long addedAtSeconds, List<NewEntry> fresh) {
    State s = state;
    RoaringBitmap[] members = s.members();
    int[] visible = s.visible().clone();
    java.util.BitSet copied = new java.util.BitSet(); // lists whose bitmap this change copied
    for (NewEntry e : fresh) {
      int listId = lists.idOf(e.list());
      if (listId >= members.length) {
        members = Arrays.copyOf(members, listId + 1);
        members[listId] = new RoaringBitmap();
        copied.set(listId);
      } else if (!copied.get(listId)) {
        members = members == s.members() ? members.clone() : members;
        members[listId] = members[listId].clone();
        copied.set(listId);
      }
      int ord = appendEntry(e, listId, addedAtSeconds);
      visible[e.type().ordinal()] = ord + 1;
      members[listId].add(EntryIds.of(e.type(), ord));
    }
    for (int id = copied.nextSetBit(0); id >= 0; id = copied.nextSetBit(id + 1)) {
      members[id].runOptimize();
    }
    state = new State(seq, lists.current(), visible, s.removed(), members);
  }

  /** Writer only (also replay): appends one entry to its type's columns, not yet visible; returns its ordinal. */
  int appendEntry(NewEntry e, int listId, long addedAtSeconds) {
    TypeStore ts = stores[e.type().ordinal()];
    int categoryId = categories.intern(e.category());
    int sourceId = sources.intern(e.source());
    return e.type().isVideo()
        ? ts.appendVideo(e.value(), e.frames(), listId, categoryId, sourceId, addedAtSeconds)
        : ts.append(e.value(), 0, listId, categoryId, sourceId, addedAtSeconds);
  }

  /** Writer only (also replay): marks {@code ordinals} of {@code type} removed and publishes. */
  void applyRemove(long seq, HashType type, RoaringBitmap ordinals) {
    State s = state;
    int t = type.ordinal();
    RoaringBitmap[] removed = s.removed().clone();
    removed[t] = RoaringBitmap.or(removed[t], ordinals);
    RoaringBitmap[] members = s.members().clone();
    TypeStore ts = stores[t];
    for (int ord : ordinals) {
      int listId = ts.listIds.get(ord);
      if (members[listId] == s.members()[listId]) {
        members[listId] = members[listId].clone();
      }
      members[listId].remove(EntryIds.of(type, ord));
    }
    state = new State(seq, s.lists(), s.visible(), removed, members);
  }

  /** Replay of a logged REMOVE: the same entries it removed when it was logged. */
  void replayRemove(long seq, NewEntry removal) {
    int listId = removal.list().isEmpty() ? -1 : state.lists().find(removal.list());
    RoaringBitmap hits = removal.list().isEmpty() || listId >= 0
        ? liveEqual(removal.type(), removal.value(), listId)
        : new RoaringBitmap();
    applyRemove(seq, removal.type(), hits);
  }

  // ---------------------------------------------------------------- reads

  /**
   * Live entries whose value equals {@code value} on lists {@code filter} admits. For pdq this
   * is distance 0; use {@link #search} for near duplicates.
   */
  public List<Hit> lookup(HashType type, byte[] value, ListFilter filter) {
    checkValue(type, value, 0);
    State s = state;
    boolean[] visibleLists = filter.resolve(s.lists());
    int t = type.ordinal();
    TypeStore ts = stores[t];
    List<Hit> out = new ArrayList<>(1);
    ts.forEachEqual(value, 0, scratch.get().hits, o -> {
      if (s.isLive(t, o) && visibleLists[ts.listIds.get(o)]) {
        out.add(match(s, ts, o, 0));
      }
      return true;
    });
    return out.isEmpty() ? List.of() : out;
  }

  /** True when {@code values[off..off+len)} is live on a list {@code filter} admits. No allocation. */
  public boolean contains(HashType type, byte[] values, int off, ListFilter filter) {
    checkValue(type, values, off);
    State s = state;
    boolean[] visibleLists = filter.resolve(s.lists());
    TypeStore ts = stores[type.ordinal()];
    if (type.isExact()) {
      return anyVisible(s, ts, ts.exactIndex().find(values, off), visibleLists);
    }
    Scratch sc = scratch.get();
    int[] found = sc.found;
    found[0] = 0;
    int t = type.ordinal();
    ts.forEachEqual(values, off, sc.hits, o -> {
      if (s.isLive(t, o) && visibleLists[ts.listIds.get(o)]) {
        found[0] = 1;
        return false;
      }
      return true;
    });
    return found[0] != 0;
  }

  /**
   * Bulk membership of {@code count} exact values stored back to back from {@code off}: bit i of
   * {@code bitsOut} (byte i/8, bit i%8, least significant first) is set when value i is live on
   * a list {@code filter} admits. {@code bitsOut} needs ceil(count/8) bytes; they are overwritten.
   * Uses the index's batch lookup so independent cache misses overlap.
   */
  public void containsBatch(HashType type, byte[] values, int off, int count, ListFilter filter,
      byte[] bitsOut) {
    if (!type.isExact()) {
      throw new IllegalArgumentException("bulk lookups are for exact types, not " + type);
    }
    int len = type.byteLength();
    if (count < 0 || off < 0 || (long) off + (long) count * len > values.length) {
      throw new IllegalArgumentException("values array too short for " + count + " " + type + " hashes");
    }
    if (bitsOut.length < (count + 7) / 8) {
      throw new IllegalArgumentException("bitsOut needs " + (count + 7) / 8 + " bytes");
    }
    Arrays.fill(bitsOut, 0, (count + 7) / 8, (byte) 0);
    State s = state;
    boolean[] visibleLists = filter.resolve(s.lists());
    TypeStore ts = stores[type.ordinal()];
    int[] heads = scratch.get().heads;
    for (int start = 0; start < count; start += heads.length) {
      int n = Math.min(heads.length, count - start);
      ts.exactIndex().findBatch(values, off + start * len, n, heads);
      for (int i = 0; i < n; i++) {
        if (heads[i] >= 0 && anyVisible(s, ts, heads[i], visibleLists)) {
          int bit = start + i;
          bitsOut[bit >>> 3] |= (byte) (1 << (bit & 7));
        }
      }
    }
  }

  private static boolean anyVisible(State s, TypeStore ts, int head, boolean[] visibleLists) {
    int t = ts.type.ordinal();
    for (int o = head; o >= 0; o = ts.exactIndex().nextSameKey(o)) {
      if (s.isLive(t, o) && visibleLists[ts.listIds.get(o)]) {
        return true;
      }
    }
    return false;
  }

  /**
   * PDQ near-duplicate search: live entries within {@code maxDistance} (0..256) of {@code
   * pdqHash} on lists {@code filter} admits, ordered by distance then entry. Exactly the result
   * of a brute-force scan.
   */
  public List<Hit> search(byte[] pdqHash, int maxDistance, ListFilter filter) {
    return searchAny(new byte[][] {pdqHash}, maxDistance, filter);
  }

  /**
   * Search with several query hashes at once (the 8 dihedral variants of an image): each entry
   * appears once, with its smallest distance to any of the queries.
   */
  public List<Hit> searchAny(byte[][] pdqHashes, int maxDistance, ListFilter filter) {
    if (maxDistance < 0 || maxDistance > 256) {
      throw new IllegalArgumentException("maxDistance must be in 0..256, got " + maxDistance);
    }
    for (byte[] q : pdqHashes) {
      checkValue(HashType.PDQ, q, 0);
    }
    State s = state;
    boolean[] visibleLists = filter.resolve(s.lists());
    int t = HashType.PDQ.ordinal();
    TypeStore ts = stores[t];
    PdqHits hits = scratch.get().hits;
    Map<Integer, Integer> best = pdqHashes.length > 1 ? new LinkedHashMap<>() : null;
    List<Hit> out = new ArrayList<>();
    for (byte[] q : pdqHashes) {
      ts.pdqIndex().search(q, 0, maxDistance,
          o -> s.isLive(t, o) && visibleLists[ts.listIds.get(o)], hits);
      for (int i = 0; i < hits.size(); i++) {
        if (best == null) {
          out.add(match(s, ts, hits.ordinal(i), hits.distance(i)));
        } else {
          best.merge(hits.ordinal(i), hits.distance(i), Math::min);
        }
      }
    }
    if (best != null) {
      best.forEach((o, d) -> out.add(match(s, ts, o, d)));
      out.sort((a, b) -> a.distance() != b.distance()
          ? Integer.compare(a.distance(), b.distance())
          : Integer.compareUnsigned(a.entryId(), b.entryId()));
    }
    return out;
  }

  /**
   * Video search by vPDQ: the live stored videos on lists {@code filter} admits that match the
   * query under {@code options} (see {@link VpdqMatchOptions}), best first (stored percentage,
   * then query percentage, then entry). {@code queryFrames} is the query's canonical frame set
   * ({@link org.hashdb.core.video.VpdqFrames#canonical}: quality-filtered, distinct). Candidates
   * come from the frame index, one near-duplicate search per query frame, so the cost grows with
   * the query's frames and their matches, not with the number of stored videos; the counts are
   * exactly those of {@link VpdqComparison#bruteForce} against every stored video.
   */
  public List<VideoHit> searchVideo(byte[] queryFrames, VpdqMatchOptions options, ListFilter filter) {
    return VideoSearch.search(this, state, queryFrames, options, filter, scratch.get().hits);
  }

  /** The canonical frame set of a stored video entry (live or removed), or null when not a video. */
  public byte[] videoFrames(int entryId) {
    State s = state;
    if (EntryIds.type(entryId) != HashType.VPDQ) {
      return null;
    }
    int ord = EntryIds.ordinal(entryId);
    if (ord >= s.visible()[HashType.VPDQ.ordinal()]) {
      return null;
    }
    return stores[HashType.VPDQ.ordinal()].video().copyFrames(ord);
  }

  Hit match(State s, TypeStore ts, int ordinal, int distance) {
    return new Hit(EntryIds.of(ts.type, ordinal), ts.type, s.lists().name(ts.listIds.get(ordinal)),
        categories.get(ts.categoryIds.get(ordinal)), sources.get(ts.sourceIds.get(ordinal)),
        Integer.toUnsignedLong(ts.addedAt.get(ordinal)), distance);
  }

  private static void checkValue(HashType type, byte[] value, int off) {
    if (off < 0 || value.length - off < type.byteLength()) {
      throw new IllegalArgumentException(
          type + " value must be " + type.byteLength() + " bytes, got " + (value.length - off));
    }
  }

  /** The entry with this id if it is live, else null. */
  public Hit entry(int entryId) {
    State s = state;
    HashType type = EntryIds.type(entryId);
    int ord = EntryIds.ordinal(entryId);
    if (!s.isLive(type.ordinal(), ord)) {
      return null;
    }
    return match(s, stores[type.ordinal()], ord, 0);
  }

  /** The value of a stored entry (live or removed), or null when the id was never assigned. */
  public byte[] value(int entryId) {
    State s = state;
    HashType type;
    try {
      type = EntryIds.type(entryId);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int ord = EntryIds.ordinal(entryId);
    if (ord >= s.visible()[type.ordinal()]) {
      return null;
    }
    byte[] v = new byte[type.byteLength()];
    stores[type.ordinal()].copyValue(ord, v, 0);
    return v;
  }

  /** Names of all lists ever used, in creation order. */
  public List<String> listNames() {
    return List.of(state.lists().names());
  }

  /** Sequence number of the last applied change. */
  public long sequence() {
    return state.sequence();
  }

  /** Counts per type and list, memory, sequence, snapshot age. */
  public DatabaseStats stats() {
    State s = state;
    Map<HashType, DatabaseStats.TypeStats> types = new EnumMap<>(HashType.class);
    for (HashType t : TYPES) {
      TypeStore ts = stores[t.ordinal()];
      types.put(t, new DatabaseStats.TypeStats(s.liveCount(t.ordinal()), s.visible()[t.ordinal()],
          ts.indexBytes(), ts.metadataBytes(), ts.video() == null ? 0 : ts.video().frames()));
    }
    Map<String, Long> perList = new LinkedHashMap<>();
    for (int id = 0; id < s.lists().size(); id++) {
      long n = id < s.members().length ? s.members()[id].getLongCardinality() : 0;
      perList.put(s.lists().name(id), n);
    }
    Instant snap = storage == null ? null : storage.lastSnapshotTime();
    return new DatabaseStats(s.sequence(), Collections.unmodifiableMap(types),
        Collections.unmodifiableMap(perList), snap, log.sizeBytes());
  }

  /**
   * Bytes of memory held by indexes, columns and dictionaries: the sum of their {@link
   * Accountable} figures and of the list bitmaps. What {@code stats} reports as the database's
   * memory.
   */
  @Override
  public long ramBytesUsed() {
    long n = Accountable.sum(categories, sources);
    for (TypeStore ts : stores) {
      n += ts.ramBytesUsed();
    }
    for (RoaringBitmap b : state.members()) {
      n += b.getLongSizeInBytes();
    }
    return n;
  }

  // ---------------------------------------------------------------- change feed and snapshots

  /** Logged changes from {@code fromSequence} on (at most {@code limit}), oldest first. */
  public List<Change> changes(long fromSequence, int limit) throws IOException {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, got " + limit);
    }
    return log.read(fromSequence, limit);
  }

  /**
   * Streams logged durable changes from {@code fromSequence} on (at most {@code limit}), oldest
   * first, one at a time: only the change being visited is in memory, so a caller can bound its
   * output by entries or bytes and stop (the visitor returns false).
   */
  public void forEachChange(long fromSequence, int limit, ChangeVisitor visitor)
      throws IOException {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, got " + limit);
    }
    log.scan(fromSequence, limit, visitor);
  }

  /** Oldest sequence {@link #changes} can return; older ones need a snapshot. */
  public long firstAvailableChange() {
    return log.firstAvailableSequence();
  }

  /**
   * Snapshots that failed (disk full, I/O error) since the database was opened. After a failure
   * the automatic snapshot is retried with exponential back-off (1 s doubling to 5 min), not
   * after every write; the log keeps every change meanwhile.
   */
  public long checkpointFailures() {
    return storage == null ? 0 : storage.checkpointFailures();
  }

  /** Writes a snapshot now and trims the log it covers. No-op for in-memory databases. */
  public void checkpoint() throws IOException {
    if (storage != null) {
      storage.checkpoint(this);
    }
  }

  /**
   * Writes a consistent snapshot of the whole database to {@code file} (any path, e.g. a
   * temporary file for a backup download) and returns the sequence number it was taken at.
   */
  public long exportSnapshot(java.nio.file.Path file) throws IOException {
    return SnapshotCodec.export(this, file, org.hashdb.core.disk.MasterKeys.none()).sequence();
  }

  /** {@link #exportSnapshot}, returning also the running digest stored in the snapshot. */
  public StateDigest.At exportSnapshotWithDigest(java.nio.file.Path file) throws IOException {
    return SnapshotCodec.export(this, file, org.hashdb.core.disk.MasterKeys.none());
  }

  /**
   * {@link #exportSnapshot} as it is stored at rest: encrypted under the current master key when
   * the database was opened with one (for backups; restore it under its snapshot file name).
   */
  public long exportSnapshotAtRest(java.nio.file.Path file) throws IOException {
    return SnapshotCodec.export(this, file, storage == null
        ? org.hashdb.core.disk.MasterKeys.none() : storage.masterKeys()).sequence();
  }

  @Override
  public void close() throws IOException {
    writeLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
    } finally {
      writeLock.unlock();
    }
    if (storage != null) {
      storage.close();
    }
    log.close();
  }

  // ---------------------------------------------------------------- package-private plumbing

  State state() {
    return state;
  }

  void publish(State s) {
    state = s;
  }

  void attach(Storage storage, ChangeLog log) {
    this.storage = storage;
    this.log = log;
  }

  /** Start-up replay of one logged change, in sequence order (also a replicated one). */
  void replay(long seq, byte kind, byte[] payload) throws IOException {
    advanceDigest(seq, kind, payload, payload.length);
    if (kind == ChangeFormat.KIND_ADD) {
      ChangeFormat.Add add = ChangeFormat.decodeAdd(payload);
      applyAdd(seq, add.addedAtSeconds(), add.entries());
    } else if (kind == ChangeFormat.KIND_REMOVE) {
      replayRemove(seq, ChangeFormat.decodeRemove(payload));
    } else if (kind == ChangeFormat.KIND_LIST) {
      ListUpdater.replay(this, seq, payload);
    } else {
      throw new IOException("unknown log record kind " + kind + " at sequence " + seq);
    }
  }

  ChangeLog log() {
    return log;
  }

  Storage storage() {
    return storage;
  }

  ReentrantLock writeLock() {
    return writeLock;
  }

  TypeStore store(HashType t) {
    return stores[t.ordinal()];
  }

  ReleaseLedger releaseLedger() {
    return releases;
  }

  ListRegistry listRegistry() {
    return lists;
  }

  StringDictionary categories() {
    return categories;
  }

  StringDictionary sources() {
    return sources;
  }

  /** Per-thread scratch buffers of the read path. */
  private static final class Scratch {
    final PdqHits hits = new PdqHits();
    final int[] heads = new int[1024];
    final int[] found = new int[1];
  }
}
