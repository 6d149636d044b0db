package org.hashdb.core.store;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.persist.CorruptDataException;
import org.hashdb.core.persist.SnapshotReader;
import org.hashdb.core.persist.SnapshotWriter;
import org.roaringbitmap.RoaringBitmap;

/**
 * What a database puts in the sections of a snapshot file (the container — header, section
 * framing, CRC32C, atomic rename — is {@code org.hashdb.core.persist}). Big-endian.
 *
 * <pre>
 * section 1  CONTENT:    u32 content version (1), u32 number of hash types, per type u32 entry count
 * section 2  LISTS:      u32 n, n x str   (list names by id)
 * section 3  CATEGORIES: u32 n, n x str   (category dictionary by id; id 0 = "")
 * section 4  SOURCES:    u32 n, n x str
 * per type t (ordinal), with base = 16 + 8t, n = entry count of t:
 *   base+0 VALUES   n x value (type.byteLength bytes)
 *   base+1 LISTS    n x u16 list id
 *   base+2 CATS     n x i32 category id
 *   base+3 SOURCES  n x i32 source id
 *   base+4 ADDED    n x u32 Unix seconds
 *   base+5 REMOVED  RoaringBitmap (portable serialisation) of removed ordinals
 * </pre>
 *
 * List membership bitmaps are not stored: loading rebuilds them from the list column.
 */
final class SnapshotCodec {
  static final int CONTENT_VERSION = 1;
  static final int SECTION_CONTENT = 1;
  static final int SECTION_LISTS = 2;
  static final int SECTION_CATEGORIES = 3;
  static final int SECTION_SOURCES = 4;

  private static final int CHUNK = 1 << 16; // entries per read/write chunk

  private SnapshotCodec() {}

  static int section(HashType t, int k) {
    return 16 + 8 * t.ordinal() + k;
  }

  /** What a snapshot holds, captured under the writer lock; writing it needs no lock. */
  record Capture(State state, int categories, int sources) {
    long sequence() {
      return state.sequence();
    }
  }

  /** Caller holds the writer lock. */
  static Capture capture(HashDatabase db) {
    return new Capture(db.state(), db.categories().size(), db.sources().size());
  }

