package org.hashdb.core.db;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hashdb.core.hash.HashType;

/**
 * Payloads of the write-ahead log records the database writes (the log adds sequence, time,
 * kind and CRC around them). Big-endian; {@code str} is a u16 byte length then UTF-8.
 *
 * <pre>
 * kind 1 ADD:    u32 addedAtSeconds, u32 count, count x { u8 type, value[type.byteLength], [frames], str list, str category, str source }
 *                 frames, for type vpdq only: u32 n, n x 32-byte PDQ hash (the canonical frame set)
 * kind 2 REMOVE: u8 type, value[type.byteLength], str list ("" = every list)
 * kind 3 LIST:   one list changed by a release, adds and removals together ({@link ListChangeFormat})
 * </pre>
 *
 * Replaying the records in sequence order on the snapshot they follow rebuilds exactly the same
 * entries with the same ids: ADD holds only entries that were new when it was logged.
 */
final class ChangeFormat {
  static final byte KIND_ADD = 1;
  static final byte KIND_REMOVE = 2;
  static final byte KIND_LIST = 3;

  /** Longest string field in bytes (u16). */
  static final int MAX_STRING_BYTES = 0xffff;

  private ChangeFormat() {}

  static byte[] encodeAdd(long addedAtSeconds, List<NewEntry> entries) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + entries.size() * 96);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt((int) addedAtSeconds);
      out.writeInt(entries.size());
      StringCache strings = new StringCache();
      for (NewEntry e : entries) {
        out.writeByte(e.type().ordinal());
        out.write(e.value());
        if (e.type().isVideo()) {
          out.writeInt(e.frames().length / 32);
          out.write(e.frames());
        }
        strings.write(out, e.list(), 0);
        strings.write(out, e.category(), 1);
        strings.write(out, e.source(), 2);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static byte[] encodeRemove(HashType type, byte[] value, String list) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(type.ordinal());
      out.write(value);
      writeString(out, list == null ? "" : list);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Decoded ADD payload. */
  record Add(long addedAtSeconds, List<NewEntry> entries) {}

  static Add decodeAdd(byte[] payload) throws IOException {
    DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload));
    long addedAt = Integer.toUnsignedLong(in.readInt());
    int count = in.readInt();
    if (count < 0) {
      throw new IOException("ADD record with negative count " + count);
    }
    List<NewEntry> entries = new ArrayList<>(Math.min(count, 1 << 16));
    for (int i = 0; i < count; i++) {
      HashType type = readType(in);
      byte[] value = new byte[type.byteLength()];
      in.readFully(value);
      byte[] frames = type.isVideo() ? readFrames(in) : null;
      entries.add(new NewEntry(type, value, readString(in), readString(in), readString(in), frames));
    }
    if (in.available() != 0) {
      throw new IOException("ADD record has " + in.available() + " trailing bytes");
    }
    return new Add(addedAt, entries);
  }

  static NewEntry decodeRemove(byte[] payload) throws IOException {
    DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload));
    HashType type = readType(in);
    byte[] value = new byte[type.byteLength()];
    in.readFully(value);
    String list = readString(in);
    if (in.available() != 0) {
      throw new IOException("REMOVE record has " + in.available() + " trailing bytes");
    }
    return new NewEntry(type, value, list, "", "");
  }

  private static byte[] readFrames(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 1 || n > EntryValidator.MAX_VIDEO_FRAMES || (long) n * 32 > in.available()) {
      throw new IOException("ADD record with a video of " + Integer.toUnsignedString(n) + " frames");
    }
    byte[] frames = new byte[n * 32];
    in.readFully(frames);
    return frames;
  }

  private static HashType readType(DataInputStream in) throws IOException {
    int t = in.readUnsignedByte();
    if (t >= HashType.values().length) {
      throw new IOException("unknown hash type ordinal " + t);
    }
    return HashType.ofOrdinal(t);
  }

  /** Remembers the encoding of the last string per field: batches repeat them. */
  private static final class StringCache {
    private final String[] last = new String[3];
    private final byte[][] bytes = new byte[3][];

    void write(DataOutputStream out, String s, int field) throws IOException {
      if (!s.equals(last[field])) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > MAX_STRING_BYTES) {
          throw new IllegalArgumentException("string longer than " + MAX_STRING_BYTES + " bytes");
        }
        last[field] = s;
        bytes[field] = b;
      }
      out.writeShort(bytes[field].length);
      out.write(bytes[field]);
    }
  }

  static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length > MAX_STRING_BYTES) {
      throw new IllegalArgumentException("string longer than " + MAX_STRING_BYTES + " bytes");
    }
    out.writeShort(b.length);
    out.write(b);
  }

  static String readString(DataInputStream in) throws IOException {
    int n = in.readUnsignedShort();
    byte[] b = new byte[n];
    in.readFully(b);
    String s = new String(b, StandardCharsets.UTF_8);
    // Strings are logged as valid UTF-8. Invalid bytes would decode to U+FFFD and replay (or go
    // out on the change feed) as different text than was logged: refuse them as damage. The
    // check costs nothing unless the text holds U+FFFD.
    if (s.indexOf('\uFFFD') >= 0 && !java.util.Arrays.equals(s.getBytes(StandardCharsets.UTF_8), b)) {
      throw new IOException("log record holds a string that is not valid UTF-8");
    }
    return s;
  }
}
