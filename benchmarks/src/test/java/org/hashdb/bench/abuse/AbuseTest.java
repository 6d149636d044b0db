package org.hashdb.bench.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every attack of {@link AbuseRun} against a real server process over loopback, with
 * deadlines shortened to 5 s so the suite takes minutes: the server's RSS grows by less than
 * 256 MiB, the well-behaved client's lookups are all answered within 1 s, and at least 90% of
 * the slow connections are closed within the wait. (The defaults are exercised by
 * {@code benchmarks/abuse.sh}.)
 */
@Tag("slow")
class AbuseTest {
  /** Deadlines short enough for a test; the caps and budgets keep their defaults. */
  static final String SETTINGS = String.join("\n",
      "headerTimeoutMillis=5000", "idleTimeoutMillis=5000", "readTimeoutMillis=5000",
      "sendTimeoutMillis=5000", "requestTimeoutMillis=20000", "")
      // more settings to compare, e.g. -Dabuse.settings=warmupRequests=0 (comma-separated)
      + System.getProperty("abuse.settings", "").replace(',', '\n') + "\n";
  private static final long SECONDS = 10;
  private static final long CLOSE_WAIT = 40;

  @TempDir static Path dir;
  private static AbuseServer server;

  @BeforeAll
  static void start() throws Exception {
    server = new AbuseServer(dir.resolve("plain"), SETTINGS, false);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static AbuseRun.Result attack(AbuseServer s, String name) throws Exception {
    AbuseRun.Result r = bounded(s, name);
    assertThat(r.worstMillis()).isLessThan(1000);
    return r;
  }

  /** Runs an attack; the server survives it with bounded memory and answers every lookup. */
  private static AbuseRun.Result bounded(AbuseServer s, String name) throws Exception {
    AbuseRun.Result r = AbuseRun.run(s.target(), name, AbuseRun.DEFAULT_SIZES.get(name),
        SECONDS, CLOSE_WAIT);
    System.out.println(r.line());
    assertThat(r.error()).isNull();
    assertThat(s.process.isAlive()).isTrue();
    assertThat(r.rssBeforeKib()).isPositive();
    assertThat(r.rssGrowthMib()).isLessThan(256);
    assertThat(r.probes()).isGreaterThan(5);
    assertThat(r.probeFailures()).isZero();
    return r;
  }

  private static void assertMostClosed(AbuseRun.Result r) {
    assertThat(r.opened()).isEqualTo(r.size());
    assertThat(r.closedFraction()).isGreaterThanOrEqualTo(0.9);
  }

  @Test
  void pipelinedNonReaders() throws Exception {
    AbuseRun.Result r = attack(server, "pipelined-nonreaders");
    assertThat(r.opened()).isGreaterThan(r.size()); // the server closed some: they came back
    assertThat(r.closedFraction()).isGreaterThanOrEqualTo(0.9);
  }

  @Test
  void trickledBodies() throws Exception {
    assertMostClosed(attack(server, "trickled-bodies"));
  }

  @Test
  void slowlorisHeaders() throws Exception {
    assertMostClosed(attack(server, "slowloris-headers"));
  }

  @Test
  void idleConnections() throws Exception {
    assertMostClosed(attack(server, "idle-connections"));
  }

  @Test
  void heavyPdqBatches() throws Exception {
    assertThat(attack(server, "heavy-pdq-batches").requests()).isPositive();
  }

  @Test
  void auditFlood() throws Exception {
    assertThat(attack(server, "audit-flood").requests()).isPositive();
  }

  @Test
  void http2StreamFlood() throws Exception {
    // A fresh server: its first HTTP/2 traffic is this flood (seeding uses HTTP/1.1). The
    // server warmed its HTTP/1.1 and HTTP/2 paths in-process at start-up (warmupRequests), and
    // reads a bounded share per connection per event loop turn, so the first flood is held to
    // the same latency as a repeat one.
    try (AbuseServer tls = new AbuseServer(dir.resolve("tls"), SETTINGS, true)) {
      for (int round = 0; round < 2; round++) {
        assertThat(attack(tls, "http2-stream-flood").closedFraction())
            .isGreaterThanOrEqualTo(0.9);
      }
    }
  }
}
