package org.hashdb.core.db;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.hashdb.core.hash.HashType;
import org.roaringbitmap.RoaringBitmap;

/**
 * Runs a {@link ListUpdate}: streams the given entries and removals, encodes the change as one
 * LIST record ({@link ListChangeFormat}), logs it and applies it with one published state, so a
 * reader sees the list before or after, never in between.
 *
 * <p>Runs under the database's writer lock from the first entry read to the publish (other
 * writes wait; lookups do not), so what is kept, added and removed is decided against a list
 * nobody else changes meanwhile. The source should therefore be local (a verified spool file).
 *
 * <p>Memory, whatever the release's length: the encoded record (per added entry its type, a flag
 * byte, its value and its category and source only when they differ from the row before: 34
 * bytes for a SHA-256, 18 for an MD5, plus up to half again while the buffer grows), at most 8
 * bytes per added entry for finding repeats, a bitmap of the kept entries (at most 4 bytes each,
 * far less for runs) and one batch of entries. Removed entries cost their type and value (33
 * bytes for a SHA-256). One record holds at most 256 MiB (the log's limit, about 7.5 million new
 * SHA-256 entries): a larger change is refused before anything is logged.
 */
final class ListUpdater {
  private static final int BATCH = 4096;

  private ListUpdater() {}

  static <X extends Exception> ListUpdateResult run(HashDatabase db, ListUpdate u,
      EntrySource<X> adds, EntrySource<X> removals) throws IOException, X {
    if (u.full() && removals != null) {
      throw new IllegalArgumentException("a full list update takes no removals");
    }
    long seq;
    ListUpdateResult result;
    db.writeLock().lock();
    try {
      db.checkWritable();
      db.releaseLedger().check(u.list(), u.release());
      State s = db.state();
      int listId = s.lists().find(u.list());
      ListChangeFormat.Writer w = new ListChangeFormat.Writer(u.list(), u.full(), u.release(),
          System.currentTimeMillis() / 1000);
      AddedValues added = new AddedValues();
      RoaringBitmap kept = new RoaringBitmap(); // entry ids on the list that were given again
      int[] perType = new int[HashType.values().length];
      long present = streamAdds(db, s, listId, u.list(), adds, w, added, kept, perType);
      RoaringBitmap gone = new RoaringBitmap(); // entry ids to take off the list
      if (u.full()) {
        if (listId >= 0 && listId < s.members().length) {
          gone = RoaringBitmap.andNot(s.members()[listId], kept);
        }
      } else if (removals != null && listId >= 0) {
        streamRemovals(db, s, listId, removals, w, added, kept, gone);
      }
      byte[] value = new byte[64];
      for (int id : gone) {
        HashType t = EntryIds.type(id);
        db.store(t).copyValue(EntryIds.ordinal(id), value, 0);
        w.remove(t, value);
      }
      w.finish();
      if (w.adds() == 0 && w.removes() == 0 && u.release() == null) {
        return new ListUpdateResult(0, present, 0, s.sequence());
      }
      db.checkCapacity(perType, listId < 0 && w.adds() > 0 ? 1 : 0);
      if (w.size() > org.hashdb.core.disk.WalFormat.MAX_PAYLOAD_BYTES) {
        throw new CapacityExceededException("list " + u.list() + ": this change adds " + w.adds()
            + " and removes " + w.removes() + " entries, " + w.size() + " bytes as one atomic record;"
            + " the most is " + org.hashdb.core.disk.WalFormat.MAX_PAYLOAD_BYTES
            + " (deliver the first load as several delta releases); nothing was changed");
      }
      seq = db.logged(ChangeFormat.KIND_LIST, w.bytes(), w.size());
      db.publish(apply(db, seq, w.bytes(), w.size()));
      result = new ListUpdateResult(w.adds(), present, w.removes(), seq);
    } finally {
      db.writeLock().unlock();
    }
    db.awaitDurable(seq);
    if (db.storage() != null) {
      db.storage().afterWrite(db);
    }
    return result;
  }

  /** Reads the given entries: each already on the list is kept, each new one encoded. */
  private static <X extends Exception> long streamAdds(HashDatabase db, State s, int listId,
      String list, EntrySource<X> adds, ListChangeFormat.Writer w, AddedValues added,
      RoaringBitmap kept, int[] perType) throws IOException, X {
    List<NewEntry> batch = new ArrayList<>(BATCH);
    long present = 0;
    long index = 0;
    NewEntry previous = null;
    boolean more = true;
    while (more) {
      batch.clear();
      more = adds.next(batch, BATCH);
      for (NewEntry e : batch) {
        try {
          EntryValidator.check(e, previous);
        } catch (IllegalArgumentException ex) {
          throw new IllegalArgumentException("entries[" + index + "]: " + ex.getMessage(), ex);
        }
        if (!e.list().equals(list)) {
          throw new IllegalArgumentException("entries[" + index + "]: on list '" + e.list()
              + "' in a change of list '" + list + "'");
        }
        previous = e;
        index++;
        int ord = listId < 0 ? -1 : liveOn(db, s, e.type(), e.value(), listId);
        if (ord >= 0) {
          kept.add(EntryIds.of(e.type(), ord));
          present++;
        } else if (added.contains(e.type(), e.value(), w.bytes())) {
          present++; // a repeat inside the release
        } else {
          int at = w.add(e); // may grow the buffer: take bytes() after it
          added.add(e.type(), w.bytes(), at);
          perType[e.type().ordinal()]++;
        }
      }
    }
    return present;
  }