  /** Writes a consistent snapshot of {@code db} to {@code file}; returns its sequence. */
  static long export(HashDatabase db, Path file) throws IOException {
    Capture c;
    db.writeLock().lock();
    try {
      c = capture(db);
    } finally {
      db.writeLock().unlock();
    }
    // The writer names its file after the sequence: write in a private folder beside the
    // target, then move it into place.
    Path parent = file.toAbsolutePath().getParent();
    Path tmp = java.nio.file.Files.createTempDirectory(parent, ".export-");
    try {
      Path written;
      try (SnapshotWriter w = SnapshotWriter.create(tmp, c.sequence())) {
        write(db, c, w);
        written = w.commit();
      }
      java.nio.file.Files.move(written, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } finally {
      try (var left = java.nio.file.Files.list(tmp)) {
        for (Path p : (Iterable<Path>) left::iterator) {
          java.nio.file.Files.deleteIfExists(p);
        }
      }
      java.nio.file.Files.deleteIfExists(tmp);
    }
    return c.sequence();
  }

  static void write(HashDatabase db, Capture c, SnapshotWriter w) throws IOException {
    State s = c.state();
    HashType[] types = HashType.values();
    try (DataOutputStream out = section(w, SECTION_CONTENT)) {
      out.writeInt(CONTENT_VERSION);
      out.writeInt(types.length);
      for (HashType t : types) {
        out.writeInt(s.visible()[t.ordinal()]);
      }
    }
    w.endSection();
    writeStrings(w, SECTION_LISTS, List.of(s.lists().names()));
    writeStrings(w, SECTION_CATEGORIES, db.categories().prefix(c.categories()));
    writeStrings(w, SECTION_SOURCES, db.sources().prefix(c.sources()));
    for (HashType t : types) {
      writeType(db.store(t), s.visible()[t.ordinal()], s.removed()[t.ordinal()], w);
    }
  }

  private static DataOutputStream section(SnapshotWriter w, int id) throws IOException {
    OutputStream raw = w.beginSection(id);
    return new DataOutputStream(new BufferedOutputStream(new NonClosing(raw), 1 << 16));
  }

  private static void writeStrings(SnapshotWriter w, int id, List<String> strings) throws IOException {
    try (DataOutputStream out = section(w, id)) {
      out.writeInt(strings.size());
      for (String s : strings) {
        ChangeFormat.writeString(out, s);
      }
    }
    w.endSection();
  }

  private static void writeType(TypeStore ts, int n, RoaringBitmap removed, SnapshotWriter w)
      throws IOException {
    int len = ts.type.byteLength();
    byte[] buf = new byte[CHUNK * len];
    try (DataOutputStream out = section(w, section(ts.type, 0))) {
      for (int start = 0; start < n; start += CHUNK) {
        int m = Math.min(CHUNK, n - start);
        for (int i = 0; i < m; i++) {
          ts.copyValue(start + i, buf, i * len);
        }
        out.write(buf, 0, m * len);
      }
    }
    w.endSection();
    try (DataOutputStream out = section(w, section(ts.type, 1))) {
      for (int i = 0; i < n; i++) {
        out.writeShort(ts.listIds.get(i));
      }
    }
    w.endSection();
    writeIntColumn(w, section(ts.type, 2), ts.categoryIds, n);
    writeIntColumn(w, section(ts.type, 3), ts.sourceIds, n);
    writeIntColumn(w, section(ts.type, 4), ts.addedAt, n);
    try (DataOutputStream out = section(w, section(ts.type, 5))) {
      removed.serialize(out);
    }
    w.endSection();
  }

  private static void writeIntColumn(SnapshotWriter w, int id, IntColumn col, int n) throws IOException {
    try (DataOutputStream out = section(w, id)) {
      for (int i = 0; i < n; i++) {
        out.writeInt(col.get(i));
      }
    }
    w.endSection();
  }

  // ------------------------------------------------------------------ loading

  /** Loads a snapshot into an empty database and publishes its state. */
  static void load(HashDatabase db, SnapshotReader r, Path file) throws IOException {
    HashType[] types = HashType.values();
    int[] counts = null;
    RoaringBitmap[] removed = new RoaringBitmap[types.length];
    int[] sectionsSeen = new int[16 + 8 * types.length];
    while (r.nextSection()) {
      int id = r.sectionId();
      if (id < 0 || id >= sectionsSeen.length) {
        throw corrupt(file, "unknown section id " + id);
      }
      sectionsSeen[id]++;
      try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(r.sectionStream(), 1 << 16))) {
        if (id == SECTION_CONTENT) {
          int version = in.readInt();
          if (version != CONTENT_VERSION) {
            throw corrupt(file, "content version " + version + ", this build reads " + CONTENT_VERSION);
          }
          int nt = in.readInt();
          if (nt > types.length) {
            throw corrupt(file, nt + " hash types, this build knows " + types.length);
          }
          counts = new int[types.length];
          for (int t = 0; t < nt; t++) {
            counts[t] = in.readInt();
            if (counts[t] < 0 || counts[t] > EntryIds.MAX_PER_TYPE) {
              throw corrupt(file, "entry count " + counts[t] + " out of range");
            }
          }
        } else if (id == SECTION_LISTS) {
          for (String name : readStrings(in)) {
            db.listRegistry().idOf(name);
          }
        } else if (id == SECTION_CATEGORIES) {
          internAll(db.categories(), readStrings(in), file);
        } else if (id == SECTION_SOURCES) {
          internAll(db.sources(), readStrings(in), file);
        } else if (id >= 16) {
          if (counts == null) {
            throw corrupt(file, "type section before the content section");
          }
          HashType t = types[(id - 16) / 8];
          int k = (id - 16) % 8;
          int n = counts[t.ordinal()];
          if (k == 5) {
            RoaringBitmap b = new RoaringBitmap();
            b.deserialize(in);
            removed[t.ordinal()] = b;
          } else {
            loadColumn(db.store(t), k, n, in, file);
          }
        }
        if (in.read() >= 0) {
          throw corrupt(file, "section " + id + " is longer than its content");
        }
      } catch (EOFException e) {
        throw corrupt(file, "section " + id + " ends early");
      }
    }
    if (counts == null) {
      throw corrupt(file, "no content section");
    }
    int[] visible = new int[types.length];
    for (HashType t : types) {
      TypeStore ts = db.store(t);
      int n = counts[t.ordinal()];
      if (ts.size() != n || ts.categoryIds.size() != n || ts.sourceIds.size() != n
          || ts.addedAt.size() != n || valueCount(ts) != n) {
        throw corrupt(file, t + " columns do not all hold " + n + " entries");
      }
      visible[t.ordinal()] = n;
      if (removed[t.ordinal()] == null) {
        throw corrupt(file, "missing removed-set section of " + t);
      }
    }
    db.publish(new State(r.sequence(), db.listRegistry().current(), visible, removed,
        membership(db, visible, removed, file)));
  }

  private static int valueCount(TypeStore ts) {
    return ts.type.isExact() ? ts.exactIndex().size() : ts.pdqIndex().size();
  }

  private static RoaringBitmap[] membership(HashDatabase db, int[] visible, RoaringBitmap[] removed,
      Path file) throws IOException {
    int lists = db.listRegistry().current().size();
    RoaringBitmap[] members = new RoaringBitmap[lists];
    for (int i = 0; i < lists; i++) {
      members[i] = new RoaringBitmap();
    }
    for (HashType t : HashType.values()) {
      TypeStore ts = db.store(t);
      RoaringBitmap gone = removed[t.ordinal()];
      for (int o = 0; o < visible[t.ordinal()]; o++) {
        int listId = ts.listIds.get(o);
        if (listId >= lists) {
          throw corrupt(file, t + " entry " + o + " names list id " + listId + " of " + lists);
        }
        if (!gone.contains(o)) {
          members[listId].add(EntryIds.of(t, o));
        }
      }
    }
    for (RoaringBitmap b : members) {
      b.runOptimize();
    }
    return members;
  }

  private static void loadColumn(TypeStore ts, int k, int n, DataInputStream in, Path file)
      throws IOException {
    int width = switch (k) {
      case 0 -> ts.type.byteLength();
      case 1 -> 2;
      default -> 4;
    };
    byte[] buf = new byte[CHUNK * width];
    for (int start = 0; start < n; start += CHUNK) {
      int m = Math.min(CHUNK, n - start);
      in.readFully(buf, 0, m * width);
      if (k == 0) {
        if (ts.type.isExact()) {
          ts.exactIndex().appendAll(buf, 0, m);
        } else {
          ts.pdqIndex().appendAll(buf, 0, m);
        }
        continue;
      }
      ByteBuffer bb = ByteBuffer.wrap(buf, 0, m * width);
      for (int i = 0; i < m; i++) {
        switch (k) {
          case 1 -> ts.listIds.append(bb.getChar());
          case 2 -> ts.categoryIds.append(bb.getInt());
          case 3 -> ts.sourceIds.append(bb.getInt());
          case 4 -> ts.addedAt.append(bb.getInt());
          default -> throw corrupt(file, "unknown column " + k + " of " + ts.type);
        }
      }
    }
  }

  private static List<String> readStrings(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      throw new EOFException();
    }
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      out[i] = ChangeFormat.readString(in);
    }
    return List.of(out);
  }

  private static void internAll(StringDictionary dict, List<String> strings, Path file)
      throws IOException {
    for (int i = 0; i < strings.size(); i++) {
      if (dict.intern(strings.get(i)) != i) {
        throw corrupt(file, "duplicate dictionary string at id " + i);
      }
    }
  }

  private static CorruptDataException corrupt(Path file, String what) {
    return new CorruptDataException(file, -1, what);
  }

  /** Keeps the section stream open when the buffered wrapper is closed. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
