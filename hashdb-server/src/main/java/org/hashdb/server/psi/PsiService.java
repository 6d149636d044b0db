package org.hashdb.server.psi;

import org.hashdb.server.PsiSettings;

import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.bouncycastle.math.ec.ECPoint;
import org.hashdb.core.Accountable;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.psi.InvalidElementException;
import org.hashdb.core.psi.PsiInput;
import org.hashdb.core.psi.Voprf;
import org.hashdb.core.psi.VoprfServer;
import org.hashdb.core.db.DatabaseStats;
import org.hashdb.core.db.EntryIds;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.ListFilter;
import org.hashdb.server.ApiException;
import org.hashdb.core.db.DatabaseStats;
import org.hashdb.core.db.EntryIds;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.ListFilter;
import org.hashdb.server.ApiException;
import org.hashdb.server.PoolTasks;

/**
 * Private lookups on a server: the OPRF keys ({@link OprfKeyStore}), one {@link PrfTable} per
 * served key kept current by a background precomputer thread (incremental: it follows the
 * entry ordinals the database appends; removed entries are dropped at lookup time and from
 * the saved table), the lookup pool that evaluates batches, and key rotation with overlap.
 *
 * <p>Everything here derives from the key and the entries: a node with the same key file and
 * the same entries (a replica, issue 14) computes the same table, so tables need not be
 * replicated. Thread-safe.
 */
