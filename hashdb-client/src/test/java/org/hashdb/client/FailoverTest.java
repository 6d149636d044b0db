package org.hashdb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.hashdb.core.hash.HashType;
import org.hashdb.testing.TestRandom;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Several base URLs (issue 14): failover between real local HTTP servers, one refusing
 * connections, one answering 503, one too slow; stickiness; 4xx answers that must not fail over;
 * and answers behind the sequence already seen.
 */
class FailoverTest {
  private static final RetryPolicy FAST_RETRY =
      new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(5));

  @AutoClose private final FakeApiServer a = FakeApiServer.start();
  @AutoClose private final FakeApiServer b = FakeApiServer.start();
  @AutoClose private final FakeApiServer c = FakeApiServer.start();
  private final Random random = TestRandom.random(14);

  /** A loopback URL nobody listens on (connection refused). */
  private static String deadUrl() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + s.getLocalPort();
    }
  }

  private HashDbClient client(String... urls) {
    return HashDbClient.builder().baseUrls(urls).apiKey(FakeApiServer.KEY).retryPolicy(FAST_RETRY).build();
  }

  private byte[] listedSha256(FakeApiServer... on) {
    byte[] v = new byte[32];
    random.nextBytes(v);
    for (FakeApiServer s : on) {
      s.list(HashType.SHA256, v);
    }
    return v;
  }

  @Test
  void firstUrlDead_secondAnswers_andLaterCallsStayOnIt() throws Exception {
    byte[] v = listedSha256(a);
    String dead = deadUrl();
    try (HashDbClient client = client(dead, a.url())) {
      assertThat(client.lookup(HashType.SHA256, v).match()).isTrue();
      assertThat(client.currentBaseUrl()).isEqualTo(URI.create(a.url()));
      for (int i = 0; i < 5; i++) {
        assertThat(client.lookup(HashType.SHA256, v).match()).isTrue();
      }
      assertThat(a.requests("/v1/lookup")).hasSize(6);
    }
  }

  @Test
  void deadThen503ThenGood_everyKindOfCallFailsOverToTheGoodOne() throws Exception {
    b.forcedStatus = 503;
    byte[] v = listedSha256(b, c);
    try (HashDbClient client = client(deadUrl() + "," + b.url(), c.url())) {
      assertThat(client.lookup(HashType.SHA256, v).match()).isTrue();
      BitSet bits = client.contains(HashType.SHA256, List.of(new byte[32], v));
      assertThat(bits.get(0)).isFalse();
      assertThat(bits.get(1)).isTrue();
      assertThat(client.currentBaseUrl()).isEqualTo(URI.create(c.url()));
    }
    assertThat(b.received).hasSize(1); // tried once, then backed off while c answers
    assertThat(c.requests("/v1/lookup")).hasSize(2);
  }

  @Test
  void slowNode_timesOut_andTheNextAnswers() {
    a.batchDelayMillis = 10_000;
    byte[] v = listedSha256(a, b);
    try (HashDbClient client = HashDbClient.builder().baseUrls(a.url(), b.url()).apiKey(FakeApiServer.KEY)
        .retryPolicy(FAST_RETRY).requestTimeout(Duration.ofMillis(300)).build()) {
      long t0 = System.nanoTime();
      assertThat(client.lookup(HashType.SHA256, v).match()).isTrue();
      assertThat(client.lookup(HashType.SHA256, v).match()).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }
    assertThat(a.requests("/v1/lookup")).hasSize(1); // the second call went straight to b
    assertThat(b.requests("/v1/lookup")).hasSize(2);
  }

  @Test
  void clientErrors_doNotFailOver() {
    a.enqueueError(400, "invalid_hash", "bad", Map.of());
    try (HashDbClient client = client(a.url(), b.url())) {
      assertThatThrownBy(() -> client.lookup(HashType.SHA256, new byte[32]))
          .isInstanceOf(InvalidRequestException.class);
    }
    try (HashDbClient client = HashDbClient.builder().baseUrls(a.url(), b.url()).apiKey("wrong-key")
        .retryPolicy(FAST_RETRY).build()) {
      assertThatThrownBy(() -> client.lookup(HashType.SHA256, new byte[32]))
          .isInstanceOf(AuthenticationException.class);
    }
    assertThat(a.received).hasSize(2);
    assertThat(b.received).isEmpty();
  }

  @Test
  void everyNodeDown_failsAfterThePolicysPasses_withTheLastError() throws Exception {
    a.forcedStatus = 503;
    try (HashDbClient client = client(deadUrl(), a.url())) {
      assertThatThrownBy(() -> client.lookup(HashType.SHA256, new byte[32]))
          .isInstanceOf(ServerUnavailableException.class)
          .hasMessageContaining("503")
          .hasMessageContaining("after 3 attempt(s)");
    }
    assertThat(a.received).hasSize(3); // one request per pass
  }

  @Test
  void rateLimited_isRetriedOnTheSameNode() {
    a.enqueueError(429, "rate_limited", "slow down", Map.of("Retry-After", "0"));
    byte[] v = listedSha256(a, b);
    try (HashDbClient client = client(a.url(), b.url())) {
      assertThat(client.lookup(HashType.SHA256, v).match()).isTrue();
    }
    assertThat(a.received).hasSize(2);
    assertThat(b.received).isEmpty();
  }

  @Test
  void sequence_isOnResults_andAnAnswerBehindIsNotUsed() {
    a.sequence = 10;
    b.sequence = 7;
    byte[] v = listedSha256(a, b);
    try (HashDbClient client = client(a.url(), b.url())) {
      LookupResult r = client.lookup(HashType.SHA256, v);
      assertThat(r.sequence()).isEqualTo(10);
      assertThat(client.highestSequence()).isEqualTo(10);
      // a fails once; b answers behind (7 < 10) so the client tries again and gets a's answer
      a.enqueueError(503, "unavailable", "restarting", Map.of());
      r = client.lookup(HashType.SHA256, v);
      assertThat(r.sequence()).isEqualTo(10);
      assertThat(b.received).hasSize(1);
      // b behind and a gone for good: an error naming both sequences, never b's answer
      a.forcedStatus = 503;
      assertThatThrownBy(() -> client.lookup(HashType.SHA256, v))
          .isInstanceOfSatisfying(StaleAnswerException.class, e -> {
            assertThat(e.answeredAt()).isEqualTo(7);
            assertThat(e.alreadySeen()).isEqualTo(10);
          });
      // b catches up: its answers are used
      b.sequence = 11;
      r = client.lookup(HashType.SHA256, v);
      assertThat(r.sequence()).isEqualTo(11);
      assertThat(client.currentBaseUrl()).isEqualTo(URI.create(b.url()));
      assertThat(client.highestSequence()).isEqualTo(11);
    }
  }

  @Test
  void noSequenceHeader_resultsSayUnknown() {
    try (HashDbClient client = client(a.url())) {
      assertThat(client.lookup(HashType.SHA256, new byte[32]).sequence()).isEqualTo(-1);
      assertThat(client.highestSequence()).isEqualTo(-1);
    }
  }

  @Test
  void builder_rejectsMixedSchemesDuplicatesAndEmptyLists() {
    assertThatThrownBy(() -> HashDbClient.builder().baseUrls("http://a.example", "https://b.example"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("all be http or all https");
    assertThatThrownBy(() -> HashDbClient.builder().baseUrls("http://a.example/,http://a.example"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    assertThatThrownBy(() -> HashDbClient.builder().baseUrls(" , "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no URL");
    assertThatThrownBy(() -> HashDbClient.builder().baseUrls("ftp://a.example"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http or https");
  }
}
