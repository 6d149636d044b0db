package org.hashdb.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.hashdb.client.HashDbClient;
import org.hashdb.client.Query;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.NewEntry;
import org.hashdb.server.ServerConfig;
import org.hashdb.server.api.ApiService;
import org.hashdb.server.logs.AccessLog;
import org.hashdb.server.audit.AuditLog;
import org.hashdb.server.auth.KeyFile;
import org.hashdb.server.auth.KeyRing;
import org.hashdb.server.auth.Role;
import org.hashdb.server.http.HashDbServer;
import org.hashdb.server.psi.PsiService;
import org.hashdb.server.PsiSettings;

/**
 * End-to-end private lookups over loopback: a real server (in this JVM) with {@code entries}
 * exact hashes, and {@code threads} SDK clients each sending {@code privateLookup} batches of
 * 100 (half hits) for {@code seconds}. Prints the precomputation rate of the initial pass
 * (entries/s on the one precomputer thread = per core), private lookups/s, and plain
 * {@code lookupAll} lookups/s of the same queries for scale. Client and server share the
 * machine, so the client's blind/verify/finalize work is included.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.hashdb.bench.PrivateLookupLoad 100000 2 20
 * </pre>
 */
public final class PrivateLookupLoad {
  private PrivateLookupLoad() {}

  public static void main(String[] args) throws Exception {
    int entries = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    Path dir = Files.createTempDirectory("hashdb-psi-load");
    Random r = new Random(1);
    HashDatabase db = HashDatabase.inMemory();
    List<NewEntry> stored = new ArrayList<>(entries);
    HashType[] types = {HashType.MD5, HashType.SHA1, HashType.SHA256};
    for (int i = 0; i < entries; i++) {
      HashType t = types[i % 3];
      byte[] v = new byte[t.byteLength()];
      r.nextBytes(v);
      stored.add(new NewEntry(t, v, "load", "c", ""));
    }
    for (int from = 0; from < entries; from += 50_000) {
      db.add(stored.subList(from, Math.min(entries, from + 50_000)));
    }
    String key = new KeyFile(dir).create("load", Role.QUERY, null, 0);
    ServerConfig cfg = ServerConfig.builder().port(0).adminPort(0).accessLog(false).build();
    ApiService api = new ApiService(cfg, KeyRing.load(dir), AuditLog.open(dir, 1 << 20, 2, n -> {}));
    HashDbServer server = HashDbServer.start(api, AccessLog.disabled());
    api.databaseReady(db);
    long t0 = System.nanoTime();
    PsiService psi = PsiService.open(dir, PsiSettings.defaults(), api::database);
    api.privateLookups(psi);
    while (!psi.ready()) {
      Thread.sleep(20);
    }
    double pre = entries / ((System.nanoTime() - t0) / 1e9);
    System.out.printf(Locale.ROOT, "precompute: %d entries in %.1f s = %.0f entries/s (one thread)%n",
        entries, entries / pre, pre);
    String url = "http://127.0.0.1:" + server.port();
    try (HashDbClient client = HashDbClient.builder().baseUrl(url).apiKey(key)
        .privateBatchSize(100).build()) {
      List<List<Query>> batches = new ArrayList<>();
      for (int b = 0; b < 64; b++) {
        List<Query> q = new ArrayList<>(100);
        for (int i = 0; i < 100; i++) {
          NewEntry e = stored.get(r.nextInt(entries));
          byte[] v = e.value().clone();
          if (r.nextBoolean()) {
            v[0] ^= 1;
          }
          q.add(Query.of(e.type(), v));
        }
        batches.add(q);
      }
      client.privateLookup(batches.get(0)); // warm up, pin the key
      client.lookupAll(batches.get(0));
      double priv = run(threads, seconds, batches, q -> client.privateLookup(q));
      double plain = run(threads, seconds, batches, q -> client.lookupAll(q));
      System.out.printf(Locale.ROOT, "private lookups/s: %.0f (batches of 100, %d threads, %d s)%n",
          priv, threads, seconds);
      System.out.printf(Locale.ROOT, "plain lookups/s:   %.0f (same queries, POST /v1/lookup)%n", plain);
      System.out.printf(Locale.ROOT, "ratio plain/private: %.0f%n", plain / priv);
    } finally {
      server.stop();
    }
  }

  private static double run(int threads, int seconds, List<List<Query>> batches,
      java.util.function.Consumer<List<Query>> call) throws InterruptedException {
    AtomicLong done = new AtomicLong();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread th = new Thread(() -> {
        int i = id;
        while (System.nanoTime() < end) {
          List<Query> q = batches.get(i++ % batches.size());
          call.accept(q);
          done.addAndGet(q.size());
        }
      });
      ts.add(th);
      th.start();
    }
    long start = System.nanoTime();
    for (Thread th : ts) {
      th.join();
    }
    return done.get() / ((System.nanoTime() - start) / 1e9);
  }
}
