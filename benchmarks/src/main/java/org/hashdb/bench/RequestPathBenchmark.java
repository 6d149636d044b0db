package org.hashdb.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.NewEntry;
import org.hashdb.server.ServerConfig;
import org.hashdb.server.api.ApiService;
import org.hashdb.server.audit.AuditLog;
import org.hashdb.server.auth.KeyFile;
import org.hashdb.server.auth.KeyRing;
import org.hashdb.server.auth.Role;
import org.hashdb.server.http.HashDbServerInitializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The request path without a socket: raw request bytes into an {@link EmbeddedChannel} with the
 * server's HTTP codec and handler, response bytes out. {@code route=hash}: {@code GET
 * /v1/hashes/sha256/{hex}} rotating over 4096 hashes (one in 16 a hit) against {@code size}
 * entries, with key check, lookup, metrics and the JSON response; {@code route=healthz}: the
 * same path for {@code GET /healthz}, the floor. Measures codec + routing + auth + lookup + JSON
 * per request, single-threaded.
 *
 * <pre>
 * mvn -B -ntp -o -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar RequestPathBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RequestPathBenchmark {
  @Param({"1000000"})
  public int size;

  @Param({"hash", "healthz"})
  public String route;

  Path dir;
  ApiService api;
  EmbeddedChannel channel;
  ByteBuf[] requests;
  int next;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("hashdb-reqpath");
    String key = new KeyFile(dir).create("bench", Role.QUERY, null, 0);
    api = new ApiService(ServerConfig.defaults(), KeyRing.load(dir), AuditLog.disabled());
    HashDatabase db = HashDatabase.inMemory();
    SplittableRandom r = new SplittableRandom(42);
    List<byte[]> some = new ArrayList<>();
    List<NewEntry> batch = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      byte[] v = new byte[32];
      r.nextBytes(v);
      if (some.size() < 256) {
        some.add(v);
      }
      batch.add(new NewEntry(HashType.SHA256, v, "bench", "c", ""));
      if (batch.size() == 100_000) {
        db.add(batch);
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      db.add(batch);
    }
    api.databaseReady(db);
    channel = new EmbeddedChannel(HashDbServerInitializer.embeddedHttp1(api));
    requests = new ByteBuf[4096];
    for (int i = 0; i < requests.length; i++) {
      String path;
      if (route.equals("healthz")) {
        path = "/healthz";
      } else {
        byte[] v = new byte[32];
        if (i % 16 == 0) {
          v = some.get(r.nextInt(some.size()));
        } else {
          r.nextBytes(v);
        }
        path = "/v1/hashes/sha256/" + Hex.encode(v);
      }
      String req = "GET " + path + " HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer " + key
          + "\r\n\r\n";
      requests[i] = PooledByteBufAllocator.DEFAULT.directBuffer()
          .writeBytes(req.getBytes(StandardCharsets.US_ASCII));
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    channel.finishAndReleaseAll();
    for (ByteBuf b : requests) {
      b.release();
    }
    api.close();
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Sends one request, returns the response's byte count. */
  @Benchmark
  public int request() {
    ByteBuf req = requests[next++ & (requests.length - 1)];
    channel.writeInbound(req.retainedDuplicate());
    int n = 0;
    ByteBuf out;
    while ((out = channel.readOutbound()) != null) {
      n += out.readableBytes();
      out.release();
    }
    return n;
  }
}
