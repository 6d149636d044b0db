package org.hashdb.core.db;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hashdb.core.exact.ExactIndex;
import org.hashdb.core.pdq.PdqIndex;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.disk.CorruptDataException;
import org.hashdb.core.disk.SectionInputStream;
import org.hashdb.core.disk.SectionOutputStream;
import org.hashdb.core.disk.SnapshotReader;
import org.hashdb.core.disk.SnapshotWriter;
import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.RoaringBitmapWriter;

/**
 * What a database puts in the sections of a snapshot file (the container — header, section
 * framing, CRC32C, atomic rename — is {@code org.hashdb.core.disk}). Little-endian, so that
 * columns move between the file and the in-memory pages as bulk copies ({@link
 * SectionInputStream#readInts} and friends), with no per-value decoding.
 *
 * <pre>
 * section 1  CONTENT:    u32 content version (2), u32 number of hash types, per type u32 entry count
 * section 2  LISTS:      u32 n, n x str   (list names by id)
 * section 3  CATEGORIES: u32 n, n x str   (category dictionary by id; id 0 = "")
 * section 4  SOURCES:    u32 n, n x str
 * section 5  RELEASES:   u32 n, n x str "&lt;list&gt; &lt;signer key id&gt; &lt;highest release number&gt;"
 *                        (absent in snapshots from before releases were tracked: none imported)
 * section 6  DIGEST:     32 bytes, the {@link StateDigest} at the snapshot's sequence (written
 *                        first; a snapshot without it loads with the base digest of its sequence)
 * per type t (ordinal), with base = 16 + 8t, n = entry count of t:
 *   base+0 VALUES   n x value (type.byteLength bytes)
 *   base+1 LISTS    n x u16 list id
 *   base+2 CATS     n x i32 category id
 *   base+3 SOURCES  n x i32 source id
 *   base+4 ADDED    n x u32 Unix seconds
 *   base+5 REMOVED  RoaringBitmap (portable serialisation) of removed ordinals
 *   base+6 FRAME COUNTS  vpdq only: n x u32 frames per video
 *   base+7 FRAMES        vpdq only: the videos' frame hashes, 32 bytes each, video after video
 * A snapshot written before a type existed (fewer types in CONTENT) loads with that type empty:
 * data directories from before vpdq open unchanged.
 * str = u16 byte length, UTF-8 bytes
 * </pre>
 *
 * List membership bitmaps are not stored: loading rebuilds them from the list column. Version 1
 * was the same layout big-endian; it was never deployed, so it is not read.
 */
final class SnapshotCodec {
  static final int CONTENT_VERSION = 2;
  static final int SECTION_CONTENT = 1;
  static final int SECTION_LISTS = 2;
  static final int SECTION_CATEGORIES = 3;
  static final int SECTION_SOURCES = 4;
  static final int SECTION_RELEASES = 5;
  static final int SECTION_DIGEST = 6;

  private static final int CHUNK = 1 << 16; // entries per read/write chunk
  /** Exact values per insert batch when loading: dense enough that it sorts well (32 MB). */
  private static final int VALUE_BATCH = 1 << 20;
  /** Runs of at least this many entries on one list enter its bitmap as one range. */
  private static final int MIN_RANGE = 16;
  private static final int MAX_VALUE_BYTES = maxValueBytes();

  private SnapshotCodec() {}

  private static int maxValueBytes() {
    int max = 0;
    for (HashType t : HashType.values()) {
      max = Math.max(max, t.byteLength());
    }
    return max;
  }

  static int section(HashType t, int k) {
    return 16 + 8 * t.ordinal() + k;
  }

  /** What a snapshot holds, captured under the writer lock; writing it needs no lock. */
  record Capture(State state, int categories, int sources, java.util.Map<String, Long> releases,
      byte[] digest) {
    long sequence() {
      return state.sequence();
    }
  }

  /** Caller holds the writer lock. */
  static Capture capture(HashDatabase db) {
    return new Capture(db.state(), db.categories().size(), db.sources().size(),
        db.releaseLedger().copy(), db.currentDigestLocked());
  }

