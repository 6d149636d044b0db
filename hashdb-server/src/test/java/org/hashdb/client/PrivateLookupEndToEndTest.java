package org.hashdb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.hashdb.client.HashDbClient;
import org.hashdb.client.LookupResult;
import org.hashdb.client.PrivateLookupException;
import org.hashdb.client.Query;
import org.hashdb.server.e2e.PsiTestServer;
// In the client's package (on the test class path) to reach the package-private PrivateLookups.
import org.hashdb.core.hash.HashType;
import org.hashdb.core.db.NewEntry;
import org.hashdb.server.PsiSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hashdb.testing.TestRandom;

/**
 * The SDK's private lookups against a real server: randomized cross-check with the plain lookup
 * for the same data and keys, and refusal of every kind of tampered answer.
 */
class PrivateLookupEndToEndTest {
  private static final HashType[] EXACT = {HashType.MD5, HashType.SHA1, HashType.SHA256};

  @TempDir Path dir;

  private static byte[] random(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  @Test
  void privateLookup_randomized_equalsPlainLookup_perKey() throws Exception {
    long seed = TestRandom.random(0).nextLong();
    Random r = new Random(seed);
    List<NewEntry> entries = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      HashType t = EXACT[r.nextInt(3)];
      entries.add(new NewEntry(t, random(r, t.byteLength()), r.nextBoolean() ? "a" : "b", "c", ""));
    }
    // bucketBits 6: about 6 entries per bucket, so buckets mix hits, misses and other lists.
    try (PsiTestServer s = new PsiTestServer(dir, entries, new PsiSettings(true, 6, 16, 1000, 60, 2))) {
      for (int i = 0; i < 20; i++) { // removed entries must not match
        NewEntry e = entries.get(r.nextInt(entries.size()));
        s.db.remove(e.type(), e.value(), null);
      }
      List<Query> queries = new ArrayList<>();
      for (int i = 0; i < 250; i++) {
        if (r.nextBoolean()) {
          NewEntry e = entries.get(r.nextInt(entries.size()));
          queries.add(Query.of(e.type(), e.value()));
        } else {
          HashType t = EXACT[r.nextInt(3)];
          queries.add(Query.of(t, random(r, t.byteLength())));
        }
      }
      for (String key : List.of(s.allKey, s.listAKey)) {
        try (HashDbClient c = HashDbClient.builder().baseUrl(s.baseUrl()).apiKey(key)
            .privateBatchSize(37).build()) {
          List<LookupResult> plain = c.lookupAll(queries);
          BitSet expected = new BitSet();
          for (int i = 0; i < plain.size(); i++) {
            if (plain.get(i).match()) {
              expected.set(i);
            }
          }
          assertThat(expected.cardinality()).as("seed %d", seed).isGreaterThan(20);
          assertThat(c.privateLookup(queries)).as("seed %d, key %s", seed, key).isEqualTo(expected);
          assertThat(c.privateLookupAsync(queries).get()).isEqualTo(expected);
          Query one = queries.get(0);
          assertThat(c.privateLookup(one.type(), List.of(one.value())).get(0))
              .isEqualTo(expected.get(0));
          assertThat(c.lookup(one).match()).isEqualTo(expected.get(0));
        }
      }
    }
  }

  @Test
  void privateLookup_firstUrlDead_failsOverToTheServer() throws Exception {
    Random r = TestRandom.random(3);
    byte[] listed = random(r, 32);
    int deadPort;
    try (java.net.ServerSocket sock = new java.net.ServerSocket(0)) {
      deadPort = sock.getLocalPort();
    }
    try (PsiTestServer s = new PsiTestServer(dir,
            List.of(new NewEntry(HashType.SHA256, listed, "a", "c", "")), PsiSettings.defaults());
        HashDbClient c = HashDbClient.builder().baseUrls("http://127.0.0.1:" + deadPort, s.baseUrl())
            .apiKey(s.allKey).build()) {
      BitSet bits = c.privateLookup(HashType.SHA256, List.of(random(r, 32), listed));
      assertThat(bits.get(0)).isFalse();
      assertThat(bits.get(1)).isTrue();
      assertThat(c.currentBaseUrl()).isEqualTo(URI.create(s.baseUrl()));
    }
  }

