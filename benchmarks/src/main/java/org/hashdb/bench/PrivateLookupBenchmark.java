package org.hashdb.bench;

import com.fasterxml.jackson.core.JsonFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.math.ec.ECPoint;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.psi.PsiInput;
import org.hashdb.core.psi.Voprf;
import org.hashdb.core.psi.VoprfClient;
import org.hashdb.core.psi.VoprfServer;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.ListFilter;
import org.hashdb.core.db.NewEntry;
import org.hashdb.server.psi.PsiRequest;
import org.hashdb.server.psi.PsiService;
import org.hashdb.server.PsiSettings;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Server-side cost of private lookups against the cryptographic floor, in one run (average time
 * per operation; all on one thread; requests of 100 queries, half of them hits):
 * <ul>
 *   <li>{@code floorScalarMult}: one Bouncy Castle P-256 scalar multiplication of a fresh random point
 *       by a random scalar ({@code ECPoint.multiply}, result not normalized) — the least any
 *       evaluation of a blinded element can cost.
 *   <li>{@code evaluateBatch}: per query, a batch of 100 blinded elements through
 *       DeserializeElement, BlindEvaluate and the batched DLEQ proof (score per query).
 *   <li>{@code lookupBatch}: per query, the whole server side of {@code POST /v1/psi/lookup}
 *       except the socket: JSON parse, the above, every asked bucket's values (database
 *       visibility checks, padding, ordering) and the JSON answer (score per query).
 *   <li>{@code precomputeEntry}: one entry's PRF output as the background precomputer makes it
 *       (PRF input, bucket, RFC 9497 Evaluate in batches of 256): its inverse is entries/s per
 *       core.
 * </ul>
 * The goal is {@code lookupBatch / floorScalarMult <= 1.5}.
 *
 * <pre>
 * mvn -B -ntp -o -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar PrivateLookupBenchmark -f 1 -wi 3 -i 5 -w 2s -r 2s
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class PrivateLookupBenchmark {
  private static final Voprf G = Voprf.P256_SHA256;
  private static final JsonFactory JSON = JsonFactory.builder().build();
  private static final int REQUESTS = 8;

  /** Queries per request; the per-query scores divide by it (@OperationsPerInvocation). */
  static final int BATCH = 100;
  final int batch = BATCH;

  /** Exact-hash entries in the database (PRF outputs precomputed in setup). */
  @Param({"20000"})
  public int entries;

  Path dir;
  HashDatabase db;
  PsiService psi;
  VoprfServer key;
  ListFilter all = ListFilter.all();
  byte[][] requestBodies; // REQUESTS JSON bodies of `batch` queries
  ECPoint[][] points; // the same blinded elements, decoded
  byte[][][] encoded;
  List<NewEntry> stored;
  VoprfClient.Blinded[][] blinds; // for the test: the client side of requestBodies
  byte[][][] inputs;
  BigInteger[] floorX; // affine coordinates: each call builds a fresh point (no cached tables)
  BigInteger[] floorY;
  BigInteger[] floorScalars;
  byte[][] entryInputs;
  int next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Random r = new Random(42);
    SecureRandom sr = new SecureRandom();
    db = HashDatabase.inMemory();
    stored = new ArrayList<>(entries);
    HashType[] types = {HashType.MD5, HashType.SHA1, HashType.SHA256};
    for (int i = 0; i < entries; i++) {
      HashType t = types[i % 3];
      byte[] v = new byte[t.byteLength()];
      r.nextBytes(v);
      stored.add(new NewEntry(t, v, "bench", "c", ""));
    }
    for (int from = 0; from < entries; from += 10_000) {
      db.add(stored.subList(from, Math.min(entries, from + 10_000)));
    }
    dir = Files.createTempDirectory("hashdb-psi-bench");
    psi = PsiService.open(dir, new PsiSettings(true, 16, 512, Math.max(batch, 1000), 60, 1),
        () -> db);
    long deadline = System.currentTimeMillis() + 600_000;
    while (!psi.ready() && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    if (!psi.ready()) {
      throw new IllegalStateException("precomputation did not finish in 10 minutes");
    }
    key = VoprfServer.generate(sr);
    VoprfClient client = new VoprfClient(Hex.decode(psi.publicKeyHex()));
    requestBodies = new byte[REQUESTS][];
    points = new ECPoint[REQUESTS][batch];
    encoded = new byte[REQUESTS][batch][];
    blinds = new VoprfClient.Blinded[REQUESTS][batch];
    inputs = new byte[REQUESTS][batch][];
    for (int q = 0; q < REQUESTS; q++) {
      StringBuilder sb = new StringBuilder("{\"queries\":[");
      for (int i = 0; i < batch; i++) {
        NewEntry e = stored.get(r.nextInt(entries));
        byte[] value = e.value();
        if (r.nextBoolean()) { // half misses
          value = value.clone();
          value[0] ^= 1;
        }
        byte[] in = PsiInput.of(e.type(), value);
        inputs[q][i] = in;
        blinds[q][i] = client.blind(in, sr);
        encoded[q][i] = blinds[q][i].serialized();
        points[q][i] = G.deserializeElement(encoded[q][i]);
        sb.append(i == 0 ? "" : ",").append("{\"bucket\":").append(PsiInput.bucket(in, 16))
            .append(",\"blindedElement\":\"").append(Hex.encode(encoded[q][i])).append("\"}");
      }
      requestBodies[q] = sb.append("]}").toString().getBytes(StandardCharsets.US_ASCII);
    }
    floorX = new BigInteger[64];
    floorY = new BigInteger[64];
    floorScalars = new BigInteger[64];
    for (int i = 0; i < 64; i++) {
      ECPoint p = G.multiplyGenerator(G.randomScalar(sr)).normalize();
      floorX[i] = p.getAffineXCoord().toBigInteger();
      floorY[i] = p.getAffineYCoord().toBigInteger();
      floorScalars[i] = G.randomScalar(sr);
    }
    entryInputs = new byte[4 * PRECOMPUTE_BATCH][];
    for (int i = 0; i < entryInputs.length; i++) {
      HashType t = HashType.values()[i % 3];
      entryInputs[i] = new byte[t.byteLength()];
      r.nextBytes(entryInputs[i]);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    psi.close();
    try (var s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public ECPoint floorScalarMult() {
    int i = next++ & 63;
    // A fresh point each time, as every blinded element is: Bouncy Castle caches a point's
    // window table in the point object, and reusing one would skip that work.
    return G.curve().createPoint(floorX[i], floorY[i]).multiply(floorScalars[i]);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public VoprfServer.Evaluation evaluateBatch() {
    int q = next++ % REQUESTS;
    ECPoint[] pts = new ECPoint[batch];
    for (int i = 0; i < batch; i++) {
      pts[i] = G.deserializeElement(encoded[q][i]);
    }
    return key.blindEvaluate(pts, encoded[q], new SecureRandom());
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long lookupBatch() throws IOException {
    int q = next++ % REQUESTS;
    return lookup(q, NullOutput.INSTANCE);
  }

  /** The whole server side of one request; writes the JSON answer to {@code out}. */
  long lookup(int q, OutputStream out) throws IOException {
    PsiRequest req = PsiRequest.parse(JSON, new ByteArrayInputStream(requestBodies[q]), 16,
        Math.max(batch, 1000));
    PsiService.Answer a = psi.answer(req, all);
    out.write(a.toJson());
    return req.size();
  }

  /** Entries per precomputation batch, as the background thread evaluates them. */
  static final int PRECOMPUTE_BATCH = 256;

  @Benchmark
  @OperationsPerInvocation(PRECOMPUTE_BATCH)
  public byte[][] precomputeEntry() {
    int base = (next++ & 3) * PRECOMPUTE_BATCH;
    byte[][] in = new byte[PRECOMPUTE_BATCH][];
    long buckets = 0;
    for (int i = 0; i < PRECOMPUTE_BATCH; i++) {
      HashType t = HashType.values()[(base + i) % 3];
      in[i] = PsiInput.of(t, entryInputs[base + i]);
      buckets += PsiInput.bucket(in[i], 16);
    }
    byte[][] out = key.evaluateAll(in);
    out[0][0] ^= (byte) buckets;
    return out;
  }

  /** Discards what is written. */
  static final class NullOutput extends OutputStream {
    static final NullOutput INSTANCE = new NullOutput();

    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}
  }
}
