package org.hashdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hashdb.testing.TestRandom;

/** Raw-socket tests: pipelining, keep-alive rules, header limits, malformed input, slow clients. */
class HttpProtocolTest {
  @TempDir Path dir;
  private TestServer ts;

  @BeforeEach
  void start() throws Exception {
    ts = new TestServer(dir, b -> b.readTimeoutMillis(700).idleTimeoutMillis(1500));
  }

  @AfterEach
  void stop() {
    ts.close();
    assertThat(ts.server.inFlight()).isZero();
  }

  private String get(String path, String key, String extra) {
    return "GET " + path + " HTTP/1.1\r\nHost: x\r\n"
        + (key == null ? "" : "Authorization: Bearer " + key + "\r\n") + extra + "\r\n";
  }

  @Test
  void pipelining_syncAndAsyncRequests_answeredInOrder() throws Exception {
    String addBody = "{\"entries\":[{\"type\":\"md5\",\"hash\":\"" + "ab".repeat(16)
        + "\",\"list\":\"p\"}]}";
    String add = "POST /v1/admin/entries HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
        + ts.adminKey + "\r\nContent-Type: application/json\r\nContent-Length: "
        + addBody.length() + "\r\n\r\n" + addBody;
    StringBuilder all = new StringBuilder();
    all.append(get("/v1/hashes/md5/" + TestServer.MD5_A, ts.queryKey, ""));
    all.append(get("/v1/hashes/md5/" + "ab".repeat(16), ts.queryKey, ""));
    all.append(get("/nope", null, ""));
    all.append(get("/healthz", null, ""));
    try (RawHttp c = new RawHttp(ts.server.port(), 5000)) {
      c.send(all.toString());
      List<RawHttp.Response> rs = c.read(4);
      assertThat(rs).extracting(RawHttp.Response::status).containsExactly(200, 200, 404, 200);
      assertThat(rs.get(0).text()).contains("\"list\":\"list-a\"");
      assertThat(rs.get(1).text()).contains("\"match\":false");
      assertThat(rs.get(3).text()).contains("ok");
    }
    // on the admin listener: a durable write (answered by a worker) between answers of the loop
    String admin = add + get("/v1/admin/stats", ts.adminKey, "") + get("/nope", null, "")
        + get("/healthz", null, "");
    try (RawHttp c = new RawHttp(ts.server.adminPort(), 5000)) {
      c.send(admin);
      List<RawHttp.Response> rs = c.read(4);
      assertThat(rs).extracting(RawHttp.Response::status).containsExactly(200, 200, 404, 200);
      assertThat(rs.get(0).text()).contains("\"added\":1");
      // the stats after the add see it: requests are served in order
      assertThat(rs.get(1).text()).contains("\"p\":1");
      assertThat(rs.get(3).text()).contains("ok");
    }
    assertThat(ts.get("/v1/hashes/md5/" + "ab".repeat(16), ts.queryKey).body()).contains("\"match\":true");
  }

  @Test
  void http10_closesUnlessKeepAliveAsked() throws Exception {
    try (RawHttp c = new RawHttp(ts.server.port(), 3000)) {
      c.send("GET /healthz HTTP/1.0\r\n\r\n");
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(c.closedByServer()).isTrue();
    }
    try (RawHttp c = new RawHttp(ts.server.port(), 3000)) {
      c.send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
      RawHttp.Response r = c.read();
      assertThat(r.header("connection")).isEqualToIgnoringCase("keep-alive");
      c.send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(200);
    }
  }

  @Test
  void headers_exactlyLimitAccepted_oneMoreIs431Json() throws Exception {
    int limit = 64 << 10;
    String line = "GET /healthz HTTP/1.1"; // counted without line ends
    String host = "Host: x";
    // headers counted as name + ": " + value
    int fill = limit - line.length() - host.length() - "X-Pad: ".length();
    String ok = line + "\r\n" + host + "\r\nX-Pad: " + "a".repeat(fill) + "\r\n\r\n";
    try (RawHttp c = new RawHttp(ts.server.port(), 5000)) {
      c.send(ok);
      assertThat(c.read().status()).isEqualTo(200);
    }
    String over = line + "\r\n" + host + "\r\nX-Pad: " + "a".repeat(fill + 1) + "\r\n\r\n";
    try (RawHttp c = new RawHttp(ts.server.port(), 5000)) {
      c.send(over);
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(431);
      assertThat(r.text()).contains("\"code\":\"request_header_fields_too_large\"");
    }
    // one huge header line, beyond what the codec itself accepts
    try (RawHttp c = new RawHttp(ts.server.port(), 5000)) {
      c.send(line + "\r\nX-Pad: " + "b".repeat(2 * limit) + "\r\n\r\n");
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(431);
      assertThat(r.header("content-type")).isEqualTo("application/json");
    }
  }

