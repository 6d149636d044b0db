package org.hashdb.core.db;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.hashdb.core.disk.CorruptDataException;
import org.hashdb.core.disk.DataDirectories;
import org.hashdb.core.disk.DataDirectoryLock;
import org.hashdb.core.disk.MasterKeys;
import org.hashdb.core.disk.RecoveryResult;
import org.hashdb.core.disk.SnapshotFiles;
import org.hashdb.core.disk.SnapshotReader;
import org.hashdb.core.disk.SnapshotWriter;
import org.hashdb.core.disk.WalOptions;
import org.hashdb.core.disk.WriteAheadLog;

/**
 * The data directory of a database: lock, snapshots, write-ahead log. The database holds its
 * storage; the storage holds no database (each checkpoint is handed the one to write).
 *
 * <p>Start-up loads the newest snapshot and replays the log after it. If the newest snapshot is
 * damaged, the one before it is used only when the log still reaches back to it (the log is
 * kept back to the older of the two newest snapshots for this reason); otherwise start-up stops
 * with the file and offset of the damage. A snapshot is written when the log passes {@link
 * DatabaseOptions#snapshotLogBytes()}, in the background, while reads and writes go on.
 */
final class Storage {
  private static final System.Logger LOG = System.getLogger("org.hashdb.core.db");

  private final Path dir;
  private final DatabaseOptions options;
  private final DataDirectoryLock lock;
  private final WriteAheadLog wal;
  private final ExecutorService background;
  private final AtomicBoolean checkpointQueued = new AtomicBoolean();
  private final Object checkpointLock = new Object();
  private volatile Instant lastSnapshot;
  private volatile long lastSnapshotSequence;
  /** First retry after a failed snapshot; doubles per failure up to {@link #MAX_RETRY_NANOS}. */
  static final long FIRST_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
  static final long MAX_RETRY_NANOS = TimeUnit.MINUTES.toNanos(5);
  LongSupplier clock = System::nanoTime; // tests substitute
  private long retryDelayNanos; // under checkpointLock; 0 after a success
  private volatile long retryAtNanos; // no automatic snapshot before (valid when retrying)
  private volatile boolean retrying;
  private final AtomicLong checkpointFailures = new AtomicLong();
  private final AtomicLong checkpointAttempts = new AtomicLong();