  /** Writes a consistent snapshot of {@code db} to {@code file}; returns its sequence and digest. */
  static StateDigest.At export(HashDatabase db, Path file, org.hashdb.core.disk.MasterKeys keys)
      throws IOException {
    Capture c;
    db.writeLock().lock();
    try {
      c = capture(db);
    } finally {
      db.writeLock().unlock();
    }
    // A change is applied just before its fsync: export only once everything captured is
    // durable, so that a backup or replica never holds a change the log could still lose.
    db.awaitDurable(c.sequence());
    // The writer names its file after the sequence: write in a private folder beside the
    // target, then move it into place.
    Path parent = file.toAbsolutePath().getParent();
    Path tmp = java.nio.file.Files.createTempDirectory(parent, ".export-");
    try {
      Path written;
      org.hashdb.core.disk.FileIo io = db.storage() == null
          ? org.hashdb.core.disk.FileIo.system() : db.storage().io();
      try (SnapshotWriter w = SnapshotWriter.create(tmp, c.sequence(), System.currentTimeMillis(),
          io, keys)) {
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
    return new StateDigest.At(c.sequence(), c.digest());
  }

  static void write(HashDatabase db, Capture c, SnapshotWriter w) throws IOException {
    State s = c.state();
    HashType[] types = HashType.values();
    SectionOutputStream out = w.beginSection(SECTION_DIGEST);
    out.write(c.digest(), 0, StateDigest.BYTES);
    w.endSection();
    out = w.beginSection(SECTION_CONTENT);
    out.writeInt(CONTENT_VERSION);
    out.writeInt(types.length);
    for (HashType t : types) {
      out.writeInt(s.visible()[t.ordinal()]);
    }
    w.endSection();
    writeStrings(w, SECTION_LISTS, List.of(s.lists().names()));
    writeStrings(w, SECTION_CATEGORIES, db.categories().prefix(c.categories()));
    writeStrings(w, SECTION_SOURCES, db.sources().prefix(c.sources()));
    List<String> releases = new ArrayList<>();
    c.releases().forEach((key, number) -> releases.add(key + " " + number));
    writeStrings(w, SECTION_RELEASES, releases);
    Scratch scratch = new Scratch();
    for (HashType t : types) {
      writeType(db.store(t), s.visible()[t.ordinal()], s.removed()[t.ordinal()], w, scratch);
    }
  }

  private static void writeStrings(SnapshotWriter w, int id, List<String> strings)
      throws IOException {
    SectionOutputStream out = w.beginSection(id);
    out.writeInt(strings.size());
    for (String s : strings) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      if (b.length > ChangeFormat.MAX_STRING_BYTES) { // the dictionaries only admit shorter ones
        throw new IllegalStateException("string longer than " + ChangeFormat.MAX_STRING_BYTES + " bytes");
      }
      out.writeShort(b.length);
      out.write(b);
    }
    w.endSection();
  }

  private static void writeType(TypeStore ts, int n, RoaringBitmap removed, SnapshotWriter w,
      Scratch scratch) throws IOException {
    int len = ts.type.byteLength();
    byte[] values = scratch.values;
    SectionOutputStream out = w.beginSection(section(ts.type, 0));
    for (int start = 0; start < n; start += CHUNK) {
      int m = Math.min(CHUNK, n - start);
      if (ts.type.isExact()) {
        ts.exactIndex().copyKeys(start, m, values, 0);
      } else {
        for (int i = 0; i < m; i++) {
          ts.pdqIndex().copyHash(start + i, values, i * len);
        }
      }
      out.write(values, 0, m * len);
    }
    w.endSection();
    out = w.beginSection(section(ts.type, 1));
    for (int start = 0; start < n; start += CHUNK) {
      int m = Math.min(CHUNK, n - start);
      ts.listIds.copyTo(start, scratch.chars, 0, m);
      out.writeChars(scratch.chars, 0, m);
    }
    w.endSection();
    writeIntColumn(w, section(ts.type, 2), ts.categoryIds, n, scratch.ints);
    writeIntColumn(w, section(ts.type, 3), ts.sourceIds, n, scratch.ints);
    writeIntColumn(w, section(ts.type, 4), ts.addedAt, n, scratch.ints);
    byte[] bitmap = new byte[removed.serializedSizeInBytes()];
    removed.serialize(ByteBuffer.wrap(bitmap).order(ByteOrder.LITTLE_ENDIAN));
    out = w.beginSection(section(ts.type, 5));
    out.write(bitmap, 0, bitmap.length);
    w.endSection();
    if (ts.video() != null) {
      writeFrames(ts.video(), n, w, scratch);
    }
  }

  private static void writeFrames(VideoFrames vf, int videos, SnapshotWriter w, Scratch scratch)
      throws IOException {
    writeIntColumn(w, section(HashType.VPDQ, 6), vf.frameCount, videos, scratch.ints);
    // Only the frames of the captured videos: later ones may be appended meanwhile.
    int frames = videos == 0 ? 0 : vf.firstFrame.get(videos - 1) + vf.frameCount.get(videos - 1);
    SectionOutputStream out = w.beginSection(section(HashType.VPDQ, 7));
    byte[] values = scratch.values;
    for (int start = 0; start < frames; start += CHUNK) {
      int m = Math.min(CHUNK, frames - start);
      for (int i = 0; i < m; i++) {
        vf.index.copyHash(start + i, values, i * 32);
      }
      out.write(values, 0, m * 32);
    }
    w.endSection();
  }

  private static void writeIntColumn(SnapshotWriter w, int id, IntColumn col, int n, int[] buf)
      throws IOException {
    SectionOutputStream out = w.beginSection(id);
    for (int start = 0; start < n; start += CHUNK) {
      int m = Math.min(CHUNK, n - start);
      col.copyTo(start, buf, 0, m);
      out.writeInts(buf, 0, m);
    }
    w.endSection();
  }

  /** Chunk buffers shared by the sections of one snapshot. */
  private static final class Scratch {
    final byte[] values = new byte[CHUNK * MAX_VALUE_BYTES];
    final char[] chars = new char[CHUNK];
    final int[] ints = new int[CHUNK];
  }

  // ------------------------------------------------------------------ loading

  /** Loads a snapshot into an empty database and publishes its state. */
  static void load(HashDatabase db, SnapshotReader r, Path file) throws IOException {
    HashType[] types = HashType.values();
    int[] counts = null;
    RoaringBitmap[] removed = new RoaringBitmap[types.length];
    int[] sectionsSeen = new int[16 + 8 * types.length];
    byte[] digest = null;
    Scratch scratch = new Scratch();
    while (r.nextSection()) {
      int id = r.sectionId();
      if (id < 0 || id >= sectionsSeen.length) {
        throw corrupt(file, "unknown section id " + id);
      }
      sectionsSeen[id]++;
      SectionInputStream in = r.sectionStream();
      try {
        if (id == SECTION_CONTENT) {
          int version = in.readInt();
          if (version != CONTENT_VERSION) {
            throw corrupt(file, "content version " + version + ", this build reads " + CONTENT_VERSION);
          }
          int nt = in.readInt();
          if (nt < 0 || nt > types.length) {
            throw corrupt(file, nt + " hash types, this build knows " + types.length);
          }
          counts = new int[types.length];
          for (int t = nt; t < types.length; t++) {
            removed[t] = new RoaringBitmap(); // a type this snapshot predates: empty
          }
          for (int t = 0; t < nt; t++) {
            counts[t] = in.readInt();
            if (counts[t] < 0 || counts[t] > EntryIds.MAX_PER_TYPE) {
              throw corrupt(file, "entry count " + counts[t] + " out of range");
            }
          }
        } else if (id == SECTION_LISTS) {
          for (String name : readStrings(in, file)) {
            db.listRegistry().idOf(name);
          }
        } else if (id == SECTION_CATEGORIES) {
          internAll(db.categories(), readStrings(in, file), file);
        } else if (id == SECTION_SOURCES) {
          internAll(db.sources(), readStrings(in, file), file);
        } else if (id == SECTION_RELEASES) {
          db.releaseLedger().restore(releases(readStrings(in, file), file));
        } else if (id == SECTION_DIGEST) {
          digest = new byte[StateDigest.BYTES];
          in.readFully(digest, 0, digest.length);
        } else if (id >= 16) {
          if (counts == null) {
            throw corrupt(file, "type section before the content section");
          }
          HashType t = types[(id - 16) / 8];
          int k = (id - 16) % 8;
          int n = counts[t.ordinal()];
          if (k == 5) {
            removed[t.ordinal()] = readBitmap(in, n, file);
          } else if (k >= 6 && db.store(t).video() != null) {
            loadFrames(db.store(t).video(), k, n, in, scratch, file);
          } else {
            loadColumn(db.store(t), k, n, in, scratch, file);
          }
        }
        if (in.remaining() != 0) {
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
      VideoFrames vf = ts.video();
      if (vf != null && (vf.frameCount.size() != n || vf.index.size() != vf.videoOf.size())) {
        throw corrupt(file, t + " frame sections do not match its " + n + " entries");
      }
      visible[t.ordinal()] = n;
      if (removed[t.ordinal()] == null) {
        throw corrupt(file, "missing removed-set section of " + t);
      }
    }
    db.publish(new State(r.sequence(), db.listRegistry().current(), visible, removed,
        membership(db, visible, removed, file)));
    db.startDigest(r.sequence(), digest != null ? digest : StateDigest.base(r.sequence()));
  }

  private static int valueCount(TypeStore ts) {
    return ts.type.isExact() ? ts.exactIndex().size() : ts.pdqIndex().size();
  }

  /**
   * Rebuilds the per-list bitmaps from the list column: each run of entries on one list is added
   * as a range (one list per type is the common case: one range), in increasing id order through
   * a {@link RoaringBitmapWriter}; removed entries are subtracted at the end.
   */
  private static RoaringBitmap[] membership(HashDatabase db, int[] visible, RoaringBitmap[] removed,
      Path file) throws IOException {
    int lists = db.listRegistry().current().size();
    List<RoaringBitmapWriter<RoaringBitmap>> writers = new ArrayList<>(lists);
    for (int i = 0; i < lists; i++) {
      writers.add(RoaringBitmapWriter.writer().runCompress(true).get());
    }
    RoaringBitmap gone = new RoaringBitmap(); // removed entry ids of all types
    for (HashType t : HashType.values()) {
      ShortColumn col = db.store(t).listIds;
      int n = visible[t.ordinal()];
      long base = Integer.toUnsignedLong(EntryIds.of(t, 0));
      for (int o = 0; o < n; ) {
        int listId = col.get(o);
        if (listId >= lists) {
          throw corrupt(file, t + " entry " + o + " names list id " + listId + " of " + lists);
        }
        int end = col.runEnd(o, n);
        RoaringBitmapWriter<RoaringBitmap> w = writers.get(listId);
        if (end - o >= MIN_RANGE) {
          w.add(base + o, base + end);
        } else {
          for (int i = o; i < end; i++) {
            w.add((int) base + i);
          }
        }
        o = end;
      }
      if (!removed[t.ordinal()].isEmpty()) {
        gone.or(RoaringBitmap.addOffset(removed[t.ordinal()], base));
      }
    }
    RoaringBitmap[] members = new RoaringBitmap[lists];
    for (int i = 0; i < lists; i++) {
      members[i] = writers.get(i).get();
      if (!gone.isEmpty()) {
        members[i].andNot(gone);
      }
      members[i].runOptimize();
    }
    return members;
  }

  private static void loadColumn(TypeStore ts, int k, int n, SectionInputStream in, Scratch scratch,
      Path file) throws IOException {
    if (k == 0) {
      loadValues(ts, n, in, scratch.values);
      return;
    }
    if (k > 4) {
      throw corrupt(file, "unknown column " + k + " of " + ts.type);
    }
    for (int start = 0; start < n; start += CHUNK) {
      int m = Math.min(CHUNK, n - start);
      if (k == 1) {
        in.readChars(scratch.chars, 0, m);
        ts.listIds.appendAll(scratch.chars, 0, m);
      } else {
        in.readInts(scratch.ints, 0, m);
        IntColumn col = k == 2 ? ts.categoryIds : k == 3 ? ts.sourceIds : ts.addedAt;
        col.appendAll(scratch.ints, 0, m);
      }
    }
  }

  /** The frame sections of vpdq: counts (k 6), then the hashes (k 7), bounded by the counts. */
  private static void loadFrames(VideoFrames vf, int k, int n, SectionInputStream in, Scratch scratch,
      Path file) throws IOException {
    if (k == 6) {
      long total = 0;
      for (int start = 0; start < n; start += CHUNK) {
        int m = Math.min(CHUNK, n - start);
        in.readInts(scratch.ints, 0, m);
        for (int i = 0; i < m; i++) {
          int c = scratch.ints[i];
          if (c < 1 || c > EntryValidator.MAX_VIDEO_FRAMES) {
            throw corrupt(file, "video with " + Integer.toUnsignedString(c) + " frames");
          }
          total += c;
        }
        if (total > Integer.MAX_VALUE - 8) {
          throw corrupt(file, "more video frames than the index holds");
        }
        vf.loadCounts(scratch.ints, 0, m);
      }
      return;
    }
    long frames = vf.videoOf.size();
    if (vf.frameCount.size() != n || in.remaining() != frames * 32) {
      throw corrupt(file, "video frame section does not match the frame counts");
    }
    for (int start = 0; start < frames; start += CHUNK) {
      int m = (int) Math.min(CHUNK, frames - start);
      in.readFully(scratch.values, 0, m * 32);
      vf.index.appendUnindexed(scratch.values, 0, m);
    }
    vf.index.buildIndex();
  }

  private static void loadValues(TypeStore ts, int n, SectionInputStream in, byte[] chunk)
      throws IOException {
    int len = ts.type.byteLength();
    if (!ts.type.isExact()) {
      PdqIndex index = ts.pdqIndex();
      for (int start = 0; start < n; start += CHUNK) {
        int m = Math.min(CHUNK, n - start);
        in.readFully(chunk, 0, m * len);
        index.appendUnindexed(chunk, 0, m);
      }
      index.buildIndex(); // once over everything, not once per chunk
      return;
    }
    // Size the table once instead of doubling from tiny (n <= EntryIds.MAX_PER_TYPE), and
    // insert big batches: the index writes its table in slot order then, not at random.
    ExactIndex index = ts.exactIndex();
    index.ensureCapacity(Math.min(n, ExactIndex.MAX_SIZE));
    byte[] buf = n <= CHUNK ? chunk : new byte[Math.min(n, VALUE_BATCH) * len];
    int batch = buf.length / len;
    for (int start = 0; start < n; start += batch) {
      int m = Math.min(batch, n - start);
      in.readFully(buf, 0, m * len);
      index.appendAllBulk(buf, 0, m);
    }
  }

  /** The removed-set section: read whole (its crc is then verified), then decoded and bounded. */
  private static RoaringBitmap readBitmap(SectionInputStream in, int n, Path file)
      throws IOException {
    long length = in.remaining();
    if (length > Integer.MAX_VALUE - 16) {
      throw corrupt(file, "removed-set section of " + length + " bytes");
    }
    byte[] bytes = new byte[(int) length];
    in.readFully(bytes, 0, bytes.length);
    ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    RoaringBitmap b = new RoaringBitmap();
    try {
      b.deserialize(bb);
    } catch (IOException | RuntimeException e) {
      throw corrupt(file, "removed-set bitmap does not decode: " + e);
    }
    if (b.serializedSizeInBytes() != bytes.length) { // deserialize does not move bb's position
      throw corrupt(file, "removed-set section is longer than its bitmap");
    }
    if (!b.isEmpty() && Integer.toUnsignedLong(b.last()) >= n) {
      throw corrupt(file, "removed-set names ordinal " + Integer.toUnsignedString(b.last())
          + " of " + n);
    }
    return b;
  }

  private static List<String> readStrings(SectionInputStream in, Path file) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.remaining() / Short.BYTES) { // bound before allocating
      throw corrupt(file, "string count " + Integer.toUnsignedString(n) + " exceeds the section");
    }
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      byte[] b = new byte[in.readUnsignedShort()];
      in.readFully(b, 0, b.length);
      out[i] = new String(b, StandardCharsets.UTF_8);
    }
    return List.of(out);
  }

  private static java.util.Map<String, Long> releases(List<String> lines, Path file)
      throws IOException {
    java.util.Map<String, Long> out = new java.util.HashMap<>();
    for (String l : lines) {
      int sp = l.lastIndexOf(' ');
      try {
        String key = l.substring(0, sp);
        new ReleaseMark(ReleaseLedger.signerOf(key), Long.parseLong(l.substring(sp + 1)), false);
        EntryValidator.checkListName(ReleaseLedger.listOf(key));
        out.put(key, Long.parseLong(l.substring(sp + 1)));
      } catch (RuntimeException e) {
        throw corrupt(file, "bad release record '" + l + "'");
      }
    }
    return out;
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
}
