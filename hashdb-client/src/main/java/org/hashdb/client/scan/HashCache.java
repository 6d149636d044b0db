package org.hashdb.client.scan;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.zip.CRC32C;
import org.hashdb.core.Accountable;
import org.hashdb.core.content.FileHashes;
import org.hashdb.core.hash.HashType;

/**
 * Remembers path to ({@link FileStamp}: device, inode, size, mtime, ctime) and hashes across
 * scans, so a rescan reads only files that changed; a file whose stamp differs in any field is
 * hashed again (a swapped file with its mtime restored has another ctime).
 *
 * <p>File format (version 2), an append-only log that survives a crash at any point:
 *
 * <pre>
 * header:  8 bytes magic "HDBSCAC2"
 * record:  u32 payload length | u32 CRC32C of payload | payload
 * payload: u16 key length | key (UTF-8) | i64 size | i64 mtime (ns since the epoch)
 *          | i64 ctime (ns) | i64 device | i64 inode (each Long.MIN_VALUE when unknown)
 *          | u8 computed types (bit = HashType ordinal) | u8 present types
 *          | the present hashes in ordinal order | u8 PDQ quality when PDQ is present
 * </pre>
 *
 * All integers big-endian. On open, records are read until the end or the first torn or corrupt
 * one; what follows is cut off (a crash can only tear the tail). Later records override earlier
 * ones for the same key. New entries are appended as the scan goes and fsynced at least once a
 * second and on {@link #close}; {@link #compactAndClose} rewrites the file with the live entries only
 * (temp file, fsync, atomic rename, directory fsync).
 *
 * <p>A version 1 file ({@code HDBSCAC1}, keyed by size and mtime only) is not trusted: {@link
 * #open} starts it afresh and {@link #discardedOldFormat} says so, so every file is hashed once more.
 *
 * <p>Thread-safe: lookups take no lock; appends are serialised.
 */
public final class HashCache implements Accountable, Closeable {
  static final byte[] MAGIC = "HDBSCAC2".getBytes(StandardCharsets.US_ASCII);
  static final byte[] MAGIC_V1 = "HDBSCAC1".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_PAYLOAD = 64 * 1024;
  private static final long SYNC_INTERVAL_NANOS = 1_000_000_000L;
  private static final HashType[] TYPES = HashType.values();

  /** One cached file. */
  record Entry(FileStamp stamp, int computedMask, FileHashes hashes) {}

  private final Path file;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final Map<String, Boolean> touched = new ConcurrentHashMap<>();
  private final FileChannel channel;
  private final ByteBuffer out = ByteBuffer.allocate(256 * 1024);
  private long droppedBytes; // torn or corrupt tail cut off on open
  private boolean discardedOldFormat;
  private long lastSync = System.nanoTime();
  private boolean closed;
  private int liveAfterCompaction = -1;

  private HashCache(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
  }

