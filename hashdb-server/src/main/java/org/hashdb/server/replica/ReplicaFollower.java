package org.hashdb.server.replica;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Locale;
import org.hashdb.core.db.DatabaseOptions;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.disk.DataDirectories;
import org.hashdb.core.disk.SnapshotFormat;
import org.hashdb.core.disk.SnapshotReader;
import org.hashdb.core.disk.WalFormat;
import org.hashdb.core.disk.WalRecord;
import org.hashdb.server.ReplicaState;
import org.hashdb.server.api.ApiService;
import org.hashdb.server.auth.KeyRing;

/**
 * Keeps a read replica's data directory equal to its primary's database: bootstraps it from a
 * snapshot download when it holds none (or the chain broke), then applies the change feed with
 * long-polls, one change at a time, each through {@link HashDatabase#applyReplicated} (the
 * replica's own write-ahead log, the primary's sequence numbers) and each checked against the
 * primary's running state digest. A gap in the feed, a digest that differs, or 410 {@code
 * snapshot_required} re-bootstraps: the new snapshot is downloaded while the old state is still
 * served (with {@code /readyz} at 503), then swapped in. A second thread copies the primary's
 * keys file every second. Lookups are never blocked by either.
 */
public final class ReplicaFollower implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ReplicaFollower.class.getName());
  private static final JsonFactory JSON = new JsonFactory();
  /** Longest time a feed request waits on the primary for a change (the primary may cut it). */
  static final int MAX_WAIT_SECONDS = 10;
  /** How often the primary's keys file is fetched, ms. */
  static final long KEY_SYNC_MILLIS = 1000;
  /** Where a snapshot download lands before it is verified and moved into place. */
  static final String DOWNLOAD = "replica-bootstrap.part";
  private static final long MAX_BACKOFF_MILLIS = 2000;

  private final Path dataDir;
  private final DatabaseOptions options;
  private final ApiService api;
  private final KeyRing keys;
  private final ReplicaState state;
  private final PrimaryClient primary;
  private final Thread follower;
  private final Thread keySync;
  private final int waitSeconds;
  private volatile boolean stopped;
  private String lastWarning; // follower thread only
  private long lastWarningNanos;

  /** Signals that the chain broke: only a new snapshot repairs it. */
  private static final class BrokenChain extends Exception {
    BrokenChain(String message) {
      super(message);
    }
  }

  public ReplicaFollower(Path dataDir, DatabaseOptions options, String primaryUrl,
      String replicaKey, ApiService api, KeyRing keys) {
    // a long-poll's answer is the sign of life: it must come well within the loss bound
    this.waitSeconds = Math.max(1, Math.min(MAX_WAIT_SECONDS,
        api.config().replicaMaxPrimaryLossSeconds() / 3));
    this.dataDir = dataDir;
    this.options = options;
    this.api = api;
    this.keys = keys;
    this.state = new ReplicaState(primaryUrl);
    this.primary = new PrimaryClient(primaryUrl, replicaKey);
    this.follower = new Thread(this::follow, "hashdb-replica");
    this.follower.setDaemon(true);
    this.keySync = new Thread(this::syncKeys, "hashdb-replica-keys");
    this.keySync.setDaemon(true);
  }

  public ReplicaState state() {
    return state;
  }

  /**
   * Opens the replica's database (the server's loader calls this): the data directory's own
   * when it holds one, so a restart resumes from its own sequence; otherwise a bootstrap from the
   * primary's snapshot, retried until it succeeds or the server stops.
   */
  public HashDatabase open(Path dir) throws IOException {
    try {
      copyKeys(); // the primary's keys before the first lookup
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "replica: cannot fetch the primary's keys yet: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (DataDirectories.hasDatabase(dir)) {
      HashDatabase db = HashDatabase.open(dir, options);
      LOG.log(System.Logger.Level.INFO, "replica of " + state.primaryUrl()
          + ": resuming from its own sequence " + db.sequence());
      state.bootstrapping(false);
      return db;
    }
    long backoff = 100;
    while (!stopped) {
      try {
        return bootstrap(null);
      } catch (IOException e) {
        state.primaryError();
        warn("replica: bootstrap from " + state.primaryUrl() + " failed: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      if (!sleep(backoff)) {
        break;
      }
      backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
    }
    throw new IOException("replica stopped before its bootstrap finished");
  }

  /** Starts following the feed and the keys (once the database is served). */
  public void start() {
    follower.start();
    keySync.start();
  }

  @Override
  public void close() {
    stopped = true;
    follower.interrupt();
    keySync.interrupt();
    try {
      follower.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---------------------------------------------------------------- bootstrap

  /**
   * Downloads a snapshot (streamed to a file while {@code old}, if any, is still served),
   * checks its header against the download's, then replaces the directory's snapshots and log
   * with it, loads it (every section's CRC is checked while loading) and checks the loaded
   * digest against the primary's.
   */
  private HashDatabase bootstrap(HashDatabase old) throws IOException, InterruptedException {
    state.bootstrapping(true);
    long t0 = System.nanoTime();
    Path part = dataDir.resolve(DOWNLOAD);
    PrimaryClient.Snapshot snap;
    try {
      snap = primary.downloadSnapshot(part);
      try (SnapshotReader r = SnapshotReader.open(part)) {
        if (r.sequence() != snap.sequence()) {
          throw new IOException("downloaded snapshot is at sequence " + r.sequence()
              + " but the primary announced " + snap.sequence());
        }
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      Files.deleteIfExists(part);
      throw e;
    }
    long bytes = Files.size(part);
    if (old != null) {
      old.close(); // lookups keep reading its memory until the new one is served
    }
    clearDatabaseFiles(dataDir);
    Files.move(part, dataDir.resolve(SnapshotFormat.fileName(snap.sequence())),
        StandardCopyOption.ATOMIC_MOVE);
    HashDatabase db = HashDatabase.open(dataDir, options);
    String loaded = db.digest().hex();
    if (!loaded.equals(snap.digest())) {
      db.close();
      clearDatabaseFiles(dataDir);
      throw new IOException("snapshot at sequence " + snap.sequence() + " loads with digest "
          + loaded + ", the primary announced " + snap.digest());
    }
    LOG.log(System.Logger.Level.INFO, String.format(Locale.ROOT,
        "replica bootstrapped from %s at sequence %d: %.1f MB in %.1f s", state.primaryUrl(),
        snap.sequence(), bytes / 1e6, (System.nanoTime() - t0) / 1e9));
    state.contact(snap.sequence(), snap.sequence());
    state.bootstrapping(false);
    return db;
  }

  /** Deletes the snapshots and log segments of {@code dir} (nothing else: keys, logs stay). */
  private static void clearDatabaseFiles(Path dir) throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (SnapshotFormat.parseFileName(name) >= 0 || WalFormat.parseSegmentFileName(name) >= 0) {
          Files.delete(p);
        }
      }
    }
  }

  private void rebootstrap(String why) throws InterruptedException {
    LOG.log(System.Logger.Level.WARNING, "replica: " + why + "; bootstrapping again from "
        + state.primaryUrl());
    long backoff = 100;
    while (!stopped) {
      try {
        api.databaseReady(bootstrap(api.database()));
        return;
      } catch (IOException e) {
        state.primaryError();
        warn("replica: bootstrap from " + state.primaryUrl() + " failed: " + e.getMessage());
      }
      if (!sleep(backoff)) {
        return;
      }
      backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
    }
  }

  // ---------------------------------------------------------------- the feed

  private void follow() {
    long backoff = 100;
    while (!stopped) {
      try {
        followOnce(api.database());
        backoff = 100;
      } catch (BrokenChain e) {
        try {
          rebootstrap(e.getMessage());
        } catch (InterruptedException ie) {
          return;
        }
      } catch (PrimaryClient.PrimaryException e) {
        if (e.status == 410) {
          state.gap();
          try {
            rebootstrap("the primary no longer has the changes after this replica's sequence");
          } catch (InterruptedException ie) {
            return;
          }
          continue;
        }
        state.primaryError();
        warn("replica: " + e.getMessage());
        if (!sleep(e.status == 401 || e.status == 403 ? 5000 : backoff)) {
          return;
        }
        backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
      } catch (IOException | RuntimeException e) {
        if (stopped) {
          return;
        }
        state.primaryError();
        warn("replica: following " + state.primaryUrl() + " failed: " + e);
        if (!sleep(backoff)) {
          return;
        }
        backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** One long-poll: applies the page's changes, then checks the page's digest. */
  private void followOnce(HashDatabase db) throws IOException, InterruptedException, BrokenChain {
    long since = db.sequence();
    try (InputStream in = primary.changes(since, waitSeconds);
        JsonParser p = JSON.createParser(in)) {
      state.answered();
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("change feed answer is not a JSON object");
      }
      long primarySeq = -1;
      long next = -1;
      String pageDigest = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.getCurrentName();
        JsonToken t = p.nextToken();
        switch (field) {
          case "sequence" -> primarySeq = p.getLongValue();
          case "next" -> next = p.getLongValue();
          case "digest" -> pageDigest = p.getText();
          case "changes" -> {
            if (t != JsonToken.START_ARRAY) {
              throw new IOException("changes is not an array");
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
              apply(db, p);
              state.applied(db.sequence());
            }
          }
          default -> p.skipChildren();
        }
      }
      if (next != db.sequence() || pageDigest == null) {
        state.gap();
        throw new BrokenChain("change feed page ends at " + next + ", this replica is at "
            + db.sequence());
      }
      if (!pageDigest.equals(db.digest().hex())) {
        state.digestMismatch();
        throw new BrokenChain("state digest at sequence " + next + " differs from the primary's");
      }
      state.contact(Math.max(primarySeq, next), db.sequence());
    }
  }

  private void apply(HashDatabase db, JsonParser p) throws IOException, BrokenChain {
    long seq = -1;
    long time = 0;
    int kind = -1;
    byte[] payload = null;
    String digest = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.getCurrentName();
      p.nextToken();
      switch (field) {
        case "sequence" -> seq = p.getLongValue();
        case "timeMillis" -> time = p.getLongValue();
        case "record" -> kind = p.getIntValue();
        case "payload" -> payload = p.getBinaryValue();
        case "digest" -> digest = p.getText();
        default -> p.skipChildren();
      }
    }
    if (payload == null || kind < 0 || kind > 255 || digest == null) {
      throw new IOException("change " + seq + " carries no log record (records=true unsupported?)");
    }
    if (seq != db.sequence() + 1) {
      state.gap();
      throw new BrokenChain("change feed jumps from " + db.sequence() + " to " + seq);
    }
    db.applyReplicated(new WalRecord(seq, time, (byte) kind, payload));
    if (!digest.equals(db.digest().hex())) {
      state.digestMismatch();
      throw new BrokenChain("state digest after change " + seq + " differs from the primary's");
    }
  }

  // ---------------------------------------------------------------- keys

  private void syncKeys() {
    while (!stopped) {
      try {
        copyKeys();
      } catch (IOException e) {
        LOG.log(System.Logger.Level.DEBUG, "replica: keys: " + e.getMessage());
      } catch (InterruptedException e) {
        return;
      }
      if (!sleep(KEY_SYNC_MILLIS)) {
        return;
      }
    }
  }

  /**
   * Replaces the replica's keys file with the primary's when they differ (atomically, mode 600)
   * and reloads it: keys created or revoked there take effect here.
   */
  private void copyKeys() throws IOException, InterruptedException {
    byte[] theirs = primary.keys();
    Path file = keys.path();
    byte[] ours;
    try {
      ours = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      ours = null;
    }
    if (Arrays.equals(theirs, ours)) {
      return;
    }
    Path tmp = Files.createTempFile(file.getParent(), ".keys-", ".tmp"); // rw------- on POSIX
    try {
      Files.write(tmp, theirs);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
    keys.reloadIfChanged();
  }

  // ---------------------------------------------------------------- helpers

  /** Logs a warning, but the same one at most every 30 s. */
  private synchronized void warn(String message) {
    long now = System.nanoTime();
    if (!message.equals(lastWarning) || now - lastWarningNanos > 30_000_000_000L) {
      LOG.log(System.Logger.Level.WARNING, message);
      lastWarning = message;
      lastWarningNanos = now;
    }
  }

  private boolean sleep(long millis) {
    try {
      Thread.sleep(millis);
      return !stopped;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