  /** Reads a delta's removals into {@code gone}; refuses a value that is also given as an add. */
  private static <X extends Exception> void streamRemovals(HashDatabase db, State s, int listId,
      EntrySource<X> removals, ListChangeFormat.Writer w, AddedValues added, RoaringBitmap kept,
      RoaringBitmap gone) throws IOException, X {
    List<NewEntry> batch = new ArrayList<>(BATCH);
    boolean more = true;
    while (more) {
      batch.clear();
      more = removals.next(batch, BATCH);
      for (NewEntry e : batch) {
        if (e.value().length != e.type().byteLength()) {
          throw new IllegalArgumentException("removal: " + e.type() + " value must be "
              + e.type().byteLength() + " bytes");
        }
        int ord = liveOn(db, s, e.type(), e.value(), listId);
        if (ord >= 0 && kept.contains(EntryIds.of(e.type(), ord))
            || ord < 0 && added.contains(e.type(), e.value(), w.bytes())) {
          throw new IllegalArgumentException("a " + e.type().apiName()
              + " value is both added and removed by this change; nothing was changed");
        }
        if (ord >= 0) {
          gone.add(EntryIds.of(e.type(), ord));
        }
      }
    }
  }

  /** The ordinal of the live entry of {@code value} on list {@code listId} in {@code s}, or -1. */
  private static int liveOn(HashDatabase db, State s, HashType type, byte[] value, int listId) {
    TypeStore ts = db.store(type);
    int t = type.ordinal();
    int[] found = {-1};
    ts.forEachEqual(value, 0, ts.writerHits(), o -> {
      if (s.isLive(t, o) && ts.listIds.get(o) == listId) {
        found[0] = o;
        return false;
      }
      return true;
    });
    return found[0];
  }

  /** Replay of a logged LIST record: the same entries added and removed as when it was logged. */
  static void replay(HashDatabase db, long seq, byte[] payload) throws IOException {
    db.publish(apply(db, seq, payload, payload.length));
  }

  /** Writer (and replay) only: applies a LIST record to the current state; the caller publishes. */
  private static State apply(HashDatabase db, long seq, byte[] payload, int len) throws IOException {
    ListChangeFormat.Reader r = new ListChangeFormat.Reader(payload, 0, len);
    State s = db.state();
    int listId = db.listRegistry().idOf(r.list);
    RoaringBitmap[] members = s.members().length > listId ? s.members().clone()
        : java.util.Arrays.copyOf(s.members(), listId + 1);
    RoaringBitmap list = listId < s.members().length && s.members()[listId] != null
        ? s.members()[listId].clone() : new RoaringBitmap();
    for (int i = s.members().length; i < members.length; i++) {
      if (members[i] == null) {
        members[i] = new RoaringBitmap();
      }
    }
    // Removals first, decided against the state before the change (the adds are not on it).
    HashType[] types = HashType.values();
    RoaringBitmap[] removed = s.removed().clone();
    boolean[] copied = new boolean[types.length];
    for (int i = 0; i < r.removes(); i++) {
      NewEntry e = r.nextRemoval();
      int ord = liveOn(db, s, e.type(), e.value(), listId);
      if (ord < 0) {
        throw new IOException("LIST record at sequence " + seq + " removes a value not on list " + r.list);
      }
      int t = e.type().ordinal();
      if (!copied[t]) {
        removed[t] = removed[t].clone();
        copied[t] = true;
      }
      removed[t].add(ord);
      list.remove(EntryIds.of(e.type(), ord));
    }
    if (r.nextRemoval() != null) {
      throw new IOException("LIST record at sequence " + seq + " has more removals than counted");
    }
    ListChangeFormat.Reader adds = new ListChangeFormat.Reader(payload, 0, len);
    int[] visible = s.visible().clone();
    for (NewEntry e = adds.nextAdd(); e != null; e = adds.nextAdd()) {
      int ord = db.appendEntry(e, listId, adds.addedAtSeconds);
      visible[e.type().ordinal()] = ord + 1;
      list.add(EntryIds.of(e.type(), ord));
    }
    list.runOptimize();
    members[listId] = list;
    db.releaseLedger().record(r.list, r.mark);
    return new State(seq, db.listRegistry().current(), visible, removed, members);
  }
}
