package org.hashdb.bench.abuse;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.hashdb.core.hash.Hex;

/** JSON batches of 10,000 PDQ queries at maxDistance 31, back to back on a few connections. */
final class HeavyPdqBatches extends LoadAttack {
  static final int QUERIES = 10_000;
  private final byte[] body;

  HeavyPdqBatches(int connections) {
    super("heavy-pdq-batches", connections);
    Random r = new Random(7);
    StringBuilder b = new StringBuilder("{\"queries\":[");
    byte[] v = new byte[32];
    for (int i = 0; i < QUERIES; i++) {
      r.nextBytes(v);
      b.append(i == 0 ? "" : ",").append("{\"type\":\"pdq\",\"hash\":\"")
          .append(Hex.encode(v)).append("\",\"maxDistance\":31}");
    }
    body = b.append("]}").toString().getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  int request(RawHttpClient c) throws Exception {
    return c.post("/v1/lookup", "application/json", body);
  }
}
