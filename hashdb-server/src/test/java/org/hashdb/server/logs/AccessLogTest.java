package org.hashdb.server.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessLogTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void entry_loggedNow_writesEveryField() throws Exception {
    AccessLog log = AccessLog.open(dir, 1 << 20, 2, n -> {});
    long start = System.nanoTime() - 1_500_000;
    log.entry(start)
        .connection("c0ffee01", 3, new InetSocketAddress("::1", 4711), "h2")
        .request("POST", "POST /v1/lookup", "0123456789abcdef", "agent \"q\"\n\u0001")
        .response(200, 120, 57)
        .loggedWhen(null);
    log.entry(start).connection("c0ffee01", 4, null, "http/1.1")
        .request("GET", null, null, null).response(404, -1, 59).loggedWhen(null);
    log.close();
    List<String> lines = Files.readAllLines(dir.resolve(AccessLog.FILE_NAME));
    assertThat(lines).hasSize(2);
    JsonNode a = JSON.readTree(lines.get(0));
    assertThat(a.get("conn").asText()).isEqualTo("c0ffee01");
    assertThat(a.get("req").asLong()).isEqualTo(3);
    assertThat(a.get("remote").asText()).isEqualTo("0:0:0:0:0:0:0:1");
    assertThat(a.get("keyId").asText()).isEqualTo("0123456789abcdef");
    assertThat(a.get("method").asText()).isEqualTo("POST");
    assertThat(a.get("route").asText()).isEqualTo("POST /v1/lookup");
    assertThat(a.get("status").asInt()).isEqualTo(200);
    assertThat(a.get("reqBytes").asLong()).isEqualTo(120);
    assertThat(a.get("respBytes").asLong()).isEqualTo(57);
    assertThat(a.get("micros").asLong()).isGreaterThanOrEqualTo(1500);
    assertThat(a.get("protocol").asText()).isEqualTo("h2");
    assertThat(a.get("userAgent").asText()).isEqualTo("agent \"q\"\n\u0001");
    assertThat(a.get("time").asText()).endsWith("Z");
    JsonNode b = JSON.readTree(lines.get(1));
    assertThat(b.get("route").asText()).isEqualTo(AccessLog.UNKNOWN_ROUTE);
    assertThat(b.get("keyId").isNull()).isTrue();
    assertThat(b.get("reqBytes").isNull()).isTrue();
    assertThat(b.get("remote").isNull()).isTrue();
    assertThat(b.has("userAgent")).isFalse();
  }

  @Test
  void entry_loggedWhenWriteCompletes_notBefore() throws Exception {
    AccessLog log = AccessLog.open(dir, 1 << 20, 2, n -> {});
    EmbeddedChannel ch = new EmbeddedChannel();
    io.netty.channel.ChannelPromise ok = ch.newPromise();
    io.netty.channel.ChannelPromise failed = ch.newPromise();
    log.entry(System.nanoTime()).connection("c", 1, null, "http/1.1")
        .request("GET", "GET /healthz", null, null).response(200, 0, 15).loggedWhen(ok);
    log.entry(System.nanoTime()).connection("c", 2, null, "http/1.1")
        .request("GET", "GET /healthz", null, null).response(200, 0, 15).loggedWhen(failed);
    Thread.sleep(50);
    failed.setFailure(new java.io.IOException("reset"));
    ok.setSuccess();
    log.close();
    ch.finishAndReleaseAll();
    List<String> lines = Files.readAllLines(dir.resolve(AccessLog.FILE_NAME));
    assertThat(lines).hasSize(2);
    JsonNode first = JSON.readTree(lines.get(0));
    assertThat(first.get("req").asLong()).isEqualTo(2); // in completion order
    assertThat(first.get("aborted").asBoolean()).isTrue();
    assertThat(first.get("micros").asLong()).isGreaterThanOrEqualTo(50_000);
    assertThat(JSON.readTree(lines.get(1)).has("aborted")).isFalse();
  }

  @Test
  void disabled_givesNoEntryAndWritesNoFile() throws Exception {
    AccessLog log = AccessLog.disabled();
    assertThat(log.enabled()).isFalse();
    assertThat(log.entry(System.nanoTime())).isNull();
    log.close();
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void cut_longTextOrSplitPair_cutBeforeThePair() {
    assertThat(AccessLog.cut("abc", 3)).isEqualTo("abc");
    assertThat(AccessLog.cut("abcd", 3)).isEqualTo("abc");
    assertThat(AccessLog.cut("ab\uD83D\uDE00", 3)).isEqualTo("ab");
    assertThat(AccessLog.cut("a\uD83D\uDE00b", 3)).isEqualTo("a\uD83D\uDE00");
  }

  @Test
  void open_badBounds_throwNamingTheParameter() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> AccessLog.open(dir, 100, 1, n -> {}))
        .hasMessageContaining("maxBytes must be >= 4096, got 100");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> AccessLog.open(dir, 4096, 0, n -> {}))
        .hasMessageContaining("maxFiles must be >= 1, got 0");
  }
}
