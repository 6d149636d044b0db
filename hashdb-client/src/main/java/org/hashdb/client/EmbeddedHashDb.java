package org.hashdb.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.ListFilter;
import org.hashdb.core.video.VpdqFrame;
import org.hashdb.core.video.VpdqFrames;
import org.hashdb.core.video.VpdqMatchOptions;
import org.hashdb.core.pdq.PdqIndex;

/**
 * {@link HashLookup} over a local {@link HashDatabase}: the same calls as {@link HashDbClient},
 * no server. Lookups run on the calling thread; the async methods return futures that are
 * already complete. Thread-safe (the database's reads take no lock).
 */
public final class EmbeddedHashDb implements HashLookup {
  /** PDQ distance used for {@link Query#DEFAULT_DISTANCE}, the server's default. */
  public static final int DEFAULT_PDQ_DISTANCE = PdqIndex.DEFAULT_MAX_DISTANCE;

  private final HashDatabase db;
  private final ListFilter filter;
  private final boolean owned; // close the database on close()

  private EmbeddedHashDb(HashDatabase db, ListFilter filter, boolean owned) {
    this.db = Objects.requireNonNull(db, "db");
    this.filter = Objects.requireNonNull(filter, "filter");
    this.owned = owned;
  }

  /**
   * Opens the data directory (it is locked against other processes, a running server included,
   * until {@link #close}) and looks up on every list. Never creates a database: a mistyped path
   * must not look like a clean result.
   *
   * @throws IllegalArgumentException {@code dataDir} does not exist or holds no database
   * @throws IOException the database cannot be read, or another process holds the directory
   */
  public static EmbeddedHashDb open(Path dataDir) throws IOException {
    OptionalDependencies.requireRoaringBitmap("embedded mode (EmbeddedHashDb)");
    return open(dataDir, ListFilter.all());
  }

  /**
   * Opens the data directory and looks up only on the lists {@code filter} admits.
   *
   * @throws IllegalArgumentException {@code dataDir} does not exist or holds no database
   */
  public static EmbeddedHashDb open(Path dataDir, ListFilter filter) throws IOException {
    return open(dataDir, filter, org.hashdb.core.disk.MasterKeys.none());
  }

  /**
   * Opens an encrypted data directory (or migrates a plaintext one) with {@code keys}, e.g.
   * {@code MasterKeys.load("/etc/hashdb/master.key")} or a {@code pkcs11:} URI.
   *
   * @throws org.hashdb.core.disk.MasterKeyException the directory is encrypted and the key is
   *     missing or wrong
   */
  public static EmbeddedHashDb open(Path dataDir, ListFilter filter,
      org.hashdb.core.disk.MasterKeys keys) throws IOException {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(keys, "keys");
    OptionalDependencies.requireRoaringBitmap("embedded mode (EmbeddedHashDb)");
    return new EmbeddedHashDb(HashDatabase.openExisting(dataDir,
        org.hashdb.core.db.DatabaseOptions.defaults().withMasterKeys(keys)), filter, true);
  }

  /** Wraps a database the caller keeps open and closes itself. */
  public static EmbeddedHashDb wrap(HashDatabase db, ListFilter filter) {
    return new EmbeddedHashDb(db, filter, false);
  }

  @Override
  public LookupResult lookup(Query query) {
    Objects.requireNonNull(query, "query");
    List<org.hashdb.core.db.Hit> found;
    if (query.type().isExact()) {
      found = db.lookup(query.type(), query.valueUnsafe(), filter);
    } else {
      int d = query.maxDistance() == Query.DEFAULT_DISTANCE ? DEFAULT_PDQ_DISTANCE : query.maxDistance();
      found = db.search(query.valueUnsafe(), d, filter);
    }
    if (found.isEmpty()) {
      return LookupResult.miss(query);
    }
    List<Match> matches = new ArrayList<>(found.size());
    for (org.hashdb.core.db.Hit m : found) {
      matches.add(new Match(m.entry(), m.list(), m.category(), m.distance()));
    }
    return new LookupResult(query.type(), query.hex(), matches);
  }

  @Override
  public List<LookupResult> lookupAll(List<Query> queries) {
    Objects.requireNonNull(queries, "queries");
    List<LookupResult> out = new ArrayList<>(queries.size());
    for (Query q : queries) {
      out.add(lookup(q));
    }
    return out;
  }

  @Override
  public BitSet contains(HashType type, List<byte[]> values) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(values, "values");
    if (!type.isExact()) {
      throw new IllegalArgumentException("type: bulk lookups take exact types (md5, sha1, sha256), got " + type);
    }
    int len = type.byteLength();
    byte[] packed = new byte[values.size() * len];
    for (int i = 0; i < values.size(); i++) {
      byte[] v = values.get(i);
      if (v == null || v.length != len) {
        throw new IllegalArgumentException(
            "values[" + i + "]: a " + type + " hash has " + len + " bytes, got " + (v == null ? "null" : v.length));
      }
      System.arraycopy(v, 0, packed, i * len, len);
    }
    byte[] bits = new byte[(values.size() + 7) / 8];
    db.containsBatch(type, packed, 0, values.size(), filter, bits);
    return BitSet.valueOf(bits);
  }

  @Override
  public List<VideoMatch> lookupVideo(List<VpdqFrame> frames, VpdqMatchOptions options) {
    Objects.requireNonNull(frames, "frames");
    VpdqMatchOptions o = options == null ? VpdqMatchOptions.defaults() : options;
    byte[] query = VpdqFrames.canonical(frames, o.minQuality());
    List<VideoMatch> out = new ArrayList<>();
    if (query.length == 0) {
      return out; // no frame of useful quality: nothing can match
    }
    for (org.hashdb.core.db.VideoHit m : db.searchVideo(query, o, filter)) {
      out.add(new VideoMatch(m.entry().entry(), m.entry().list(), m.entry().category(),
          m.queryPercent(), m.storedPercent(), m.rule().apiName()));
    }
    return out;
  }

  @Override
  public CompletableFuture<List<VideoMatch>> lookupVideoAsync(List<VpdqFrame> frames, VpdqMatchOptions options) {
    return completed(() -> lookupVideo(frames, options));
  }

  @Override
  public CompletableFuture<LookupResult> lookupAsync(Query query) {
    return completed(() -> lookup(query));
  }

  @Override
  public CompletableFuture<List<LookupResult>> lookupAllAsync(List<Query> queries) {
    return completed(() -> lookupAll(queries));
  }

  @Override
  public CompletableFuture<BitSet> containsAsync(HashType type, List<byte[]> values) {
    return completed(() -> contains(type, values));
  }

  private static <T> CompletableFuture<T> completed(java.util.function.Supplier<T> call) {
    try {
      return CompletableFuture.completedFuture(call.get());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Closes the database when this instance opened it. */
  @Override
  public void close() {
    if (owned) {
      try {
        db.close();
      } catch (IOException e) {
        throw new UncheckedIOException("closing the database failed", e);
      }
    }
  }

  @Override
  public String toString() {
    return "EmbeddedHashDb[" + filter + "]";
  }
}