public final class PsiService implements Closeable {
  private static final System.Logger LOG = System.getLogger(PsiService.class.getName());
  private static final Voprf G = Voprf.P256_SHA256;
  private static final HashType[] EXACT = {HashType.MD5, HashType.SHA1, HashType.SHA256};
  private static final int STEP = 2048; // entries per precomputer step before it looks around
  private static final long SAVE_EVERY_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final PsiSettings settings;
  private final Path dir;
  private final OprfKeyStore store;
  private final Supplier<HashDatabase> db;
  private final SecureRandom random = new SecureRandom();
  private final ThreadPoolExecutor pool;
  private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);
  private final Object wake = new Object();
  private final Thread precomputer;
  private volatile Keys keys;
  private volatile boolean closed;
  private volatile double lastRatePerSecond; // precomputation throughput, entries/s

  private PsiService(PsiSettings settings, Path dir, OprfKeyStore store, Supplier<HashDatabase> db,
      Keys keys) {
    this.settings = settings;
    this.dir = dir;
    this.store = store;
    this.db = db;
    this.keys = keys;
    int threads = settings.effectiveThreads();
    AtomicInteger n = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(256), r -> {
          Thread t = new Thread(r, "hashdb-psi-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    this.precomputer = new Thread(this::precomputeLoop, "hashdb-psi-precompute");
    precomputer.setDaemon(true);
    precomputer.setPriority(Thread.NORM_PRIORITY - 1);
  }

  /**
   * Opens private lookups for the data directory {@code dataDir} (keys and saved tables in
   * {@code dataDir/psi}) over the database {@code db} supplies (null while it loads), and
   * starts the precomputer.
   */
  public static PsiService open(Path dataDir, PsiSettings settings, Supplier<HashDatabase> db)
      throws IOException {
    return open(dataDir, settings, db, org.hashdb.core.disk.MasterKeys.none());
  }

  /** {@link #open(Path, PsiSettings, Supplier)} with the OPRF key file encrypted under {@code keys}. */
  public static PsiService open(Path dataDir, PsiSettings settings, Supplier<HashDatabase> db,
      org.hashdb.core.disk.MasterKeys masterKeys) throws IOException {
    Path dir = dataDir.resolve("psi");
    org.hashdb.core.disk.PrivateFiles.createDirectories(dir); // mode 700, like the data directory
    OprfKeyStore store = new OprfKeyStore(dir, masterKeys);
    OprfKeyStore.Keys k = store.loadOrCreate(new SecureRandom(), nowSeconds());
    Keys keys = new Keys(load(dir, k.current(), settings), load(dir, k.previous(), settings),
        k.previousRetiresSeconds(), load(dir, k.next(), settings), k.createdSeconds());
    PsiService s = new PsiService(settings, dir, store, db, keys);
    s.precomputer.start();
    return s;
  }

  private static ServedKey load(Path dir, VoprfServer key, PsiSettings settings)
      throws IOException {
    if (key == null) {
      return null;
    }
    byte[] pk = key.publicKey();
    PrfTable t = PrfTableFile.read(PrfTableFile.path(dir, pk), pk, settings.bucketBits());
    if (t == null) {
      t = new PrfTable(settings.bucketBits());
    } else {
      LOG.log(System.Logger.Level.INFO, "private lookups: loaded " + t.size()
          + " saved PRF outputs for key " + org.hashdb.core.hash.Hex.encode(pk, 0, 8));
    }
    return new ServedKey(key, t);
  }

  public PsiSettings settings() {
    return settings;
  }

  // ---------------------------------------------------------------- config and lookups

  /** Writes the {@code GET /v1/psi/config} object. */
  public void writeConfig(JsonGenerator g) throws IOException {
    Keys k = keys;
    g.writeStartObject();
    g.writeStringField("suite", Voprf.SUITE);
    g.writeStringField("mode", "voprf");
    g.writeNumberField("bucketBits", settings.bucketBits());
    g.writeNumberField("bucketSize", bucketSize(k.current));
    g.writeNumberField("maxQueries", settings.maxQueries());
    g.writeStringField("publicKey", k.current.publicKeyHex);
    g.writeBooleanField("ready", k.current.complete);
    if (k.previous != null) {
      g.writeStringField("previousPublicKey", k.previous.publicKeyHex);
      g.writeStringField("previousKeyRetires",
          java.time.Instant.ofEpochSecond(k.previousRetires).toString());
    }
    if (k.next != null) {
      g.writeStringField("nextPublicKey", k.next.publicKeyHex);
    }
    g.writeEndObject();
  }

  /** Values per bucket in answers under {@code s}: never below its largest bucket. */
  private int bucketSize(ServedKey s) {
    return Math.max(settings.bucketSize(), s.table.largestBucket());
  }

  /**
   * Evaluates {@code req} on the lookup pool and writes the response with {@code writer}.
   *
   * @throws ApiException 503 when the pool's queue is full
   */
  public <T> CompletableFuture<T> submit(PsiRequest req, ListFilter filter,
      java.util.function.Function<Answer, T> writer) {
    ServedKey key = select(req);
    return PoolTasks.submit(pool, () -> writer.apply(answer(key, req, filter)));
  }

  /** The served key a request asks for (the current one by default). */
  ServedKey select(PsiRequest req) {
    Keys k = keys;
    ServedKey s = k.current;
    if (req.publicKey != null) {
      if (k.previous != null && Arrays.equals(req.publicKey, k.previous.publicKey)) {
        s = k.previous;
      } else if (!Arrays.equals(req.publicKey, k.current.publicKey)) {
        throw PsiRequest.invalid("publicKey: not a key this server serves; fetch /v1/psi/config");
      }
    }
    if (!s.complete) {
      throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable",
          "private lookups are still being prepared (" + s.pending + " entries pending)",
          "Retry-After", "10");
    }
    return s;
  }

  /**
   * The whole server-side work of one request, on the calling thread: checks and evaluates the
   * blinded elements, proves, and gathers each distinct bucket's values. Public for the
   * benchmark.
   */
  public Answer answer(PsiRequest req, ListFilter filter) {
    return answer(select(req), req, filter);
  }

  private Answer answer(ServedKey key, PsiRequest req, ListFilter filter) {
    int n = req.size();
    ECPoint[] points = new ECPoint[n];
    for (int i = 0; i < n; i++) {
      try {
        points[i] = G.deserializeElement(req.blinded[i]);
      } catch (InvalidElementException e) {
        throw PsiRequest.invalid("queries[" + i + "].blindedElement: " + e.getMessage());
      }
    }
    VoprfServer.Evaluation ev = key.key.blindEvaluate(points, req.blinded, random);
    HashDatabase d = db.get();
    Map<Long, byte[]> buckets = new LinkedHashMap<>();
    int size = bucketSize(key);
    Scratch s = scratch.get();
    for (int i = 0; i < n; i++) {
      long b = req.buckets[i];
      if (!buckets.containsKey(b)) {
        buckets.put(b, bucketValues(d, key, b, filter, size, s));
      }
    }
    return new Answer(ev, key.publicKeyHex, buckets, size);
  }

  /** {@code size} values of one bucket, shuffled: the visible live outputs, then padding. */
  private byte[] bucketValues(HashDatabase d, ServedKey key, long bucket, ListFilter filter,
      int size, Scratch s) {
    byte[] recs = key.table.bucket(bucket);
    byte[] out = new byte[size * 32];
    int real = 0;
    for (int off = 0; off < recs.length; off += PrfTable.RECORD) {
      HashType t = PrfTable.type(recs, off);
      if (d != null && d.contains(t, recs, off + 1, filter)) {
        System.arraycopy(recs, off + 1 + PrfTable.RAW, out, real * 32, 32);
        real++;
      }
    }
    if (real < size) {
      s.padding.values(key.padKey, bucket, size - real, s.pad(size));
      System.arraycopy(s.pad, 0, out, real * 32, (size - real) * 32);
    }
    shuffle(out, size, s);
    return out;
  }

  /**
   * Puts the values in ascending order of their first bytes: a canonical order that depends
   * only on the set, so positions reveal neither which values are padding nor insertion order
   * (a shuffle from a fast non-cryptographic generator could be undone from repeated answers).
   */
  private static void shuffle(byte[] values, int n, Scratch s) {
    if (n > 1 << 20) {
      throw new IllegalStateException("a bucket holds more than 2^20 values; raise psi.bucketBits");
    }
    long[] order = s.order(n);
    for (int i = 0; i < n; i++) {
      long prefix = 0;
      for (int j = 0; j < 8; j++) {
        prefix = prefix << 8 | (values[i * 32 + j] & 0xFF);
      }
      order[i] = ((prefix >>> 21) << 20) | i; // 43 bits of value (sign bit clear), 20 of index
    }
    Arrays.sort(order, 0, n);
    byte[] copy = s.copy(n);
    System.arraycopy(values, 0, copy, 0, n * 32);
    for (int i = 0; i < n; i++) {
      int from = (int) (order[i] & 0xFFFFF);
      System.arraycopy(copy, from * 32, values, i * 32, 32);
    }
  }

  /** The result of one lookup request, ready to be written as JSON. */
  public static final class Answer {
    private final VoprfServer.Evaluation evaluation;
    private final String publicKeyHex;
    private final Map<Long, byte[]> buckets;
    private final int bucketSize;

    Answer(VoprfServer.Evaluation evaluation, String publicKeyHex, Map<Long, byte[]> buckets,
        int bucketSize) {
      this.evaluation = evaluation;
      this.publicKeyHex = publicKeyHex;
      this.buckets = buckets;
      this.bucketSize = bucketSize;
    }

    /**
     * The response object of {@code POST /v1/psi/lookup} as UTF-8 JSON. Written by hand, not
     * through a JSON generator: it is ASCII hex, brackets and decimal keys only, and the bucket
     * values are nearly all of it (51,200 of them for 100 queries by default), so formatting
     * them straight into bytes is most of the saving.
     */
    public byte[] toJson() {
      int n = evaluation.size();
      int size = 64 + n * 69 + 140 + 80 + buckets.size() * (24 + bucketSize * 67);
      byte[] out = new byte[size];
      int pos = put(out, 0, "{\"evaluatedElements\":[");
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          out[pos++] = ',';
        }
        out[pos++] = '"';
        pos = Hex.encodeAscii(evaluation.evaluated(i), 0, Voprf.ELEMENT_BYTES, out, pos);
        out[pos++] = '"';
      }
      pos = put(out, pos, "],\"proof\":\"");
      byte[] proof = evaluation.proof();
      pos = Hex.encodeAscii(proof, 0, proof.length, out, pos);
      pos = put(out, pos, "\",\"publicKey\":\"" + publicKeyHex + "\",\"buckets\":{");
      boolean first = true;
      for (Map.Entry<Long, byte[]> e : buckets.entrySet()) {
        pos = put(out, pos, (first ? "\"" : ",\"") + e.getKey() + "\":[");
        first = false;
        byte[] v = e.getValue();
        for (int i = 0; i < bucketSize; i++) {
          if (i > 0) {
            out[pos++] = ',';
          }
          out[pos++] = '"';
          pos = Hex.encodeAscii(v, i * 32, 32, out, pos);
          out[pos++] = '"';
        }
        out[pos++] = ']';
      }
      out[pos++] = '}';
      out[pos++] = '}';
      return pos == out.length ? out : Arrays.copyOf(out, pos);
    }

    private static int put(byte[] out, int pos, String ascii) {
      for (int i = 0; i < ascii.length(); i++) {
        out[pos++] = (byte) ascii.charAt(i);
      }
      return pos;
    }

    byte[] evaluatedForTest(int i) {
      return evaluation.evaluated(i);
    }

    byte[] proofForTest() {
      return evaluation.proof();
    }

    /** True when {@code value} is among the bucket's values. */
    boolean containsForTest(long bucket, byte[] value) {
      byte[] v = buckets.get(bucket);
      for (int off = 0; off < v.length; off += 32) {
        if (Arrays.equals(v, off, off + 32, value, 0, 32)) {
          return true;
        }
      }
      return false;
    }
  }

  // ---------------------------------------------------------------- rotation

  /**
   * Starts a key rotation: a new key is generated and saved as "next"; once its PRF outputs are
   * complete it becomes current and the old key stays served as "previous" for {@code
   * psi.keyOverlapSeconds}. Returns the new public key (hex).
   *
   * @throws IllegalStateException when a rotation is already under way
   */
  public synchronized String rotate() throws IOException {
    Keys k = keys;
    if (k.next != null) {
      throw new IllegalStateException("a key rotation is already under way");
    }
    VoprfServer next = VoprfServer.generate(random);
    store.write(new OprfKeyStore.Keys(k.current.key, k.created,
        k.previous == null ? null : k.previous.key, k.previousRetires, next));
    ServedKey served = new ServedKey(next, new PrfTable(settings.bucketBits()));
    keys = new Keys(k.current, k.previous, k.previousRetires, served, k.created);
    synchronized (wake) {
      wake.notifyAll();
    }
    return served.publicKeyHex;
  }

  /** Promotes a complete "next" key and retires an expired "previous" one. Precomputer thread. */
  private synchronized void advanceKeys() throws IOException {
    Keys k = keys;
    long now = nowSeconds();
    Keys updated = k;
    if (k.previous != null && now >= k.previousRetires) {
      updated = new Keys(k.current, null, 0, k.next, k.created);
      Files.deleteIfExists(PrfTableFile.path(dir, k.previous.publicKey));
    }
    if (updated.next != null && updated.next.complete) {
      updated = new Keys(updated.next, updated.current, now + settings.keyOverlapSeconds(), null,
          now);
      save(updated.current);
    }
    if (updated != k) {
      store.write(new OprfKeyStore.Keys(updated.current.key, updated.created,
          updated.previous == null ? null : updated.previous.key, updated.previousRetires,
          updated.next == null ? null : updated.next.key));
      keys = updated;
      LOG.log(System.Logger.Level.INFO, "private lookups: current OPRF key "
          + updated.current.publicKeyHex.substring(0, 16) + (updated.previous == null ? ""
          : ", previous " + updated.previous.publicKeyHex.substring(0, 16) + " until "
              + java.time.Instant.ofEpochSecond(updated.previousRetires)));
    }
  }

  // ---------------------------------------------------------------- precomputation

  private void precomputeLoop() {
    long lastSave = System.nanoTime();
    boolean dirty = false;
    while (!closed) {
      try {
        HashDatabase d = db.get();
        boolean worked = false;
        if (d != null) {
          long t0 = System.nanoTime();
          int done = 0;
          for (ServedKey s : keys.all()) {
            int n = step(d, s);
            done += n;
            worked |= n > 0;
          }
          if (done > 0) {
            lastRatePerSecond = done / ((System.nanoTime() - t0) / 1e9);
            dirty = true;
          }
          advanceKeys();
          boolean idle = !worked;
          if (dirty && (idle || System.nanoTime() - lastSave > SAVE_EVERY_NANOS)) {
            for (ServedKey s : keys.all()) {
              if (s.complete) {
                compact(d, s);
                save(s);
              }
            }
            lastSave = System.nanoTime();
            dirty = false;
          }
        }
        if (!worked) {
          synchronized (wake) {
            if (!closed) {
              wake.wait(1000);
            }
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (Throwable t) {
        LOG.log(System.Logger.Level.WARNING, "private lookups: precomputation failed: " + t, t);
        try {
          Thread.sleep(5000);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  /** Processes up to {@link #STEP} new entries for {@code s}; returns how many it looked at. */
  private int step(HashDatabase d, ServedKey s) {
    DatabaseStats st = d.stats();
    int budget = STEP;
    long pending = 0;
    Batch batch = new Batch();
    for (HashType t : EXACT) {
      long stored = st.types().get(t).stored();
      int ord = s.done[t.ordinal()];
      while (ord < stored && budget > 0) {
        collect(d, s, t, ord, batch);
        ord++;
        budget--;
      }
      s.done[t.ordinal()] = ord;
      pending += stored - ord;
    }
    batch.evaluateInto(s);
    s.pending = pending;
    if (pending == 0) {
      s.complete = true;
    }
    return STEP - budget;
  }

  /** Queues entry (t, ord) for evaluation unless it is removed or already in the table. */
  private static void collect(HashDatabase d, ServedKey s, HashType t, int ord, Batch batch) {
    byte[] raw = d.value(EntryIds.of(t, ord));
    if (raw == null || !d.contains(t, raw, 0, ListFilter.all())) {
      return; // removed since: nothing to serve
    }
    byte[] input = PsiInput.of(t, raw);
    long bucket = PsiInput.bucket(input, s.table.bucketBits());
    if (!s.table.contains(bucket, t, raw) && !batch.has(bucket, t, raw)) {
      batch.add(t, raw, input, bucket);
    }
  }

  /** Entries waiting for their PRF outputs: evaluated together (shared normalization). */
  private static final class Batch {
    final List<HashType> types = new ArrayList<>();
    final List<byte[]> raws = new ArrayList<>();
    final List<byte[]> inputs = new ArrayList<>();
    final List<Long> buckets = new ArrayList<>();
    final java.util.Set<String> keys = new java.util.HashSet<>(); // duplicates within the batch

    boolean has(long bucket, HashType t, byte[] raw) {
      return keys.contains(t.ordinal() + ":" + org.hashdb.core.hash.Hex.encode(raw));
    }

    void add(HashType t, byte[] raw, byte[] input, long bucket) {
      types.add(t);
      raws.add(raw);
      inputs.add(input);
      buckets.add(bucket);
      keys.add(t.ordinal() + ":" + org.hashdb.core.hash.Hex.encode(raw));
    }

    void evaluateInto(ServedKey s) {
      for (int from = 0; from < inputs.size(); from += 256) {
        int to = Math.min(inputs.size(), from + 256);
        byte[][] outs = s.key.evaluateAll(inputs.subList(from, to).toArray(new byte[0][]));
        for (int i = from; i < to; i++) {
          s.table.add(buckets.get(i), types.get(i), raws.get(i), outs[i - from]);
        }
      }
    }
  }

  /** Drops records whose hash is no longer live on any list (precomputer thread). */
  private static void compact(HashDatabase d, ServedKey s) {
    List<Long> changed = new ArrayList<>();
    List<byte[]> replaced = new ArrayList<>();
    for (Map.Entry<Long, byte[]> e : s.table.entries()) {
      byte[] recs = e.getValue();
      byte[] kept = null;
      int k = 0;
      for (int off = 0; off < recs.length; off += PrfTable.RECORD) {
        boolean live = d.contains(PrfTable.type(recs, off), recs, off + 1, ListFilter.all());
        if (!live && kept == null) {
          kept = Arrays.copyOf(recs, off);
          k = off;
        } else if (live && kept != null) {
          kept = Arrays.copyOf(kept, k + PrfTable.RECORD);
          System.arraycopy(recs, off, kept, k, PrfTable.RECORD);
          k += PrfTable.RECORD;
        }
      }
      if (kept != null) {
        changed.add(e.getKey());
        replaced.add(kept);
      }
    }
    for (int i = 0; i < changed.size(); i++) {
      s.table.replace(changed.get(i), replaced.get(i));
    }
  }

  private void save(ServedKey s) throws IOException {
    PrfTableFile.write(PrfTableFile.path(dir, s.publicKey), s.publicKey, s.table);
  }

  // ---------------------------------------------------------------- stats and shutdown

  /** Progress and size of private lookups, for {@code GET /v1/admin/stats}. */
  public void writeStats(JsonGenerator g) throws IOException {
    Keys k = keys;
    g.writeBooleanField("enabled", true);
    long pending = 0;
    for (ServedKey s : k.all()) {
      pending += s.pending;
    }
    g.writeNumberField("pending", pending);
    g.writeBooleanField("ready", k.current.complete);
    g.writeNumberField("values", k.current.table.size());
    g.writeNumberField("buckets", k.current.table.bucketCount());
    g.writeNumberField("largestBucket", k.current.table.largestBucket());
    g.writeNumberField("bucketSize", bucketSize(k.current));
    g.writeNumberField("ramBytes", Accountable.sum(k.all().stream().map(s -> s.table)
        .toArray(Accountable[]::new)));
    g.writeNumberField("precomputeEntriesPerSecond", Math.round(lastRatePerSecond));
    g.writeStringField("publicKey", k.current.publicKeyHex);
    g.writeBooleanField("rotating", k.next != null);
  }

  /** A digest of the current key's table, independent of insertion order (tests). */
  String tableDigestForTest() {
    java.util.TreeSet<String> all = new java.util.TreeSet<>();
    for (Map.Entry<Long, byte[]> e : keys.current.table.entries()) {
      byte[] recs = e.getValue();
      for (int off = 0; off < recs.length; off += PrfTable.RECORD) {
        all.add(e.getKey() + ":" + org.hashdb.core.hash.Hex.encode(recs, off, PrfTable.RECORD));
      }
    }
    return Integer.toHexString(all.hashCode()) + "/" + all.size();
  }

  /** Pending entries over all served keys (for tests and stats). */
  public long pending() {
    long p = 0;
    for (ServedKey s : keys.all()) {
      p += s.pending;
    }
    return p;
  }

  /** True when the current key has processed every entry that existed at its last look. */
  public boolean ready() {
    return keys.current.complete;
  }

  /** The current public key, hex. */
  public String publicKeyHex() {
    return keys.current.publicKeyHex;
  }

  /** Wakes the precomputer (after writes, so new entries appear sooner). */
  public void nudge() {
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  /** Stops the precomputer and the pool and saves complete tables. */
  @Override
  public void close() {
    closed = true;
    nudge(); // not an interrupt: that would abort a save's fsync
    try {
      precomputer.join(10_000);
      if (precomputer.isAlive()) {
        precomputer.interrupt();
        precomputer.join(1_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pool.shutdownNow();
    if (!precomputer.isAlive()) { // the writer has stopped: its tables are ours to save
      for (ServedKey s : keys.all()) {
        if (s.complete) {
          try {
            save(s);
          } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "private lookups: cannot save PRF outputs: " + e);
          }
        }
      }
    }
  }

  private static long nowSeconds() {
    return System.currentTimeMillis() / 1000;
  }

  /** The served keys: immutable, replaced as a whole. */
  private record Keys(ServedKey current, ServedKey previous, long previousRetires,
      ServedKey next, long created) {
    List<ServedKey> all() {
      List<ServedKey> l = new ArrayList<>(3);
      l.add(current);
      if (previous != null) {
        l.add(previous);
      }
      if (next != null) {
        l.add(next);
      }
      return l;
    }
  }

  /** Per lookup thread buffers. */
  private static final class Scratch {
    final BucketPadding padding = new BucketPadding();
    byte[] pad = new byte[0];
    long[] order = new long[0];
    byte[] copy = new byte[0];

    long[] order(int n) {
      if (order.length < n) {
        order = new long[n];
      }
      return order;
    }

    byte[] copy(int n) {
      if (copy.length < n * 32) {
        copy = new byte[n * 32];
      }
      return copy;
    }

    byte[] pad(int values) {
      if (pad.length < values * 32) {
        pad = new byte[values * 32];
      }
      return pad;
    }
  }
}