  @Test
  void privateLookup_pdqQuery_refused() throws Exception {
    try (PsiTestServer s = new PsiTestServer(dir, List.of(), PsiSettings.defaults());
        HashDbClient c = HashDbClient.builder().baseUrl(s.baseUrl()).apiKey(s.allKey).build()) {
      assertThatThrownBy(() -> c.privateLookup(List.of(Query.of(HashType.PDQ, new byte[32]))))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exact types");
    }
  }

  @Test
  void privateLookup_tamperedAnswers_refused() throws Exception {
    Random r = TestRandom.random(1);
    byte[] md5 = random(r, 16);
    try (PsiTestServer s = new PsiTestServer(dir,
        List.of(new NewEntry(HashType.MD5, md5, "a", "c", "")), PsiSettings.defaults())) {
      List<Query> q = List.of(Query.of(HashType.MD5, md5), Query.of(HashType.MD5, random(r, 16)));
      String pk = s.psi.publicKeyHex();
      // Sanity: the untampered transport works.
      assertThat(lookup(s, null, a -> a, q).get(0)).isTrue();

      String flipped = pk.substring(0, 10) + (pk.charAt(10) == '0' ? '1' : '0') + pk.substring(11);
      List<UnaryOperator<String>> tamper = List.of(
          a -> replaceField(a, "proof", "00".repeat(64)), // c = s = 0
          a -> replaceProofByte(a),
          a -> replaceFirstEvaluated(a, "00".repeat(33)), // identity / bad prefix
          a -> replaceFirstEvaluated(a, "02" + "ff".repeat(32)), // x >= p
          a -> replaceFirstEvaluated(a, "0a" + "11".repeat(32)), // wrong prefix
          a -> replaceFirstEvaluated(a, "02" + "11".repeat(31)), // wrong length
          a -> a.replaceFirst("\"buckets\":\\{\"[0-9]+\":", "\"buckets\":{\"1\":"), // other bucket
          a -> replaceField(a, "publicKey", flipped)); // not the pinned key
      for (int i = 0; i < tamper.size(); i++) {
        UnaryOperator<String> t = tamper.get(i);
        assertThatThrownBy(() -> lookup(s, null, t, q)).as("tamper %d", i)
            .isInstanceOf(java.util.concurrent.ExecutionException.class)
            .cause().isInstanceOf(PrivateLookupException.class);
      }
      // A pinned key the server does not serve.
      String other = "03e17e70604bcabe198882c0a1f27a92441e774224ed9c702e51dd17038b102462"; // RFC's
      assertThatThrownBy(() -> lookup(s, other, a -> a, q))
          .cause().isInstanceOf(PrivateLookupException.class)
          .hasMessageContaining("not the pinned key");
      assertThat(lookup(s, pk, a -> a, q).get(0)).isTrue();
      assertThatThrownBy(() -> new PrivateLookups(transport(s, a -> a), "02" + "ff".repeat(32), 10))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  private static BitSet lookup(PsiTestServer s, String pin, UnaryOperator<String> tamper,
      List<Query> q) throws Exception {
    return new PrivateLookups(transport(s, tamper), pin, 100).lookupAsync(q).get();
  }

  /** A transport to the real server that rewrites lookup answers. */
  private static PrivateLookups.Transport transport(PsiTestServer s, UnaryOperator<String> tamper) {
    HttpClient http = HttpClient.newHttpClient();
    return new PrivateLookups.Transport() {
      @Override
      public CompletableFuture<byte[]> get(String path) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(s.baseUrl() + path))
            .header("Authorization", "Bearer " + s.allKey).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray()).thenApply(HttpResponse::body);
      }

      @Override
      public CompletableFuture<byte[]> postJson(String path, byte[] body) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(s.baseUrl() + path))
            .header("Authorization", "Bearer " + s.allKey)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
            HttpResponse.BodyHandlers.ofString())
            .thenApply(r -> tamper.apply(r.body()).getBytes(StandardCharsets.UTF_8));
      }
    };
  }

  private static String replaceField(String json, String field, String value) {
    return json.replaceFirst("\"" + field + "\":\"[0-9a-f]*\"", "\"" + field + "\":\"" + value + "\"");
  }

  private static String replaceProofByte(String json) {
    int i = json.indexOf("\"proof\":\"") + 9 + 70;
    char c = json.charAt(i) == '0' ? '1' : '0';
    return json.substring(0, i) + c + json.substring(i + 1);
  }

  private static String replaceFirstEvaluated(String json, String value) {
    return json.replaceFirst("\"evaluatedElements\":\\[\"[0-9a-f]*\"",
        "\"evaluatedElements\":[\"" + value + "\"");
  }
}
