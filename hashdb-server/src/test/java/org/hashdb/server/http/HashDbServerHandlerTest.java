package org.hashdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.NewEntry;
import org.hashdb.server.ServerConfig;
import org.hashdb.server.api.ApiService;
import org.hashdb.server.logs.AccessLog;
import org.hashdb.server.audit.AuditLog;
import org.hashdb.server.auth.KeyFile;
import org.hashdb.server.auth.KeyRing;
import org.hashdb.server.auth.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handler on an {@link EmbeddedChannel}: no socket, every buffer accounted for. */
class HashDbServerHandlerTest {
  private static final String MD5 = "0123456789abcdef0123456789abcdef";

  @TempDir Path dir;
  private ApiService api;
  private InFlight inFlight;
  private String query;
  private String admin;
  private EmbeddedChannel ch;
  private EmbeddedChannel client;

  @BeforeEach
  void setUp() throws Exception {
    KeyFile kf = new KeyFile(dir);
    query = kf.create("q", Role.QUERY, null, 0);
    admin = kf.create("a", Role.ADMIN, null, 0);
    api = new ApiService(ServerConfig.builder().maxBodyBytes(1000).build(), KeyRing.load(dir),
        AuditLog.disabled());
    HashDatabase db = HashDatabase.inMemory();
    db.add(List.of(new NewEntry(HashType.MD5, Hex.decode(HashType.MD5, MD5), "l", "c", "")));
    api.databaseReady(db);
    inFlight = new InFlight();
    ch = new EmbeddedChannel(
        HashDbServerInitializer.embeddedHttp1(api, inFlight, AccessLog.disabled()));
    client = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 20));
  }

  @AfterEach
  void tearDown() {
    ch.finishAndReleaseAll();
    client.finishAndReleaseAll();
    api.close();
    assertThat(inFlight.count()).isZero();
  }

  private void send(String raw) {
    ch.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.UTF_8));
  }

  /** Runs the channel's tasks until {@code n} responses arrived (async ones included). */
  private List<FullHttpResponse> responses(int n) throws InterruptedException {
    List<FullHttpResponse> out = new ArrayList<>();
    long deadline = System.currentTimeMillis() + 10_000;
    while (out.size() < n && System.currentTimeMillis() < deadline) {
      ch.runPendingTasks();
      ByteBuf b;
      while ((b = ch.readOutbound()) != null) {
        client.writeInbound(b);
      }
      FullHttpResponse r;
      while ((r = client.readInbound()) != null) {
        out.add(r);
      }
      if (out.size() < n) {
        Thread.sleep(5);
      }
    }
    return out;
  }

  private static String text(FullHttpResponse r) {
    String s = r.content().toString(StandardCharsets.UTF_8);
    r.release();
    return s;
  }

  @Test
  void get_hitAndMiss_jsonBodies() throws Exception {
    send("GET /v1/hashes/md5/" + MD5 + " HTTP/1.1\r\nAuthorization: Bearer " + query + "\r\n\r\n"
        + "GET /v1/hashes/md5/" + "ff".repeat(16) + " HTTP/1.1\r\nAuthorization: Bearer " + query
        + "\r\n\r\n");
    List<FullHttpResponse> rs = responses(2);
    assertThat(rs).hasSize(2);
    assertThat(rs.get(0).status().code()).isEqualTo(200);
    assertThat(text(rs.get(0))).contains("\"match\":true").contains("\"list\":\"l\"");
    assertThat(text(rs.get(1))).contains("\"match\":false");
  }

  @Test
  void pipelined_asyncWriteBetweenLookups_responsesInRequestOrder() throws Exception {
    String h2 = "ee".repeat(16);
    String body = "{\"entries\":[{\"type\":\"md5\",\"hash\":\"" + h2 + "\",\"list\":\"l\"}]}";
    send("GET /v1/hashes/md5/" + h2 + " HTTP/1.1\r\nAuthorization: Bearer " + query + "\r\n\r\n"
        + "POST /v1/admin/entries HTTP/1.1\r\nAuthorization: Bearer " + admin
        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n"
        + body
        + "GET /v1/hashes/md5/" + h2 + " HTTP/1.1\r\nAuthorization: Bearer " + query + "\r\n\r\n");
    List<FullHttpResponse> rs = responses(3);
    assertThat(rs).hasSize(3);
    assertThat(text(rs.get(0))).contains("\"match\":false");
    assertThat(text(rs.get(1))).contains("\"added\":1");
    assertThat(text(rs.get(2))).contains("\"match\":true");
  }

  @Test
  void unauthorized_bodyDiscarded_connectionReused() throws Exception {
    send("POST /v1/lookup HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n"
        + "not json!"
        + "GET /healthz HTTP/1.1\r\n\r\n");
    List<FullHttpResponse> rs = responses(2);
    assertThat(rs.get(0).status().code()).isEqualTo(401);
    assertThat(text(rs.get(0))).contains("\"code\":\"unauthorized\"");
    assertThat(rs.get(1).status().code()).isEqualTo(200);
    text(rs.get(1));
    assertThat(ch.isOpen()).isTrue();
  }

  @Test
  void chunkedBody_aggregatedWithinLimit_413Beyond() throws Exception {
    String q = "{\"queries\":[{\"type\":\"md5\",\"hash\":\"" + MD5 + "\"}]}";
    String half1 = q.substring(0, 20);
    String half2 = q.substring(20);
    send("POST /v1/lookup HTTP/1.1\r\nAuthorization: Bearer " + query
        + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        + Integer.toHexString(half1.length()) + "\r\n" + half1 + "\r\n"
        + Integer.toHexString(half2.length()) + "\r\n" + half2 + "\r\n0\r\n\r\n");
    List<FullHttpResponse> rs = responses(1);
    assertThat(text(rs.get(0))).isEqualTo(
        "{\"results\":[{\"match\":true,\"matches\":[{\"entry\":\"" + entryOf()
            + "\",\"list\":\"l\",\"category\":\"c\",\"distance\":0}]}]}");
    String big = "x".repeat(600);
    send("POST /v1/lookup HTTP/1.1\r\nAuthorization: Bearer " + query
        + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "258\r\n" + big + "\r\n258\r\n" + big + "\r\n0\r\n\r\n");
    rs = responses(1);
    assertThat(rs.get(0).status().code()).isEqualTo(413);
    assertThat(text(rs.get(0))).contains("payload_too_large");
    assertThat(ch.isOpen()).isFalse();
  }

  private String entryOf() {
    return api.database().lookup(HashType.MD5, Hex.decode(HashType.MD5, MD5),
        org.hashdb.core.db.ListFilter.all()).get(0).entry();
  }

  @Test
  void accessLog_pipelinedAndEarlyAnswers_oneLineEachInOrder() throws Exception {
    AccessLog access = AccessLog.open(dir, 1 << 20, 2, n -> {});
    EmbeddedChannel c = new EmbeddedChannel(
        HashDbServerInitializer.embeddedHttp1(api, inFlight, access));
    EmbeddedChannel saved = ch;
    ch = c;
    String miss = "ab".repeat(16);
    try {
      send("GET /v1/hashes/md5/" + miss + " HTTP/1.1\r\nAuthorization: Bearer " + query
          + "\r\nUser-Agent: t/1\r\n\r\n"
          + "POST /v1/lookup HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 9"
          + "\r\n\r\nnot json!"
          + "GET /" + miss + " HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
          + "GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n");
      List<FullHttpResponse> rs = responses(4);
      assertThat(rs).extracting(r -> r.status().code()).containsExactly(200, 401, 404, 200);
      rs.forEach(HashDbServerHandlerTest::text);
    } finally {
      ch = saved;
      c.finishAndReleaseAll();
      access.close();
    }
    List<String> lines = Files.readAllLines(dir.resolve(AccessLog.FILE_NAME));
    assertThat(lines).hasSize(4);
    ObjectMapper json = new ObjectMapper();
    JsonNode a = json.readTree(lines.get(0));
    JsonNode b = json.readTree(lines.get(1));
    JsonNode d = json.readTree(lines.get(2));
    JsonNode e = json.readTree(lines.get(3));
    assertThat(List.of(a, b, d, e)).extracting(l -> l.get("req").asLong())
        .containsExactly(1L, 2L, 3L, 4L);
    assertThat(e.get("route").asText()).isEqualTo("GET /healthz");
    assertThat(a.get("route").asText()).isEqualTo("GET /v1/hashes/{type}/{hash}");
    assertThat(a.get("keyId").asText()).isEqualTo(KeyFile.idOf(query));
    assertThat(a.get("userAgent").asText()).isEqualTo("t/1");
    assertThat(b.get("route").asText()).isEqualTo("POST /v1/lookup");
    assertThat(b.get("status").asInt()).isEqualTo(401);
    assertThat(b.get("keyId").isNull()).isTrue();
    assertThat(d.get("route").asText()).isEqualTo(AccessLog.UNKNOWN_ROUTE);
    assertThat(d.get("protocol").asText()).isEqualTo("http/1.0");
    assertThat(Files.readString(dir.resolve(AccessLog.FILE_NAME))).doesNotContain(miss);
  }

  @Test
  void notReady_v1Is503_healthz200_readyz503() throws Exception {
    ApiService cold = new ApiService(ServerConfig.defaults(), KeyRing.load(dir), AuditLog.disabled());
    EmbeddedChannel c = new EmbeddedChannel(
        HashDbServerInitializer.embeddedHttp1(cold, inFlight, AccessLog.disabled()));
    EmbeddedChannel saved = ch;
    ch = c;
    try {
      send("GET /v1/hashes/md5/" + MD5 + " HTTP/1.1\r\nAuthorization: Bearer " + query + "\r\n\r\n"
          + "GET /healthz HTTP/1.1\r\n\r\nGET /readyz HTTP/1.1\r\n\r\n");
      List<FullHttpResponse> rs = responses(3);
      assertThat(rs.get(0).status().code()).isEqualTo(503);
      assertThat(rs.get(0).headers().get("Retry-After")).isEqualTo("1");
      assertThat(text(rs.get(0))).contains("\"code\":\"unavailable\"");
      assertThat(rs.get(1).status().code()).isEqualTo(200);
      text(rs.get(1));
      assertThat(rs.get(2).status().code()).isEqualTo(503);
      text(rs.get(2));
    } finally {
      ch = saved;
      c.finishAndReleaseAll();
      cold.close();
    }
  }
}
