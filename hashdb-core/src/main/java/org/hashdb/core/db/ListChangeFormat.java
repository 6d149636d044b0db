package org.hashdb.core.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.hashdb.core.hash.HashType;

/**
 * Payload of a LIST record ({@link ChangeFormat#KIND_LIST}): one list changed atomically by a
 * release, entries added and removed under one sequence number. Big-endian; {@code str} as in
 * {@link ChangeFormat}.
 *
 * <pre>
 * str list, u8 flags (1 full release, 2 release mark follows, 4 rollback allowed)
 * [str signer key id, u64 release number]                    when flags has 2
 * u32 addedAtSeconds
 * u32 adds,    adds x { u8 type, u8 same (1 category, 2 source as the row before), value,
 *                       [u32 n, n x 32-byte frame] for vpdq, [str category], [str source] }
 * u32 removes, removes x { u8 type, value }                   values removed from this list
 * </pre>
 *
 * An added row is an entry that was not on the list; a removed value was live on it. Added and
 * removed values are disjoint, so the order a follower applies them in does not matter. Rows are
 * written one by one into a growing buffer ({@link Writer}) and read one by one ({@link Reader}):
 * nothing holds an object per entry.
 */
final class ListChangeFormat {
  static final int FULL = 1;
  static final int MARK = 2;
  static final int ROLLBACK = 4;

  private ListChangeFormat() {}

  /** Encodes a LIST payload row by row; counts are patched in by {@link #finish}. */
  static final class Writer {
    private byte[] buf = new byte[256];
    private int size;
    private final int addCountAt;
    private int adds;
    private int removeCountAt = -1;
    private int removes;
    private String lastCategory;
    private String lastSource;

    Writer(String list, boolean full, ReleaseMark mark, long addedAtSeconds) {
      str(list);
      u8((full ? FULL : 0) | (mark != null ? MARK : 0)
          | (mark != null && mark.allowRollback() ? ROLLBACK : 0));
      if (mark != null) {
        str(mark.signer());
        u64(mark.number());
      }
      u32((int) addedAtSeconds);
      addCountAt = size;
      u32(0);
    }

    /** Appends an added entry; returns the offset of its value in {@link #bytes}. */
    int add(NewEntry e) {
      if (removeCountAt >= 0) {
        throw new IllegalStateException("adds come before removals");
      }
      boolean sameCategory = e.category().equals(lastCategory);
      boolean sameSource = e.source().equals(lastSource);
      u8(e.type().ordinal());
      u8((sameCategory ? 1 : 0) | (sameSource ? 2 : 0));
      int at = size;
      put(e.value(), 0, e.value().length);
      if (e.type().isVideo()) {
        u32(e.frames().length / 32);
        put(e.frames(), 0, e.frames().length);
      }
      if (!sameCategory) {
        str(e.category());
        lastCategory = e.category();
      }
      if (!sameSource) {
        str(e.source());
        lastSource = e.source();
      }
      adds++;
      return at;
    }

    /** Appends a removed value. */
    void remove(HashType type, byte[] value) {
      if (removeCountAt < 0) {
        removeCountAt = size;
        u32(0);
      }
      u8(type.ordinal());
      put(value, 0, type.byteLength());
      removes++;
    }

    /** Patches the counts; the payload is {@code bytes()[0..size())}. */
    void finish() {
      if (removeCountAt < 0) {
        removeCountAt = size;
        u32(0);
      }
      putInt(addCountAt, adds);
      putInt(removeCountAt, removes);
    }

    byte[] bytes() {
      return buf;
    }

    int size() {
      return size;
    }

    int adds() {
      return adds;
    }

    int removes() {
      return removes;
    }

