package org.hashdb.bench;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.db.Hit;
import org.hashdb.server.api.LookupBatch;
import org.hashdb.server.api.LookupCodec;
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
 * The JSON batch codec of {@code POST /v1/lookup}: {@code parse} reads a body of {@code queries}
 * mixed md5/sha1/sha256/pdq queries (strict parsing, UTF-8 validation, hex decoding into the
 * flat {@link LookupBatch}); {@code write} writes the response for as many results (one in 100
 * a match) with a {@link JsonGenerator} into a pooled buffer; {@code roundTrip} does both. Score
 * is per batch; divide by {@code queries} for per-query cost.
 *
 * <pre>
 * mvn -B -ntp -o -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar JsonBatchCodecBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JsonBatchCodecBenchmark {
  @Param({"1000"})
  public int queries;

  ByteBuf body;
  final LookupBatch batch = new LookupBatch();
  final List<Hit> hit = List.of(new Hit(12345, HashType.SHA256, "eokm-nl", "A1", "", 0, 0));

  @Setup(Level.Trial)
  public void setUp() {
    body = PooledByteBufAllocator.DEFAULT.directBuffer();
    body.writeBytes(requestBody(queries, 42).getBytes(StandardCharsets.UTF_8));
  }

  /** A request body of {@code n} queries of random types and values. */
  static String requestBody(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    HashType[] types = HashType.values();
    StringBuilder sb = new StringBuilder("{\"queries\":[");
    for (int i = 0; i < n; i++) {
      HashType t = types[r.nextInt(types.length)];
      byte[] v = new byte[t.byteLength()];
      r.nextBytes(v);
      sb.append(i == 0 ? "" : ",").append("{\"type\":\"").append(t.apiName())
          .append("\",\"hash\":\"").append(Hex.encode(v)).append('"');
      if (t == HashType.PDQ) {
        sb.append(",\"maxDistance\":20");
      }
      sb.append('}');
    }
    return sb.append("]}").toString();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    body.release();
  }

  @Benchmark
  public int parse() {
    LookupCodec.parseQueries(body, batch, 10_000, 31, 64);
    return batch.size();
  }

  @Benchmark
  public int write() throws IOException {
    return writeResults(batch.size() == 0 ? queries : batch.size());
  }

  @Benchmark
  public int roundTrip() throws IOException {
    LookupCodec.parseQueries(body, batch, 10_000, 31, 64);
    return writeResults(batch.size());
  }

  /** Writes {@code n} results (every 100th a match); returns the bytes written. */
  int writeResults(int n) throws IOException {
    ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(64 * n);
    try {
      try (JsonGenerator g = LookupCodec.JSON.createGenerator(
          (OutputStream) new ByteBufOutputStream(out), JsonEncoding.UTF8)) {
        g.writeStartObject();
        g.writeArrayFieldStart("results");
        for (int i = 0; i < n; i++) {
          g.writeStartObject();
          LookupCodec.writeMatches(g, i % 100 == 0 ? hit : List.of());
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      return out.readableBytes();
    } finally {
      out.release();
    }
  }
}
