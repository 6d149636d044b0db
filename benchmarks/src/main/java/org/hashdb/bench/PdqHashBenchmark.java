package org.hashdb.bench;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import org.hashdb.core.pdq.PdqHash;
import org.hashdb.core.pdq.PdqHasher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * PDQ hashing throughput on the 1600x1004 bridge photo (JPEG, 361 KB), single thread, in
 * images per second (one op = one image):
 *
 * <ul>
 *   <li>{@link #decodeAndHash}: JPEG bytes in memory to hash ({@code PdqHasher.hash(byte[], int,
 *       int)}: ImageIO + TwelveMonkeys decode,
 *       then the full-resolution PDQ pipeline);
 *   <li>{@link #hashDecoded}: the PDQ pipeline alone on the already decoded {@link
 *       BufferedImage} (luminance, Jarosz blur, decimation, quality, DCT, threshold).
 * </ul>
 *
 * <p>Run: {@code mvn -B -ntp -o -pl benchmarks -am package -DskipTests} then {@code java -jar
 * benchmarks/target/benchmarks.jar PdqHashBenchmark -f 1 -wi 3 -i 5 -w 2s -r 2s}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
public class PdqHashBenchmark {
  /** Classpath location of the benchmark image (see NOTICE-bridge.txt beside it). */
  static final String IMAGE = "/bench/bridge-1-original.jpg";

  private final PdqHasher hasher = new PdqHasher();
  byte[] jpeg;
  BufferedImage decoded;

  @Setup
  public void setUp() throws IOException {
    try (InputStream in = PdqHashBenchmark.class.getResourceAsStream(IMAGE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + IMAGE);
      }
      jpeg = in.readAllBytes();
    }
    decoded = hasher.decode(jpeg, 0, jpeg.length);
  }

  @Benchmark
  public PdqHash decodeAndHash() {
    try {
      return hasher.hash(jpeg, 0, jpeg.length);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Benchmark
  public PdqHash hashDecoded() {
    return hasher.hash(decoded);
  }
}
