package org.hashdb.core.disk;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;
import org.hashdb.core.Accountable;

/**
 * The write-ahead log: every change is appended here, and made durable by {@link #sync} before
 * it is acknowledged. The layout is in {@link WalFormat}.
 *
 * <p>Life cycle: at start-up call {@link #recover} (replays records after the snapshot, cuts off a
 * torn tail), then {@link #open} with the sequence that follows the last record.
 *
 * <p>Concurrency: {@link #append}, {@link #rollSegment} and {@link #deleteSegmentsUpTo} are meant
 * for the database's single writer (they also serialize on an internal lock). {@link #sync} is
 * thread-safe and does <em>group commit</em>: one fsync covers every record appended before it
 * started, callers whose record is already covered return at once, and appends continue while an
 * fsync runs. {@link #read}, {@link #lastSequence}, {@link #durableSequence}, {@link #sizeBytes}
 * and {@link #firstAvailableSequence} are thread-safe and never wait for an fsync.
 *
 * <p>Failure: a write that fails because the disk is full ({@link DiskFullException}) is cut off
 * the file again and the log stays usable: the next append retries, so writes resume by
 * themselves once space is back. Any other write error, and every fsync error, fails the log: it
 * refuses all further appends and syncs (after a failed fsync the kernel may have dropped the
 * dirty pages and cleared the error, so a retry could falsely report success). Restart, which
 * recovers the log from disk. Do not interrupt threads that call into the
 * log: the JDK closes a {@link FileChannel} whose user is interrupted, which fails the log.
 */
public final class WriteAheadLog implements Accountable, Closeable {
  /** Distance in bytes between entries of a segment's sequence-to-offset index. */
  static final long CHECKPOINT_BYTES = WalSegment.CHECKPOINT_BYTES;

  private static final int RETAINED_BUFFER_BYTES = 1 << 20;

  /** fsync primitive; tests substitute one that counts or blocks. */
  interface Forcer {
    void force(FileChannel channel) throws IOException;
  }

  private final Path dir;
  private final WalOptions options;
  private final ReentrantLock appendLock = new ReentrantLock(); // guards the active channel
  private final ReentrantLock syncLock = new ReentrantLock(); // one fsync at a time
  private final CRC32C crc = new CRC32C(); // under appendLock
  private ByteBuffer writeBuffer; // under appendLock; direct, little-endian
  private FileChannel active; // under appendLock
  private volatile List<WalSegment> segments; // immutable, oldest first; last is active
  private volatile long closedBytes; // bytes in segments before the active one
  private volatile long written; // sequence of the last appended record
  private volatile long synced; // every record <= synced is durable; written only under syncLock
  private volatile IOException failure; // set once a write or fsync failed
  private volatile boolean closed;
  Forcer forcer; // package-private for tests; null: options.io()
  private volatile long fsyncs; // incremented only under syncLock; read without it

  private WriteAheadLog(Path dir, WalOptions options) {
    this.dir = dir;
    this.options = options;
  }