  private Storage(Path dir, DatabaseOptions options, DataDirectoryLock lock,
      WriteAheadLog wal, Instant lastSnapshot, long lastSnapshotSequence) {
    this.dir = dir;
    this.options = options;
    this.lock = lock;
    this.wal = wal;
    this.lastSnapshot = lastSnapshot;
    this.lastSnapshotSequence = lastSnapshotSequence;
    this.background = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "hashdb-snapshot");
      t.setDaemon(true);
      return t;
    });
  }

  /** Opens the directory and loads it into a new database. */
  static HashDatabase openDatabase(Path dir, DatabaseOptions options) throws IOException {
    DataDirectoryLock lock = DataDirectoryLock.acquire(dir);
    try {
      SnapshotFiles.deleteTempFiles(dir);
      List<Path> snapshots = SnapshotFiles.list(dir);
      reportMisnamed(dir, snapshots.isEmpty());
      HashDatabase db = null;
      CorruptDataException newestDamage = null;
      Path loaded = null;
      for (int i = 0; i < snapshots.size(); i++) {
        Path snap = snapshots.get(i);
        HashDatabase candidate = new HashDatabase();
        long t0 = System.nanoTime();
        try (SnapshotReader r = SnapshotReader.open(snap, options.masterKeys())) {
          SnapshotCodec.load(candidate, r, snap);
          db = candidate;
          loaded = snap;
          double secs = (System.nanoTime() - t0) / 1e9;
          double mb = java.nio.file.Files.size(snap) / 1e6;
          LOG.log(Level.INFO, String.format("loaded %s (%.1f MB) in %.2f s (%.0f MB/s)",
              snap.getFileName(), mb, secs, mb / secs));
          break;
        } catch (CorruptDataException e) {
          if (newestDamage == null) {
            newestDamage = e;
          }
          LOG.log(Level.WARNING, "snapshot " + snap + " is damaged: " + e.getMessage()
              + (i + 1 < snapshots.size() ? "; trying the previous one" : ""));
        }
      }
      if (db == null) {
        if (newestDamage != null) {
          throw newestDamage;
        }
        db = new HashDatabase();
      }
      long snapSeq = db.sequence();
      long[] expected = {snapSeq + 1};
      HashDatabase target = db;
      RecoveryResult rec = WriteAheadLog.recover(dir, snapSeq, options.masterKeys(), r -> {
        if (r.sequence() != expected[0]) {
          throw new CorruptDataException(dir, -1, "log record " + r.sequence()
              + " follows snapshot/record " + (expected[0] - 1) + ": changes are missing");
        }
        expected[0]++;
        target.replay(r.sequence(), r.kind(), r.payload());
      });
      if (newestDamage != null && loaded != null && rec.lastSequence() < SnapshotFiles.sequenceOf(snapshots.get(0))) {
        throw new CorruptDataException(newestDamage.file(), newestDamage.offset(),
            "newest snapshot is damaged and the log does not reach past it: " + newestDamage.getMessage());
      }
      if (rec.torn()) {
        LOG.log(Level.WARNING, "cut off a torn last log record: " + rec.tornBytes() + " bytes at offset "
            + rec.tornOffset() + " of " + rec.tornFile() + " (a write that was never acknowledged)");
      }
      WriteAheadLog wal = WriteAheadLog.open(dir, db.sequence() + 1,
          new WalOptions(options.fsync(), options.walSegmentBytes(), options.io(),
              options.masterKeys()));
      Instant snapTime = loaded == null ? null : java.nio.file.Files.getLastModifiedTime(loaded).toInstant();
      Storage storage = new Storage(dir, options, lock, wal, snapTime, snapSeq);
      db.attach(storage, new WalChangeLog(wal));
      List<String> foreign = storage.filesNotUnderCurrentKey();
      if (!foreign.isEmpty()) {
        LOG.log(Level.WARNING, "data directory " + dir + ": " + foreign.size()
            + " file(s) not under master key " + options.masterKeys().current().id() + " ("
            + String.join(", ", foreign) + "); writing a snapshot under it now, after which they"
            + " are removed" + (foreign.stream().anyMatch(f -> f.endsWith("plaintext)"))
                ? " (migration to encryption at rest)" : " (key rotation)"));
        storage.queueCheckpoint(db, true);
      }
      LOG.log(Level.INFO, "opened " + dir + " at sequence " + db.sequence() + " ("
          + db.stats().liveEntries() + " live entries, " + rec.records() + " log records replayed)");
      return db;
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  /**
   * Snapshot files under a name the loader does not read are never skipped silently: with no
   * loadable snapshot beside them, opening would start from an empty or partial database, so
   * that is refused; otherwise they are logged as a warning.
   */
  private static void reportMisnamed(Path dir, boolean noSnapshot) throws IOException {
    List<Path> misnamed = DataDirectories.misnamedSnapshots(dir);
    if (misnamed.isEmpty()) {
      return;
    }
    String what = DataDirectories.describeMisnamed(misnamed);
    if (noSnapshot) {
      throw new IllegalArgumentException("data directory " + dir + " holds no loadable snapshot: " + what);
    }
    LOG.log(Level.WARNING, "data directory " + dir + ": " + what);
  }

  /**
   * After each acknowledged write: queue a snapshot once the log is big enough, unless the last
   * one failed and its back-off has not passed (on a nearly full disk a new full snapshot per
   * write would take the space the log needs).
   */
  void afterWrite(HashDatabase db) {
    if (wal.sizeBytes() < options.snapshotLogBytes()) {
      return;
    }
    if (retrying && clock.getAsLong() - retryAtNanos < 0) {
      return;
    }
    if (checkpointQueued.compareAndSet(false, true)) {
      background.execute(() -> {
        try {
          checkpoint(db);
        } catch (IOException | RuntimeException e) {
          LOG.log(Level.ERROR, "background snapshot failed (the log keeps every change): " + e, e);
        } finally {
          checkpointQueued.set(false);
        }
      });
    }
  }

  /**
   * Snapshots and log segments (by name) written in plaintext or under another master key than
   * the current one; empty when not encrypting.
   */
  List<String> filesNotUnderCurrentKey() throws IOException {
    List<String> out = new java.util.ArrayList<>();
    MasterKeys keys = options.masterKeys();
    if (!keys.encrypting()) {
      return out;
    }
    List<Path> files = new java.util.ArrayList<>(SnapshotFiles.list(dir));
    files.addAll(wal.segmentFiles());
    for (Path p : files) {
      String id = SnapshotFiles.sequenceOf(p) >= 0 ? SnapshotReader.keyIdOf(p) : wal.keyIdOf(p);
      if (!keys.current().id().equals(id)) {
        out.add(p.getFileName() + " (" + (id == null ? "plaintext" : "key " + id) + ")");
      }
    }
    return out;
  }

  /** Queues a background snapshot; {@code rewrap}: even at an unchanged sequence. */
  void queueCheckpoint(HashDatabase db, boolean rewrap) {
    if (checkpointQueued.compareAndSet(false, true)) {
      background.execute(() -> {
        try {
          checkpoint(db, rewrap);
        } catch (IOException | RuntimeException e) {
          LOG.log(Level.ERROR, "background snapshot failed (the log keeps every change): " + e, e);
        } finally {
          checkpointQueued.set(false);
        }
      });
    }
  }

  /** Writes a snapshot and trims the log back to the previous snapshot; a failure sets the back-off. */
  void checkpoint(HashDatabase db) throws IOException {
    checkpoint(db, false);
  }

  private void checkpoint(HashDatabase db, boolean rewrap) throws IOException {
    synchronized (checkpointLock) {
      checkpointAttempts.incrementAndGet();
      try {
        writeCheckpoint(db, rewrap || !filesNotUnderCurrentKey().isEmpty());
        retryDelayNanos = 0;
        retrying = false;
      } catch (IOException | RuntimeException e) {
        checkpointFailures.incrementAndGet();
        retryDelayNanos = retryDelayNanos == 0 ? FIRST_RETRY_NANOS
            : Math.min(MAX_RETRY_NANOS, retryDelayNanos * 2);
        retryAtNanos = clock.getAsLong() + retryDelayNanos;
        retrying = true;
        throw e;
      }
    }
  }

  MasterKeys masterKeys() {
    return options.masterKeys();
  }

  org.hashdb.core.disk.FileIo io() {
    return options.io();
  }

  /** Failed snapshots so far. */
  long checkpointFailures() {
    return checkpointFailures.get();
  }

  /** Snapshots attempted so far (automatic and explicit). */
  long checkpointAttempts() {
    return checkpointAttempts.get();
  }

  /** Whether a background snapshot is queued or running. */
  boolean checkpointPending() {
    return checkpointQueued.get();
  }

  private void writeCheckpoint(HashDatabase db, boolean rewrap) throws IOException {
    {
      SnapshotCodec.Capture c;
      db.writeLock().lock();
      try {
        c = SnapshotCodec.capture(db);
        // Records after this point go to a new segment, so whole segments can be deleted later.
        wal.rollSegment();
      } finally {
        db.writeLock().unlock();
      }
      if (c.sequence() == lastSnapshotSequence && lastSnapshot != null && !rewrap) {
        return;
      }
      // Only durable changes go into a snapshot (see SnapshotCodec.export).
      db.awaitDurable(c.sequence());
      long previous = lastSnapshotSequence;
      long t0 = System.nanoTime();
      Path written;
      try (SnapshotWriter w = SnapshotWriter.create(dir, c.sequence(), System.currentTimeMillis(),
          options.io(), options.masterKeys())) {
        SnapshotCodec.write(db, c, w);
        written = w.commit();
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      lastSnapshot = Instant.now();
      lastSnapshotSequence = c.sequence();
      if (rewrap) {
        // Migration or rotation: nothing written in plaintext or under an old key stays; this
        // one time without the fallback snapshot.
        SnapshotFiles.deleteOlderThan(dir, c.sequence());
        wal.deleteSegmentsUpTo(c.sequence());
        List<String> left = filesNotUnderCurrentKey();
        LOG.log(left.isEmpty() ? Level.INFO : Level.WARNING, "snapshot at sequence " + c.sequence()
            + " written under master key " + options.masterKeys().current().id() + "; "
            + (left.isEmpty() ? "no file in plaintext or under another key is left"
                : "still not under it: " + String.join(", ", left)));
      } else {
        // Keep the two newest snapshots and the log from the older one on.
        SnapshotFiles.deleteOlderThan(dir, previous);
        wal.deleteSegmentsUpTo(previous);
      }
      double mb = java.nio.file.Files.size(written) / 1e6;
      LOG.log(Level.INFO, String.format("snapshot at sequence %d written (%.1f MB) in %.2f s (%.0f MB/s)",
          c.sequence(), mb, secs, mb / secs));
    }
  }

  Instant lastSnapshotTime() {
    return lastSnapshot;
  }

  void close() throws IOException {
    background.shutdown();
    try {
      if (!background.awaitTermination(10, TimeUnit.MINUTES)) {
        LOG.log(Level.WARNING, "snapshot still running at close");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      wal.close();
    } finally {
      lock.close();
    }
  }
}