    private void ensure(int n) {
      if ((long) size + n > Integer.MAX_VALUE - 16) {
        throw new IllegalStateException("list change larger than 2 GiB");
      }
      if (size + n > buf.length) {
        buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16, Math.max((long) buf.length * 3 / 2, size + n)));
      }
    }

    private void put(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, buf, size, len);
      size += len;
    }

    private void u8(int v) {
      ensure(1);
      buf[size++] = (byte) v;
    }

    private void u32(int v) {
      ensure(4);
      putInt(size, v);
      size += 4;
    }

    private void u64(long v) {
      u32((int) (v >>> 32));
      u32((int) v);
    }

    private void putInt(int at, int v) {
      buf[at] = (byte) (v >>> 24);
      buf[at + 1] = (byte) (v >>> 16);
      buf[at + 2] = (byte) (v >>> 8);
      buf[at + 3] = (byte) v;
    }

    private void str(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      if (b.length > ChangeFormat.MAX_STRING_BYTES) {
        throw new IllegalArgumentException("string longer than " + ChangeFormat.MAX_STRING_BYTES + " bytes");
      }
      ensure(2 + b.length);
      buf[size++] = (byte) (b.length >>> 8);
      buf[size++] = (byte) b.length;
      put(b, 0, b.length);
    }
  }

  /** The change feed's view of a LIST record. */
  static Change decode(long seq, long timeMillis, byte[] payload) throws IOException {
    Reader r = new Reader(payload, 0, payload.length);
    java.util.List<NewEntry> adds = new java.util.ArrayList<>(Math.min(r.adds, 1 << 16));
    for (NewEntry e = r.nextAdd(); e != null; e = r.nextAdd()) {
      adds.add(e);
    }
    java.util.List<NewEntry> removed = new java.util.ArrayList<>(Math.min(r.removes(), 1 << 16));
    for (NewEntry e = r.nextRemoval(); e != null; e = r.nextRemoval()) {
      removed.add(e);
    }
    return new Change(seq, timeMillis, Change.Kind.LIST, adds, r.list, r.full, r.mark, removed);
  }

  /** Decodes a LIST payload: the header at once, then adds and removals one at a time. */
  static final class Reader {
    private final java.io.DataInputStream in;
    final String list;
    final boolean full;
    final ReleaseMark mark;
    final long addedAtSeconds;
    final int adds;
    private int addsRead;
    private int removes = -1;
    private int removesRead;
    private String category = "";
    private String source = "";

    Reader(byte[] payload, int off, int len) throws IOException {
      in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(payload, off, len));
      list = ChangeFormat.readString(in);
      try {
        EntryValidator.checkListName(list);
      } catch (IllegalArgumentException e) {
        throw new IOException("LIST record with a bad list name");
      }
      int flags = in.readUnsignedByte();
      if ((flags & ~(FULL | MARK | ROLLBACK)) != 0) {
        throw new IOException("LIST record with unknown flags " + flags);
      }
      full = (flags & FULL) != 0;
      if ((flags & MARK) != 0) {
        String signer = ChangeFormat.readString(in);
        long number = in.readLong();
        try {
          mark = new ReleaseMark(signer, number, (flags & ROLLBACK) != 0);
        } catch (IllegalArgumentException e) {
          throw new IOException("LIST record with a bad release mark: " + e.getMessage());
        }
      } else {
        mark = null;
      }
      addedAtSeconds = Integer.toUnsignedLong(in.readInt());
      adds = in.readInt();
      if (adds < 0 || adds > in.available()) {
        throw new IOException("LIST record with " + Integer.toUnsignedString(adds) + " adds");
      }
    }

    /** The next added entry, or null after the last. */
    NewEntry nextAdd() throws IOException {
      if (addsRead == adds) {
        return null;
      }
      addsRead++;
      HashType type = readType();
      int same = in.readUnsignedByte();
      if ((same & ~3) != 0 || (addsRead == 1 && same != 0)) {
        throw new IOException("LIST record with a bad row flag " + same);
      }
      byte[] value = new byte[type.byteLength()];
      in.readFully(value);
      byte[] frames = null;
      if (type.isVideo()) {
        int n = in.readInt();
        if (n < 1 || n > EntryValidator.MAX_VIDEO_FRAMES || (long) n * 32 > in.available()) {
          throw new IOException("LIST record with a video of " + Integer.toUnsignedString(n) + " frames");
        }
        frames = new byte[n * 32];
        in.readFully(frames);
      }
      if ((same & 1) == 0) {
        category = ChangeFormat.readString(in);
      }
      if ((same & 2) == 0) {
        source = ChangeFormat.readString(in);
      }
      return new NewEntry(type, value, list, category, source, frames);
    }

    /** Removal count (after every add was read). */
    int removes() throws IOException {
      if (removes < 0) {
        while (nextAdd() != null) {
          // skip the adds
        }
        removes = in.readInt();
        if (removes < 0 || removes > in.available()) {
          throw new IOException("LIST record with " + Integer.toUnsignedString(removes) + " removals");
        }
      }
      return removes;
    }

    /** The next removed value (type, value, list; category and source ""), or null after the last. */
    NewEntry nextRemoval() throws IOException {
      if (removesRead == removes()) {
        if (in.available() != 0) {
          throw new IOException("LIST record has " + in.available() + " trailing bytes");
        }
        return null;
      }
      removesRead++;
      HashType type = readType();
      byte[] value = new byte[type.byteLength()];
      in.readFully(value);
      return new NewEntry(type, value, list, "", "");
    }

    private HashType readType() throws IOException {
      int t = in.readUnsignedByte();
      if (t >= HashType.values().length) {
        throw new IOException("unknown hash type ordinal " + t);
      }
      return HashType.ofOrdinal(t);
    }
  }
}