  /**
   * Opens the log in {@code dir} for appending; the next record gets {@code nextSequence}. The
   * log must have been recovered ({@link #recover}) and {@code nextSequence} must follow its last
   * record (an empty directory starts a new log at {@code nextSequence}).
   *
   * @throws CorruptDataException if the last segment is damaged (recover it first)
   * @throws IllegalArgumentException if {@code nextSequence < 1} or does not continue the log
   */
  public static WriteAheadLog open(Path dir, long nextSequence, WalOptions options)
      throws IOException {
    if (nextSequence < 1) {
      throw new IllegalArgumentException("nextSequence must be >= 1, got " + nextSequence);
    }
    Objects.requireNonNull(options, "options");
    PrivateFiles.createDirectories(dir);
    WriteAheadLog log = new WriteAheadLog(dir, options);
    log.writeBuffer = ByteBuffer.allocateDirect(64 << 10).order(ByteOrder.LITTLE_ENDIAN);
    List<WalSegment> found = new ArrayList<>();
    long closed = 0;
    List<Long> firsts = WalRecovery.listSegments(dir);
    for (int i = 0; i < firsts.size() - 1; i++) {
      Path p = WalFormat.segmentPath(dir, firsts.get(i));
      try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
        long size = ch.size();
        found.add(new WalSegment(p, SegmentScanner.readHeader(p, ch, size, options.keys()), size));
        closed += size;
      }
    }
    if (firsts.isEmpty()) {
      found.add(log.createSegment(nextSequence));
    } else {
      long first = firsts.get(firsts.size() - 1);
      Path p = WalFormat.segmentPath(dir, first);
      FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
      try {
        long[] lastSequence = {0};
        WalSegment seg = scanLastSegment(p, first, ch, options.keys(), lastSequence);
        long last = lastSequence[0];
        if (last + 1 != nextSequence) {
          throw new IllegalArgumentException(
              "nextSequence "
                  + nextSequence
                  + " does not continue the log in "
                  + dir
                  + ", whose last record is "
                  + last);
        }
        if (options.fsync()) {
          ch.force(false); // records recovered from the page cache become durable
        }
        log.active = ch;
        found.add(seg);
        if (options.keys().encrypting()) {
          // never continue a segment under encryption: a record cut off as a torn tail could
          // otherwise be followed by another one under the same nonce; a plaintext or
          // old-key segment is not continued either (migration, rotation)
          if (seg.size == seg.recordsStart) {
            found.remove(found.size() - 1);
            ch.close();
            Files.delete(p); // holds no record; recreated below under the current key
            log.active = null;
          } else {
            log.segments = List.copyOf(found);
            log.written = last;
            log.closeActiveForRoll(seg, ch);
            closed += seg.size;
          }
          found.add(log.createSegment(nextSequence));
        }
      } catch (IOException | RuntimeException e) {
        ch.close();
        throw e;
      }
    }
    log.segments = List.copyOf(found);
    log.closedBytes = closed;
    log.written = nextSequence - 1;
    log.synced = nextSequence - 1;
    return log;
  }

  /**
   * Validates the whole last segment and returns it with its checkpoints and size; its last
   * sequence goes to {@code lastSequence[0]}.
   */
  private static WalSegment scanLastSegment(Path path, long nameFirst, FileChannel ch,
      MasterKeys keys, long[] lastSequence) throws IOException {
    long size = ch.size();
    SegmentScanner.Header h = SegmentScanner.readHeader(path, ch, size, keys);
    WalRecovery.checkHeaderMatchesName(path, h.firstSequence(), nameFirst);
    if (size < h.ackedEnd()) {
      throw WalRecovery.missingAckedTail(path, size, h.ackedEnd());
    }
    WalSegment seg = new WalSegment(path, h, size);
    SegmentScanner sc = new SegmentScanner(seg.path, ch, size, h.recordsStart(), h.cipher());
    long expected = h.firstSequence();
    long previous = -CHECKPOINT_BYTES;
    while (true) {
      SegmentScanner.Status st = sc.next();
      if (st == SegmentScanner.Status.END) {
        break;
      }
      if (st == SegmentScanner.Status.DAMAGED) {
        throw new CorruptDataException(
            seg.path, sc.offset(), sc.problem() + "; run WriteAheadLog.recover before open");
      }
      if (sc.sequence() != expected) {
        throw WalRecovery.gap(seg.path, sc.recordOffset(), expected, sc.sequence());
      }
      seg.checkpoint(expected, sc.recordOffset(), previous);
      previous = sc.recordOffset();
      expected++;
    }
    seg.lastRecordOffset = previous;
    lastSequence[0] = expected - 1;
    return seg;
  }

  /** Appends a record stamped with the current time; see {@link #append(byte, long, byte[], int, int)}. */
  public long append(byte kind, byte[] payload, int off, int len) throws IOException {
    return append(kind, System.currentTimeMillis(), payload, off, len);
  }

  /**
   * Appends a record (written to the file, not yet fsynced) and returns its sequence: the
   * previous one + 1. Call {@link #sync} with it before acknowledging the change. One appender
   * at a time (the database's writer); no allocation for payloads up to 1 MiB.
   *
   * @throws IllegalArgumentException if {@code len} exceeds {@link WalFormat#MAX_PAYLOAD_BYTES}
   * @throws IOException if the write fails (the log is then failed) or the log is closed
   */
  public long append(byte kind, long timeMillis, byte[] payload, int off, int len)
      throws IOException {
    Objects.checkFromIndexSize(off, len, payload.length);
    if (len > WalFormat.MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException(
          "payload length must be <= " + WalFormat.MAX_PAYLOAD_BYTES + ", got " + len);
    }
    int recordBytes = WalFormat.RECORD_HEADER_BYTES + len
        + (options.keys().encrypting() ? WalFormat.ENCRYPTION_OVERHEAD : 0);
    appendLock.lock();
    try {
      ensureUsable();
      WalSegment seg = activeSegment();
      long pos = seg.size;
      if (pos > seg.recordsStart && pos + recordBytes > options.segmentBytes()) {
        seg = roll();
        pos = seg.size;
      }
      long sequence = written + 1;
      WalRecordCipher enc = seg.encryptor;
      if (enc != null) {
        int n = enc.encrypt(sequence, timeMillis, kind, payload, off, len);
        payload = enc.buffer();
        off = 0;
        len = n;
        recordBytes = WalFormat.RECORD_HEADER_BYTES + n;
      }
      ByteBuffer buf = writeBuffer(recordBytes);
      WalFormat.putRecord(buf, crc, sequence, timeMillis, kind, payload, off, len);
      buf.flip();
      try {
        options.io().write(seg.path, active, buf, pos);
      } catch (IOException e) {
        throw writeFailed(seg, pos, e);
      }
      seg.checkpoint(sequence, pos, seg.lastRecordOffset);
      seg.lastRecordOffset = pos;
      seg.size = pos + recordBytes;
      written = sequence;
      return sequence;
    } finally {
      appendLock.unlock();
    }
  }

  /**
   * Blocks until every record up to {@code sequence} is durable (fsynced), then returns; that is
   * the moment a change may be acknowledged. Thread-safe; concurrent callers share one fsync.
   *
   * @throws IllegalArgumentException if {@code sequence} has not been appended yet
   * @throws IOException if the fsync fails (the log is then failed) or the log is closed
   */
  public void sync(long sequence) throws IOException {
    if (sequence <= synced) {
      return;
    }
    if (sequence > written) {
      throw new IllegalArgumentException(
          "sequence " + sequence + " has not been appended (last appended: " + written + ")");
    }
    syncLock.lock();
    try {
      while (synced < sequence) {
        FileChannel ch;
        WalSegment seg;
        long target;
        long end;
        appendLock.lock();
        try {
          ensureUsable();
          ch = active;
          seg = activeSegment();
          target = written; // all records in earlier segments were forced when they were rolled
          end = seg.size;
        } finally {
          appendLock.unlock();
        }
        if (options.fsync()) {
          try {
            // vouch for what the previous fsync made durable; this fsync's records are not yet
            writeAckedEnd(seg, ch, seg.durableEnd);
            force(seg.path, ch);
            fsyncs++;
            seg.durableEnd = Math.max(seg.durableEnd, end);
          } catch (ClosedChannelException e) {
            if (rolledAway(ch)) {
              continue; // the roll forced this segment before closing it; retry on the new one
            }
            throw fail(e);
          } catch (IOException e) {
            throw fail(e);
          }
        }
        synced = Math.max(synced, target);
      }
    } finally {
      syncLock.unlock();
    }
  }

  private boolean rolledAway(FileChannel ch) {
    appendLock.lock();
    try {
      return !closed && failure == null && active != ch;
    } finally {
      appendLock.unlock();
    }
  }

  /** Sequence of the last appended record (durable or not); {@code nextSequence - 1} after open. */
  public long lastSequence() {
    return written;
  }

  /** Every record up to this sequence is durable. */
  public long durableSequence() {
    return synced;
  }

  /** Bytes in all segments still on disk. */
  public long sizeBytes() {
    List<WalSegment> segs = segments;
    return closedBytes + segs.get(segs.size() - 1).size;
  }

  /** Heap and direct memory held: the write buffer and the segments' checkpoint indexes. */
  @Override
  public long ramBytesUsed() {
    long checkpoints = 0;
    for (WalSegment s : segments) {
      checkpoints += s.checkpoints.size();
    }
    // a skip-list node with a boxed key and value is about 80 bytes
    return 256 + writeBuffer.capacity() + checkpoints * 80 + segments.size() * 128L;
  }

  /** Number of segment files. */
  public int segmentCount() {
    return segments.size();
  }

  /**
   * Makes the next append start a new segment, so that a snapshot taken now can later be
   * followed by {@link #deleteSegmentsUpTo} of everything before it. No-op if the active segment
   * holds no record yet.
   */
  public void rollSegment() throws IOException {
    appendLock.lock();
    try {
      ensureUsable();
      WalSegment seg = activeSegment();
      if (seg.size > seg.recordsStart) {
        roll();
      }
    } finally {
      appendLock.unlock();
    }
  }

  /**
   * Deletes the segments whose records are all {@code <= sequence} (typically a snapshot's
   * sequence). The active segment is never deleted. Feed readers that still need the deleted
   * records get a {@link SequenceUnavailableException}.
   */
  public void deleteSegmentsUpTo(long sequence) throws IOException {
    appendLock.lock();
    try {
      ensureOpen();
      List<WalSegment> segs = segments;
      int k = 0;
      while (k < segs.size() - 1 && segs.get(k + 1).firstSequence - 1 <= sequence) {
        k++;
      }
      if (k == 0) {
        return;
      }
      segments = List.copyOf(segs.subList(k, segs.size())); // readers see the new start first
      long freed = 0;
      for (int i = 0; i < k; i++) {
        Files.deleteIfExists(segs.get(i).path);
        freed += segs.get(i).size;
      }
      closedBytes -= freed;
      FileSync.fsyncDirectory(dir);
    } finally {
      appendLock.unlock();
    }
  }

  /** The segment files, oldest first. */
  public List<Path> segmentFiles() {
    return segments.stream().map(seg -> seg.path).toList();
  }

  /**
   * Id of the master key segment {@code file} is encrypted under; null if it is plaintext or
   * not a segment of this log.
   */
  public String keyIdOf(Path file) {
    for (WalSegment seg : segments) {
      if (seg.path.equals(file)) {
        return seg.cipher == null ? null : seg.cipher.keyId();
      }
    }
    return null;
  }

  /** Oldest sequence still in the log; a feed reader needing an older one must load a snapshot. */
  public long firstAvailableSequence() {
    return segments.get(0).firstSequence;
  }

  /**
   * Change feed: up to {@code limit} durable records with sequence {@code >= fromSequence}, in
   * order, read from disk (checksums verified). Returns an empty list if there is none yet. Only
   * records up to {@link #durableSequence()} are returned, so a replica never applies a change
   * the primary could still lose. Thread-safe.
   *
   * @throws SequenceUnavailableException if {@code fromSequence < firstAvailableSequence()}
   * @throws CorruptDataException if a record on disk is damaged
   */
  public List<WalRecord> read(long fromSequence, int limit) throws IOException {
    List<WalRecord> out = new ArrayList<>(Math.min(Math.max(limit, 0), 1024));
    scan(fromSequence, limit, r -> {
      out.add(r);
      return true;
    });
    return out;
  }

  /** Receives the records of {@link #scan}, one at a time. */
  public interface RecordVisitor {
    /** Returns false to stop the scan (the record counts as visited). */
    boolean visit(WalRecord record) throws IOException;
  }

  /**
   * {@link #read} without collecting: hands up to {@code limit} durable records from {@code
   * fromSequence} on to {@code visitor}, one at a time, so that a caller can stream them and stop
   * at any bound of its own. Returns the number of records visited. Thread-safe.
   */
  public long scan(long fromSequence, int limit, RecordVisitor visitor) throws IOException {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, got " + limit);
    }
    long upTo = synced;
    List<WalSegment> segs = segments;
    if (fromSequence < segs.get(0).firstSequence) {
      throw new SequenceUnavailableException(fromSequence, segs.get(0).firstSequence);
    }
    if (fromSequence > upTo || limit == 0) {
      return 0;
    }
    int i = segs.size() - 1;
    while (segs.get(i).firstSequence > fromSequence) {
      i--;
    }
    long[] visited = {0};
    for (; i < segs.size() && visited[0] < limit; i++) {
      if (!readSegment(segs.get(i), fromSequence, upTo, limit, visitor, visited)) {
        break;
      }
    }
    return visited[0];
  }

  /**
   * Visits records of {@code seg}; returns false once past {@code upTo}, at {@code limit}, or
   * when the visitor stops.
   */
  private boolean readSegment(WalSegment seg, long from, long upTo, int limit, RecordVisitor visitor,
      long[] visited) throws IOException {
    long size = seg.size;
    long expected = seg.firstSequence;
    long start = seg.recordsStart;
    Map.Entry<Long, Long> cp = seg.checkpoints.floorEntry(Math.max(from, seg.firstSequence));
    if (cp != null) {
      expected = cp.getKey();
      start = cp.getValue();
    }
    FileChannel ch;
    try {
      ch = FileChannel.open(seg.path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new SequenceUnavailableException(from, firstAvailableSequence());
    }
    try (ch) {
      SegmentScanner sc = new SegmentScanner(seg.path, ch, size, start, seg.cipher);
      long previous = start == seg.recordsStart ? -CHECKPOINT_BYTES : start;
      while (true) {
        SegmentScanner.Status st = sc.next();
        if (st == SegmentScanner.Status.END) {
          return true;
        }
        if (st == SegmentScanner.Status.DAMAGED) {
          throw new CorruptDataException(seg.path, sc.offset(), sc.problem());
        }
        long seq = sc.sequence();
        if (seq != expected) {
          throw WalRecovery.gap(seg.path, sc.recordOffset(), expected, seq);
        }
        seg.checkpoint(seq, sc.recordOffset(), previous);
        previous = sc.recordOffset();
        expected++;
        if (seq > upTo) {
          return false;
        }
        if (seq >= from) {
          visited[0]++;
          if (!visitor.visit(sc.record()) || visited[0] >= limit) {
            return false;
          }
        }
      }
    }
  }

  /** First sequences of the segment files in {@code dir}, ascending. */
  static List<Long> listSegments(Path dir) throws IOException {
    return WalRecovery.listSegments(dir);
  }

  /** {@link WalRecovery#recover} of a log without encrypted segments. */
  public static RecoveryResult recover(Path dir, long afterSequence, RecordHandler handler)
      throws IOException {
    return WalRecovery.recover(dir, afterSequence, MasterKeys.none(), handler);
  }

  /** {@link WalRecovery#recover}: replays the log, decrypting with {@code keys}. */
  public static RecoveryResult recover(Path dir, long afterSequence, MasterKeys keys,
      RecordHandler handler) throws IOException {
    return WalRecovery.recover(dir, afterSequence, keys, handler);
  }

  /**
   * Writes {@code end} as the acked end into {@code seg}'s header (if it has one and it is
   * larger than what is there). The caller fsyncs. On a full disk (possible on copy-on-write file
   * systems even for an overwrite) the old value stays: it is smaller, so still true; a partly
   * written value fails its crc and counts as none.
   */
  private void writeAckedEnd(WalSegment seg, FileChannel ch, long end) throws IOException {
    if (!seg.hasAckedEnd) {
      return;
    }
    synchronized (seg) {
      if (end <= seg.ackedEnd) {
        return;
      }
      ByteBuffer b = ByteBuffer.allocate(WalFormat.ACKED_END_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      WalFormat.putAckedEnd(b, seg.firstSequence, end);
      b.flip();
      try {
        options.io().write(seg.path, ch, b, WalFormat.HEADER_ACKED_END_OFFSET);
      } catch (ClosedChannelException e) {
        throw e;
      } catch (IOException e) {
        if (DiskFullException.isDiskFull(e)) {
          return;
        }
        throw e;
      }
      seg.ackedEnd = end;
    }
  }

  /** Forces all appended records, then closes; later calls fail with an IOException. */
  @Override
  public void close() throws IOException {
    syncLock.lock();
    appendLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      try {
        if (failure == null && options.fsync() && active.isOpen()) {
          WalSegment seg = activeSegment();
          force(seg.path, active);
          fsyncs++;
          synced = written;
          seg.durableEnd = seg.size;
          if (seg.ackedEnd < seg.size) {
            writeAckedEnd(seg, active, seg.size); // a clean close vouches for every record
            force(seg.path, active);
          }
        }
      } finally {
        active.close();
      }
    } finally {
      appendLock.unlock();
      syncLock.unlock();
    }
  }

  /**
   * fsyncs issued by {@link #sync} and {@link #close} (not by segment rolls). With group commit it
   * grows slower than {@link #lastSequence()}; a metric, and the proof in tests.
   */
  public long fsyncCount() {
    return fsyncs;
  }

  private WalSegment activeSegment() {
    List<WalSegment> segs = segments;
    return segs.get(segs.size() - 1);
  }

  /**
   * Under appendLock: forces the active segment, starts the next one and closes the old one. The
   * new file is created before the old one is closed, so that a full disk leaves the old segment
   * active and the log usable.
   */
  private WalSegment roll() throws IOException {
    WalSegment old = activeSegment();
    FileChannel oldChannel = active;
    WalSegment next;
    try {
      if (options.fsync()) {
        force(old.path, oldChannel); // sync() relies on earlier segments being durable
        old.durableEnd = old.size;
        writeAckedEnd(old, oldChannel, old.size); // now durable: the whole segment is vouched for
        force(old.path, oldChannel);
      }
      next = createSegment(written + 1);
    } catch (DiskFullException e) {
      throw e; // nothing changed: the old segment is still active
    } catch (IOException e) {
      throw fail(e);
    }
    try {
      oldChannel.close();
    } catch (IOException e) {
      throw fail(e);
    }
    List<WalSegment> segs = new ArrayList<>(segments);
    segs.add(next);
    closedBytes += old.size;
    segments = List.copyOf(segs);
    return next;
  }

  /**
   * Creates a segment file with its header, makes it durable, and makes it the active one. On a
   * full disk the new file is deleted again and a {@link DiskFullException} thrown.
   */
  private WalSegment createSegment(long firstSequence) throws IOException {
    Path p = WalFormat.segmentPath(dir, firstSequence);
    FileChannel ch =
        PrivateFiles.open(
            p, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileCipher cipher = null;
    try {
      if (options.keys().encrypting()) {
        cipher = FileCipher.create(options.keys().current(), FileCipher.KIND_WAL,
            WalFormat.segmentFileName(firstSequence));
      }
      ByteBuffer hdr =
          ByteBuffer.allocate(WalFormat.recordsStart(cipher)).order(ByteOrder.LITTLE_ENDIAN);
      WalFormat.putSegmentHeader(hdr, firstSequence, cipher);
      hdr.flip();
      try {
        options.io().write(p, ch, hdr, 0);
      } catch (IOException e) {
        if (DiskFullException.isDiskFull(e)) {
          ch.close();
          Files.deleteIfExists(p); // never held a record; recovery would also drop it
          throw new DiskFullException("disk full: cannot start log segment " + p, e);
        }
        throw e;
      }
      if (options.fsync()) {
        options.io().force(p, ch);
        FileSync.fsyncDirectory(dir);
      }
    } catch (IOException e) {
      ch.close();
      throw e;
    }
    active = ch;
    int start = WalFormat.recordsStart(cipher);
    WalSegment seg = new WalSegment(p, new SegmentScanner.Header(firstSequence, WalFormat.VERSION,
        start, start, cipher), start);
    if (cipher != null) {
      seg.encryptor = new WalRecordCipher(cipher);
    }
    return seg;
  }

  /**
   * At open, under encryption: makes the recovered last segment durable and vouched for, and
   * closes it, so that a new segment under the current key is started instead of continuing it.
   */
  private void closeActiveForRoll(WalSegment seg, FileChannel ch) throws IOException {
    try {
      if (options.fsync()) {
        seg.durableEnd = seg.size;
        writeAckedEnd(seg, ch, seg.size);
        options.io().force(seg.path, ch);
      }
    } finally {
      ch.close();
      active = null;
    }
  }

  private ByteBuffer writeBuffer(int bytes) {
    ByteBuffer buf = writeBuffer;
    if (buf.capacity() < bytes) {
      buf = ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
      if (bytes <= RETAINED_BUFFER_BYTES) {
        writeBuffer = buf;
      }
    }
    buf.clear();
    return buf;
  }

  /**
   * Under appendLock: a record write to {@code seg} at {@code pos} failed. On a full disk the
   * part that reached the file is cut off again, so that the log ends with its last good record
   * and stays usable; anything else (or a failed cut) fails the log.
   */
  private IOException writeFailed(WalSegment seg, long pos, IOException e) {
    if (!DiskFullException.isDiskFull(e)) {
      return fail(e);
    }
    try {
      active.truncate(pos);
    } catch (IOException t) {
      e.addSuppressed(t);
      return fail(e);
    }
    return new DiskFullException("disk full: the write-ahead log in " + dir
        + " cannot take the change (it was not logged); writes resume once space is freed", e);
  }

  private void force(Path path, FileChannel ch) throws IOException {
    Forcer f = forcer;
    if (f != null) {
      f.force(ch);
    } else {
      options.io().force(path, ch);
    }
  }

  private IOException fail(IOException e) {
    if (failure == null) {
      failure = e;
    }
    return e;
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new ClosedChannelException();
    }
  }

  private void ensureUsable() throws IOException {
    ensureOpen();
    IOException f = failure;
    if (f != null) {
      throw new IOException("write-ahead log in " + dir + " failed earlier; restart to recover", f);
    }
  }

  @Override
  public String toString() {
    return "WriteAheadLog[" + dir + ", last=" + written + ", durable=" + synced + "]";
  }
}
