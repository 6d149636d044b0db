package org.hashdb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.hashdb.core.hash.HashType;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.hashdb.testing.TestRandom;

class HashDbClientTest {
  private static final RetryPolicy FAST_RETRY =
      new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(5));

  @AutoClose private final FakeApiServer server = FakeApiServer.start();
  private final Random random = TestRandom.random(42);


  private HashDbClient.Builder builder() {
    return HashDbClient.builder().baseUrl(server.url() + "/").apiKey(FakeApiServer.KEY).retryPolicy(FAST_RETRY);
  }

  private byte[] randomValue(HashType type) {
    byte[] v = new byte[type.byteLength()];
    random.nextBytes(v);
    return v;
  }

  @Test
  void lookup_listedHash_returnsTypedMatchAndSendsBearerKey() {
    byte[] v = randomValue(HashType.SHA256);
    server.list(HashType.SHA256, v);
    try (HashDbClient client = builder().build()) {
      LookupResult r = client.lookup(HashType.SHA256, v);
      assertThat(r.match()).isTrue();
      assertThat(r.type()).isEqualTo(HashType.SHA256);
      assertThat(r.hash()).isEqualTo(Query.of(HashType.SHA256, v).hex());
      assertThat(r.matches()).singleElement().satisfies(m -> {
        assertThat(m.list()).isEqualTo("test");
        assertThat(m.category()).isEqualTo("B");
        assertThat(m.distance()).isZero();
        assertThat(m.entry()).isEqualTo("e-" + r.hash().substring(0, 8));
      });
    }
    FakeApiServer.Received req = server.received.get(0);
    // Even a single lookup goes in a POST body: a hash in a URL ends up in proxy logs.
    assertThat(req.method()).isEqualTo("POST");
    assertThat(req.pathAndQuery()).isEqualTo("/v1/lookup").doesNotContain(Query.of(HashType.SHA256, v).hex());
    assertThat(new String(req.body(), java.nio.charset.StandardCharsets.UTF_8)).contains(Query.of(HashType.SHA256, v).hex());
    assertThat(req.headers().get("Authorization")).containsExactly("Bearer " + FakeApiServer.KEY);
  }

  @Test
  void lookup_sequentialCalls_reuseOneConnection() {
    try (HashDbClient client = builder().build()) {
      for (int i = 0; i < 5; i++) {
        client.lookup(HashType.MD5, randomValue(HashType.MD5));
      }
    }
    assertThat(server.received).extracting(FakeApiServer.Received::clientPort).hasSize(5).containsOnly(server.received.get(0).clientPort());
  }

  @Test
  void lookup_unlistedHash_returnsMiss() {
    try (HashDbClient client = builder().build()) {
      LookupResult r = client.lookup(HashType.MD5, randomValue(HashType.MD5));
      assertThat(r.match()).isFalse();
      assertThat(r.matches()).isEmpty();
    }
  }

  @Test
  void lookup_pdqWithDistance_sendsMaxDistanceInTheBody() {
    try (HashDbClient client = builder().build()) {
      client.lookup(Query.pdq(randomValue(HashType.PDQ), 12));
    }
    assertThat(server.received.get(0).pathAndQuery()).isEqualTo("/v1/lookup");
    assertThat(new String(server.received.get(0).body(), java.nio.charset.StandardCharsets.UTF_8))
        .contains("\"type\":\"pdq\"").contains("\"maxDistance\":12");
  }

  @Test
  void lookupAll_moreQueriesThanBatchLimit_splitsAndKeepsOrder() {
    List<Query> queries = new ArrayList<>();
    List<Boolean> expected = new ArrayList<>();
    HashType[] types = {HashType.MD5, HashType.SHA1, HashType.SHA256};
    for (int i = 0; i < 503; i++) {
      HashType t = types[random.nextInt(types.length)];
      byte[] v = randomValue(t);
      boolean listed = random.nextInt(5) == 0;
      if (listed) {
        server.list(t, v);
      }
      queries.add(Query.of(t, v));
      expected.add(listed);
    }
    try (HashDbClient client = builder().maxBatchSize(50).maxConcurrentRequests(3).build()) {
      List<LookupResult> results = client.lookupAll(queries);
      assertThat(results).hasSize(queries.size());
      for (int i = 0; i < queries.size(); i++) {
        assertThat(results.get(i).hash()).isEqualTo(queries.get(i).hex());
        assertThat(results.get(i).type()).isEqualTo(queries.get(i).type());
        assertThat(results.get(i).match()).as("result %d", i).isEqualTo(expected.get(i));
      }
    }
    List<FakeApiServer.Received> batches = server.requests("/v1/lookup");
    assertThat(batches).hasSize(11); // ceil(503 / 50)
    for (FakeApiServer.Received b : batches) {
      String json = new String(b.body(), StandardCharsets.UTF_8);
      assertThat(json.split("\"type\"", -1).length - 1).isLessThanOrEqualTo(50);
      assertThat(b.headers().get("Content-type")).containsExactly("application/json");
    }
  }

  @Test
  void lookupAll_serverLimitBelowClientLimit_halvesOn413AndRemembers() {
    server.maxBatch = 30;
    List<Query> queries = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      queries.add(Query.of(HashType.MD5, randomValue(HashType.MD5)));
    }
    server.list(HashType.MD5, queries.get(137).value());
    try (HashDbClient client = builder().maxBatchSize(100).maxConcurrentRequests(1).build()) {
      List<LookupResult> results = client.lookupAll(queries);
      assertThat(results).extracting(LookupResult::match).containsOnlyOnce(true);
      assertThat(results.get(137).match()).isTrue();
      assertThat(client.batchLimit()).isLessThanOrEqualTo(30);
      int before = server.received.size();
      client.lookupAll(queries);
      assertThat(server.received.size() - before).isEqualTo((200 + client.batchLimit() - 1) / client.batchLimit());
    }
  }

  @Test
  void lookupAll_emptyList_sendsNothing() {
    try (HashDbClient client = builder().build()) {
      assertThat(client.lookupAll(List.of())).isEmpty();
    }
    assertThat(server.received).isEmpty();
  }

  @Test
  void contains_manyHashes_splitsBulkAndMatchesOracle() {
    List<byte[]> values = new ArrayList<>();
    BitSet expected = new BitSet();
    for (int i = 0; i < 1000; i++) {
      byte[] v = randomValue(HashType.SHA1);
      if (random.nextInt(7) == 0) {
        server.list(HashType.SHA1, v);
        expected.set(i);
      }
      values.add(v);
    }
    try (HashDbClient client = builder().maxBulkHashes(77).build()) {
      assertThat(client.contains(HashType.SHA1, values)).isEqualTo(expected);
    }
    List<FakeApiServer.Received> bulks = server.requests("/v1/lookup/bulk?type=sha1");
    assertThat(bulks).hasSize(13); // ceil(1000 / 77)
    assertThat(bulks).allSatisfy(b -> assertThat(b.body().length).isLessThanOrEqualTo(77 * 20));
  }

  @Test
  void contains_bodyLimit_boundsChunkBytes() {
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      values.add(randomValue(HashType.SHA256));
    }
    server.list(HashType.SHA256, values.get(299));
    try (HashDbClient client = builder().maxBodyBytes(2048).build()) {
      BitSet bits = client.contains(HashType.SHA256, values);
      assertThat(bits.stream().toArray()).containsExactly(299);
    }
    assertThat(server.requests("/v1/lookup/bulk")).hasSize(5) // 2048 / 32 = 64 per request
        .allSatisfy(b -> assertThat(b.body().length).isLessThanOrEqualTo(2048));
  }

  @Test
  void contains_pdqType_isRejectedNamingParameter() {
    try (HashDbClient client = builder().build()) {
      assertThatThrownBy(() -> client.contains(HashType.PDQ, List.of(randomValue(HashType.PDQ))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("type");
      assertThatThrownBy(() -> client.contains(HashType.MD5, List.of(new byte[3])))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("values[0]");
    }
  }

  @Test
  void lookup_transient503_retriesAndSucceeds() {
    server.enqueueError(503, "unavailable", "loading", Map.of());
    server.enqueueError(503, "unavailable", "loading", Map.of());
    try (HashDbClient client = builder().build()) {
      assertThat(client.lookup(HashType.MD5, randomValue(HashType.MD5)).match()).isFalse();
    }
    assertThat(server.received).hasSize(3);
  }

  @Test
  void lookup_429WithRetryAfter_waitsAtLeastThatLong() {
    server.enqueueError(429, "rate_limited", "slow down", Map.of("Retry-After", "1"));
    try (HashDbClient client = builder().build()) {
      client.lookup(HashType.MD5, randomValue(HashType.MD5));
    }
    assertThat(server.received).hasSize(2);
    long gap = server.received.get(1).nanoTime() - server.received.get(0).nanoTime();
    assertThat(gap).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(950));
  }

  @Test
  void lookup_429BeyondMaxRetryAfter_failsAtOnceWithRetryAfter() {
    server.enqueueError(429, "rate_limited", "slow down", Map.of("Retry-After", "3600"));
    try (HashDbClient client = builder().build()) {
      assertThatThrownBy(() -> client.lookup(HashType.MD5, randomValue(HashType.MD5)))
          .isInstanceOfSatisfying(RateLimitedException.class, e -> {
            assertThat(e.retryAfter()).isEqualTo(Duration.ofHours(1));
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.errorCode()).isEqualTo("rate_limited");
          });
    }
    assertThat(server.received).hasSize(1);
  }

  @Test
  void lookup_persistent503_throwsServerUnavailableAfterAllAttempts() {
    for (int i = 0; i < 4; i++) {
      server.enqueueError(503, "unavailable", "down", Map.of());
    }
    try (HashDbClient client = builder().build()) {
      assertThatThrownBy(() -> client.lookup(HashType.MD5, randomValue(HashType.MD5)))
          .isInstanceOfSatisfying(ServerUnavailableException.class, e -> {
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.errorCode()).isEqualTo("unavailable");
            assertThat(e.getMessage()).contains("4 attempt");
          });
    }
    assertThat(server.received).hasSize(4);
  }

  @Test
  void lookup_unknownKey_throwsAuthenticationWithoutRetry() {
    try (HashDbClient client = builder().apiKey("wrong").build()) {
      assertThatThrownBy(() -> client.lookup(HashType.MD5, randomValue(HashType.MD5)))
          .isInstanceOfSatisfying(AuthenticationException.class, e -> assertThat(e.errorCode()).isEqualTo("unauthorized"));
    }
    assertThat(server.received).hasSize(1);
  }

  @Test
  void lookupAll_wrongRole_throwsAuthorization() {
    try (HashDbClient client = builder().apiKey(FakeApiServer.QUERY_ONLY_KEY).build()) {
      assertThatThrownBy(() -> client.lookupAll(List.of(Query.of(HashType.MD5, randomValue(HashType.MD5)))))
          .isInstanceOfSatisfying(AuthorizationException.class, e -> assertThat(e.status()).isEqualTo(403));
    }
  }

  @Test
  void lookupAll_400_throwsInvalidRequestWithServerCodeAndMessage() {
    server.enqueueError(400, "invalid_hash", "queries[0].hash: not hex", Map.of());
    try (HashDbClient client = builder().build()) {
      assertThatThrownBy(() -> client.lookupAll(List.of(Query.of(HashType.MD5, randomValue(HashType.MD5)))))
          .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.errorCode()).isEqualTo("invalid_hash");
            assertThat(e.getMessage()).contains("queries[0].hash: not hex").contains("POST /v1/lookup");
          });
    }
    assertThat(server.received).hasSize(1);
  }

  @Test
  void lookup_errorBodyNotJson_keepsStatusAndSnippet() {
    server.enqueue(415, "<html>nope</html>", Map.of());
    try (HashDbClient client = builder().build()) {
      assertThatThrownBy(() -> client.lookup(HashType.MD5, randomValue(HashType.MD5)))
          .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.status()).isEqualTo(415);
            assertThat(e.errorCode()).isNull();
            assertThat(e.getMessage()).contains("<html>nope</html>");
          });
    }
  }

  @Test
  void lookup_malformedSuccessBody_throwsHashDbException() {
    server.enqueue(200, "{\"match\":true,\"matches\":[]}", Map.of());
    try (HashDbClient client = builder().build()) {
      assertThatThrownBy(() -> client.lookup(HashType.MD5, randomValue(HashType.MD5)))
          .isExactlyInstanceOf(HashDbException.class)
          .hasMessageContaining("malformed response");
    }
  }

  @Test
  void lookup_nothingListening_throwsServerUnavailableAfterRetries() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (HashDbClient client = HashDbClient.builder().baseUrl("http://127.0.0.1:" + port).apiKey("k")
        .retryPolicy(new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ZERO)).build()) {
      assertThatThrownBy(() -> client.lookup(HashType.MD5, randomValue(HashType.MD5)))
          .isInstanceOfSatisfying(ServerUnavailableException.class, e -> {
            assertThat(e.status()).isZero();
            assertThat(e.getMessage()).contains("2 attempt");
            assertThat(e.getCause()).isInstanceOf(java.io.IOException.class);
          });
    }
  }

  @Test
  void lookupAllAsync_manyCalls_completeIndependently() throws Exception {
    byte[] hit = randomValue(HashType.SHA256);
    server.list(HashType.SHA256, hit);
    try (HashDbClient client = builder().build()) {
      List<CompletableFuture<List<LookupResult>>> fs = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        fs.add(client.lookupAllAsync(List.of(Query.of(HashType.SHA256, i % 2 == 0 ? hit : randomValue(HashType.SHA256)))));
      }
      for (int i = 0; i < 20; i++) {
        assertThat(fs.get(i).get(10, TimeUnit.SECONDS).get(0).match()).isEqualTo(i % 2 == 0);
      }
    }
  }

  @Test
  void lookupAsync_failure_completesExceptionallyWithSubclass() {
    try (HashDbClient client = builder().apiKey("wrong").build()) {
      CompletableFuture<LookupResult> f = client.lookupAsync(Query.of(HashType.MD5, randomValue(HashType.MD5)));
      assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(AuthenticationException.class);
    }
  }

  @Test
  void checkBytes_hashesLocallyAndSendsOnlyHashes() throws Exception {
    byte[] content = "some uploaded file content".getBytes(StandardCharsets.UTF_8);
    org.hashdb.core.content.FileHashes h = new org.hashdb.core.content.FileHasher(java.util.Set.of(HashType.SHA256)).hash(new java.io.ByteArrayInputStream(content));
    server.list(HashType.SHA256, h.sha256());
    try (HashDbClient client = builder().build()) {
      ContentCheck c = client.checkBytes(content, java.util.Set.of(HashType.MD5, HashType.SHA256), Query.DEFAULT_DISTANCE);
      assertThat(c.match()).isTrue();
      assertThat(c.results()).extracting(LookupResult::type).containsExactly(HashType.MD5, HashType.SHA256);
      assertThat(c.results()).extracting(LookupResult::match).containsExactly(false, true);
    }
    String sent = new String(server.received.get(0).body(), StandardCharsets.UTF_8);
    assertThat(sent).doesNotContain("uploaded");
  }

  @Test
  void builder_missingOrBadSettings_areRejectedNamingTheSetting() {
    assertThatThrownBy(() -> HashDbClient.builder().apiKey("k").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("baseUrl");
    assertThatThrownBy(() -> HashDbClient.builder().baseUrl("ftp://x").apiKey("k"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("baseUrl");
    assertThatThrownBy(() -> HashDbClient.builder().baseUrl("http://x").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("apiKey");
    assertThatThrownBy(() -> HashDbClient.builder().apiKey("a b"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("apiKey");
    assertThatThrownBy(() -> HashDbClient.builder().maxBatchSize(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBatchSize");
    assertThatThrownBy(() -> HashDbClient.builder().pinnedCertificate("abc"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pin");
  }

  @Test
  void builder_unsetKey_messageNamesTheBuilderMethodOrVariable() {
    assertThatThrownBy(() -> HashDbClient.builder().apiKey(System.getenv("HASHDB_TEST_SURELY_UNSET_VARIABLE")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("apiKey").hasMessageContaining("System.getenv");
    assertThatThrownBy(() -> HashDbClient.builder().apiKeyFromEnv("HASHDB_TEST_SURELY_UNSET_VARIABLE"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HASHDB_TEST_SURELY_UNSET_VARIABLE is not set");
    assertThatThrownBy(() -> HashDbClient.builder().baseUrl("http://127.0.0.1:1").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("apiKey(");
  }
}