  @Test
  void garbage_isJson400AndOtherConnectionsUnharmed() throws Exception {
    Random rnd = TestRandom.random(11);
    for (int round = 0; round < 20; round++) {
      byte[] junk = new byte[1 + rnd.nextInt(3000)];
      rnd.nextBytes(junk);
      try (RawHttp c = new RawHttp(ts.server.port(), 3000)) {
        c.send(junk);
        c.send("\r\n\r\n");
        RawHttp.Response r = c.read();
        if (r != null) { // a junk prefix may also just look like an incomplete request line
          assertThat(r.status()).isBetween(400, 499);
          assertThat(r.text()).startsWith("{\"error\":{\"code\":");
        }
      } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
        // waiting for more of an endless line, or reset after the error: both are fine
      }
    }
    try (RawHttp c = new RawHttp(ts.server.port(), 3000)) {
      c.send("BREW /coffee HTCPCP/1.0\r\n\r\n");
      RawHttp.Response r = c.read();
      assertThat(r.status()).isBetween(400, 405);
    }
    assertThat(ts.get("/healthz", null).statusCode()).isEqualTo(200);
  }

  @Test
  void abruptDisconnect_midBody_serverStaysHealthy() throws Exception {
    for (int i = 0; i < 10; i++) {
      try (RawHttp c = new RawHttp(ts.server.port(), 3000)) {
        c.send("POST /v1/lookup HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ts.queryKey
            + "\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"queries\":[");
      }
      try (RawHttp c = new RawHttp(ts.server.adminPort(), 3000)) {
        c.send("POST /v1/admin/import?list=x HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
            + ts.adminKey + "\r\nContent-Type: text/csv\r\nContent-Length: 100000\r\n\r\n"
            + "md5," + "11".repeat(16) + "\n");
      }
    }
    HttpResponse<String> r = ts.get("/v1/hashes/md5/" + TestServer.MD5_A, ts.queryKey);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"match\":true");
    // every cut request was released while the server runs: none is left in flight
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (ts.server.inFlight() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(ts.server.inFlight()).as("requests in flight after the clients left").isZero();
    // and no cut import holds the import slot: a whole one runs to its end
    String csv = "md5," + "22".repeat(16) + "\n";
    HttpResponse<String> imp = ts.post("/v1/admin/import?list=after", ts.adminKey, "text/csv",
        csv.getBytes(StandardCharsets.UTF_8));
    assertThat(imp.statusCode()).as(imp.body()).isEqualTo(200);
    assertThat(imp.body()).contains("\"added\":1");
    assertThat(ts.get("/v1/hashes/md5/" + "22".repeat(16), ts.queryKey).body())
        .contains("\"list\":\"after\"");
  }

  @Test
  void slowClient_partialHead_closedAfterIdleTimeout() throws Exception {
    // no clock window: the head is cut by the server (not answered), and only a head that stops
    // coming is: one completed in time on the same kind of connection is served
    try (RawHttp c = new RawHttp(ts.server.port(), 10_000)) {
      c.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ");
      assertThat(c.closedByServer()).isTrue();
    }
    try (RawHttp c = new RawHttp(ts.server.port(), 10_000)) {
      c.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ");
      c.send("1\r\n\r\n");
      assertThat(c.read(1).get(0).status()).isEqualTo(200);
    }
  }

  @Test
  void slowClient_silentMidBody_408ThenClose() throws Exception {
    try (RawHttp c = new RawHttp(ts.server.port(), 6000)) {
      c.send("POST /v1/lookup HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ts.queryKey
          + "\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{\"quer");
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(408);
      assertThat(r.text()).contains("request_timeout");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void idleKeepAlive_closedAfterIdleTimeout_butActiveOneServed() throws Exception {
    try (RawHttp idle = new RawHttp(ts.server.port(), 6000);
        RawHttp active = new RawHttp(ts.server.port(), 6000)) {
      idle.send(get("/healthz", null, ""));
      assertThat(idle.read().status()).isEqualTo(200);
      for (int i = 0; i < 5; i++) {
        active.send(get("/healthz", null, ""));
        assertThat(active.read().status()).isEqualTo(200);
        Thread.sleep(400);
      }
      assertThat(idle.closedByServer()).isTrue();
    }
  }

  @Test
  void oversizedContentLength_413BeforeBodyThenClose() throws Exception {
    try (RawHttp c = new RawHttp(ts.server.port(), 5000)) {
      c.send("POST /v1/lookup HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ts.queryKey
          + "\r\nContent-Type: application/json\r\nContent-Length: " + ((16 << 20) + 1)
          + "\r\n\r\n");
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(413);
      assertThat(r.header("connection")).isEqualTo("close");
      assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("payload_too_large");
    }
  }

  @Test
  void expectContinue_sentAfterAuthOnly() throws Exception {
    try (RawHttp c = new RawHttp(ts.server.port(), 5000)) {
      c.send("POST /v1/lookup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Expect: 100-continue\r\nContent-Length: 14\r\n\r\n");
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(401);
    }
  }
}
