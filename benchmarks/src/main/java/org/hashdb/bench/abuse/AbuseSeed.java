package org.hashdb.bench.abuse;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Random;
import org.hashdb.core.hash.Hex;

/**
 * Seeds a server for the attacks: one SHA-256 value on list "flood" (the audit flood repeats
 * it) and 20,000 seeded PDQ values on list "pdq" (so PDQ batches search a real index).
 *
 * <pre>java -cp benchmarks.jar org.hashdb.bench.abuse.AbuseSeed URL ADMIN_KEY SHA256_HEX</pre>
 */
public final class AbuseSeed {
  static final int PDQ_ENTRIES = 20_000;

  private AbuseSeed() {}

  /** The JSON body of {@code POST /v1/admin/entries} that seeds a server. */
  static String entries(String matchSha256) {
    Random r = new Random(3);
    StringBuilder b = new StringBuilder("{\"entries\":[{\"type\":\"sha256\",\"hash\":\"")
        .append(matchSha256).append("\",\"list\":\"flood\"}");
    byte[] v = new byte[32];
    for (int i = 0; i < PDQ_ENTRIES; i++) {
      r.nextBytes(v);
      b.append(",{\"type\":\"pdq\",\"hash\":\"").append(Hex.encode(v))
          .append("\",\"list\":\"pdq\"}");
    }
    return b.append("]}").toString();
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: AbuseSeed URL ADMIN_KEY SHA256_HEX");
      System.exit(2);
    }
    HttpClient c = HttpClient.newBuilder().sslContext(AbuseTarget.trustAll())
        .version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> res = c.send(HttpRequest.newBuilder(
        URI.create(args[0]).resolve("/v1/admin/entries"))
        .header("Authorization", "Bearer " + args[1]).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(entries(args[2]))).build(),
        HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() != 200) {
      System.err.println("seeding failed: " + res.statusCode() + " " + res.body());
      System.exit(1);
    }
  }
}