  /** Opens (creating when missing) the cache file and loads its valid records. */
  public static HashCache open(Path file) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      long size = ch.size();
      HashCache cache = new HashCache(file, ch);
      if (size == 0) {
        ch.write(ByteBuffer.wrap(MAGIC));
        ch.force(true);
        return cache;
      }
      byte[] magic = new byte[MAGIC.length];
      ByteBuffer mb = ByteBuffer.wrap(magic);
      while (mb.hasRemaining() && ch.read(mb) >= 0) {
        // read the header fully
      }
      if (java.util.Arrays.equals(magic, MAGIC_V1)) {
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(MAGIC), 0);
        ch.force(true);
        ch.position(MAGIC.length);
        cache.discardedOldFormat = true;
        return cache;
      }
      if (!java.util.Arrays.equals(magic, MAGIC)) {
        throw new IOException(file + " is not a HashDB scan cache (bad magic); delete it or choose another --cache file");
      }
      long end = cache.load(size);
      if (end < size) {
        ch.truncate(end);
        ch.force(true);
      }
      ch.position(end);
      cache.droppedBytes = size - end;
      return cache;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Reads records from the header on; returns the offset after the last valid one. */
  private long load(long fileSize) throws IOException {
    long pos = MAGIC.length;
    ByteBuffer head = ByteBuffer.allocate(8);
    CRC32C crc = new CRC32C();
    while (pos + 8 <= fileSize) {
      head.clear();
      readFully(head, pos);
      int len = head.getInt(0);
      int sum = head.getInt(4);
      if (len <= 0 || len > MAX_PAYLOAD || pos + 8 + len > fileSize) {
        break;
      }
      ByteBuffer payload = ByteBuffer.allocate(len);
      readFully(payload, pos + 8);
      crc.reset();
      crc.update(payload.array(), 0, len);
      if ((int) crc.getValue() != sum) {
        break;
      }
      try {
        decode(payload.flip());
      } catch (RuntimeException e) { // checksum fine but content impossible: treat as corrupt
        break;
      }
      pos += 8 + len;
    }
    return pos;
  }

  private void readFully(ByteBuffer b, long at) throws IOException {
    long p = at;
    while (b.hasRemaining()) {
      int n = channel.read(b, p);
      if (n < 0) {
        throw new IOException("unexpected end of " + file);
      }
      p += n;
    }
  }

  private void decode(ByteBuffer p) {
    int keyLen = p.getShort() & 0xffff;
    byte[] k = new byte[keyLen];
    p.get(k);
    String key = new String(k, StandardCharsets.UTF_8);
    long size = p.getLong();
    long mtime = p.getLong();
    long ctime = p.getLong();
    long device = p.getLong();
    long inode = p.getLong();
    FileStamp stamp = new FileStamp(device, inode, size, mtime, ctime);
    int computed = p.get() & 0xff;
    int present = p.get() & 0xff;
    byte[][] values = new byte[TYPES.length][];
    for (HashType t : TYPES) {
      if ((present & (1 << t.ordinal())) != 0) {
        values[t.ordinal()] = new byte[t.byteLength()];
        p.get(values[t.ordinal()]);
      }
    }
    int quality = values[HashType.PDQ.ordinal()] != null ? p.get() & 0xff : -1;
    if (p.hasRemaining() || (present & ~computed) != 0) {
      throw new IllegalArgumentException("bad record");
    }
    entries.put(key, new Entry(stamp, computed, new FileHashes(size,
        values[0], values[1], values[2], values[3], quality)));
  }

  /**
   * The cached hashes of {@code key} restricted to {@code types}, when the file still has this
   * stamp (device, inode, size, mtime and ctime all equal) and every type in {@code types} was
   * computed; else null.
   */
  public FileHashes get(String key, FileStamp stamp, int typesMask) {
    Entry e = entries.get(key);
    if (e == null || !e.stamp.equals(stamp) || (e.computedMask & typesMask) != typesMask) {
      return null;
    }
    long size = stamp.size();
    touched.put(key, Boolean.TRUE);
    FileHashes h = e.hashes;
    boolean pdq = (typesMask & (1 << HashType.PDQ.ordinal())) != 0;
    return new FileHashes(size,
        (typesMask & 1) != 0 ? h.md5() : null,
        (typesMask & 2) != 0 ? h.sha1() : null,
        (typesMask & 4) != 0 ? h.sha256() : null,
        pdq ? h.pdq() : null,
        pdq ? h.pdqQuality() : -1);
  }

  /** Records the hashes of {@code key} (appended to the log; fsynced within about a second). */
  public void put(String key, FileStamp stamp, int computedMask, FileHashes hashes) throws IOException {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    if (k.length > 0xffff) {
      return; // no file system has such paths; not worth a record format change
    }
    entries.put(key, new Entry(stamp, computedMask, hashes));
    touched.put(key, Boolean.TRUE);
    synchronized (this) {
      if (closed) {
        throw new IOException("cache " + file + " is closed");
      }
      writeRecord(k, stamp, computedMask, hashes);
      long now = System.nanoTime();
      if (now - lastSync > SYNC_INTERVAL_NANOS) {
        flush();
        channel.force(false);
        lastSync = now;
      }
    }
  }

  private void writeRecord(byte[] k, FileStamp stamp, int computed, FileHashes h) throws IOException {
    int present = 0;
    int len = 2 + k.length + 5 * 8 + 2;
    for (HashType t : TYPES) {
      if (h.get(t) != null) {
        present |= 1 << t.ordinal();
        len += t.byteLength();
      }
    }
    if (h.pdq() != null) {
      len++;
    }
    if (out.remaining() < 8 + len) {
      flush();
    }
    int start = out.position();
    out.putInt(len).putInt(0);
    out.putShort((short) k.length).put(k).putLong(stamp.size()).putLong(stamp.mtimeNanos())
        .putLong(stamp.ctimeNanos()).putLong(stamp.device()).putLong(stamp.inode()).put((byte) computed).put((byte) present);
    for (HashType t : TYPES) {
      byte[] v = h.get(t);
      if (v != null) {
        out.put(v);
      }
    }
    if (h.pdq() != null) {
      out.put((byte) h.pdqQuality());
    }
    CRC32C crc = new CRC32C();
    crc.update(out.array(), start + 8, len);
    out.putInt(start + 4, (int) crc.getValue());
  }

  private void flush() throws IOException {
    out.flip();
    while (out.hasRemaining()) {
      channel.write(out);
    }
    out.clear();
  }

  /** Number of cached files. */
  public int size() {
    return entries.size();
  }

  /**
   * Estimated heap held by the cached entries (keys, hash arrays, map nodes), in bytes: about
   * 300 bytes per file plus twice the path length, e.g. ~400 MB for a million files.
   */
  @Override
  public long ramBytesUsed() {
    long bytes = 0;
    for (Map.Entry<String, Entry> e : entries.entrySet()) {
      bytes += 48 + 2L * e.getKey().length(); // String + its byte array (Latin-1 or UTF-16)
      bytes += 32 + 24 + 56 + 32 + 32; // map node, Entry, FileStamp, FileHashes, touched-set share
      FileHashes h = e.getValue().hashes;
      for (HashType t : TYPES) {
        if (h.get(t) != null) {
          bytes += 16 + t.byteLength();
        }
      }
    }
    return bytes;
  }

  /**
   * True when {@link #open} found a cache of the previous format (keyed by size and mtime only,
   * blind to a swapped file with its mtime restored) and started afresh.
   */
  public boolean discardedOldFormat() {
    return discardedOldFormat;
  }

  /** Bytes of a torn or corrupt tail that {@link #open} cut off (0 after a clean shutdown). */
  public long droppedBytes() {
    return droppedBytes;
  }

  /**
   * Rewrites the cache with the entries this run used or added, plus the entries {@code keepOther}
   * accepts (files outside the trees scanned), and closes it. Atomic: a crash leaves the old file
   * (still valid) or the new one. Call it after a complete scan, so files deleted since the last
   * run leave the cache.
   */
  public synchronized void compactAndClose(Predicate<String> keepOther) throws IOException {
    if (closed) {
      throw new IOException("cache " + file + " is closed");
    }
    close();
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    int live = 0;
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(MAGIC));
      for (Map.Entry<String, Entry> me : entries.entrySet()) {
        if (touched.containsKey(me.getKey()) || keepOther.test(me.getKey())) {
          Entry e = me.getValue();
          writeRecord(me.getKey().getBytes(StandardCharsets.UTF_8), e.stamp, e.computedMask, e.hashes);
          if (out.remaining() < MAX_PAYLOAD + 8) {
            drainTo(ch);
          }
          live++;
        }
      }
      drainTo(ch);
      ch.force(true);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
    syncDirectory(file.toAbsolutePath().getParent());
    liveAfterCompaction = live;
  }

  /** Entries written by the last {@link #compactAndClose}. */
  int liveAfterCompaction() {
    return liveAfterCompaction;
  }

  /**
   * {@link #compactAndClose(Predicate)} after a complete scan of {@code scannedRoots}: keeps the
   * entries of files outside them, drops those of files under them that this run did not see
   * (deleted, or now excluded).
   */
  public void compactAndClose(List<Path> scannedRoots) throws IOException {
    Set<String> prefixes = new HashSet<>();
    Set<String> exact = new HashSet<>();
    for (Path r : scannedRoots) {
      List<Path> forms = new ArrayList<>(List.of(r));
      try {
        forms.add(r.toRealPath());
      } catch (IOException e) {
        // a root that is gone: its plain form is enough
      }
      for (Path f : forms) {
        String k = ReportPath.key(f);
        exact.add(k);
        prefixes.add(k.endsWith("/") ? k : k + "/");
        String raw = "%" + f.toAbsolutePath().toUri().getRawPath();
        exact.add(raw);
        prefixes.add(raw.endsWith("/") ? raw : raw + "/");
      }
    }
    compactAndClose(key -> {
      if (exact.contains(key)) {
        return false;
      }
      for (String p : prefixes) {
        if (key.startsWith(p)) {
          return false;
        }
      }
      return true;
    });
  }

  private void drainTo(FileChannel ch) throws IOException {
    out.flip();
    while (out.hasRemaining()) {
      ch.write(out);
    }
    out.clear();
  }

  private static void syncDirectory(Path dir) {
    if (dir == null) {
      return;
    }
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Some platforms cannot open directories; the rename is still atomic there.
    }
  }

  /** Flushes and fsyncs what was appended, then closes the file. Idempotent. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      flush();
      channel.force(false);
    } finally {
      channel.close();
    }
  }

  /** Deletes a cache file, for tests and {@code --cache} resets; no error when it is missing. */
  static void delete(Path file) throws IOException {
    try {
      Files.delete(file);
    } catch (NoSuchFileException e) {
      // already gone
    }
  }
}
