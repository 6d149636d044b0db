package org.hashdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.db.DatabaseOptions;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.NewEntry;
import org.hashdb.server.ServerConfig;
import org.hashdb.server.api.ApiService;
import org.hashdb.server.audit.AuditLog;
import org.hashdb.server.auth.KeyFile;
import org.hashdb.server.auth.KeyRing;
import org.hashdb.server.auth.Role;

/**
 * Whole HTTP/1.1 requests (request line, headers, JSON, binary bulk and admin bodies, change feed
 * parameters; or raw bytes) through the server's pipeline. A finding is an exception escaping
 * the pipeline, a 500 (bad input must never be one), or a request left unanswered.
 */
class HttpPipelineFuzzTest {
  private static final Fixture F = new Fixture();

  /** One server state for all executions: keys, a persistent database with a few entries. */
  static final class Fixture {
    final ApiService api;
    final String admin;
    final String query;
    final String replica;

    Fixture() {
      try {
        Path dir = Files.createTempDirectory("hashdb-fuzz-http");
        KeyFile kf = new KeyFile(dir);
        admin = kf.create("admin", Role.ADMIN, null, 0);
        query = kf.create("query", Role.QUERY, null, 0);
        replica = kf.create("replica", Role.REPLICA, null, 0);
        api = new ApiService(ServerConfig.builder().port(0).adminPort(0).maxBodyBytes(1 << 20).build(),
            KeyRing.load(dir), AuditLog.disabled());
        HashDatabase db = HashDatabase.open(dir.resolve("data"),
            DatabaseOptions.defaults().withFsync(false));
        db.add(List.of(
            new NewEntry(HashType.MD5, Hex.decode(HashType.MD5, "d41d8cd98f00b204e9800998ecf8427e"),
                "list-a", "A1", "test"),
            new NewEntry(HashType.PDQ, Hex.decode(HashType.PDQ, "f0".repeat(32)), "list-a", "P", "")));
        api.databaseReady(db);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  private static final String[] METHODS = {"GET", "POST", "DELETE", "PUT", "HEAD", "OPTIONS"};
  private static final String[] PATHS = {
    "/v1/hashes/md5/", "/v1/hashes/sha256/", "/v1/hashes/pdq/", "/v1/lookup", "/v1/lookup/bulk?type=",
    "/v1/admin/entries", "/v1/admin/entries/md5/", "/v1/admin/changes?since=", "/v1/admin/stats",
    "/healthz", "/readyz", "/v1/lists", "/"};

  @FuzzTest(maxDuration = "2m")
  void http1(FuzzedDataProvider data) throws InterruptedException {
    for (byte[] b : exchange(compose(data))) {
      if (b.length >= 12 && new String(b, 0, 9, StandardCharsets.US_ASCII).startsWith("HTTP/1.")) {
        String status = new String(b, 9, 3, StandardCharsets.US_ASCII);
        assertThat(status).as("bad input never yields 500").isNotEqualTo("500");
      }
    }
  }

  /** The stored MD5 (an empty file's): the one value a bulk request can match. */
  private static final byte[] STORED_MD5 =
      Hex.decode(HashType.MD5, "d41d8cd98f00b204e9800998ecf8427e");
  private static final HashType[] BULK_TYPES = {HashType.MD5, HashType.SHA1, HashType.SHA256};

  /**
   * The binary bulk body ({@code POST /v1/lookup/bulk}): raw hashes of the type named in the
   * query, one bit per hash back. A body that is not a whole number of hashes is a 400; one that
   * is gets exactly one bit per hash, set only for the stored value.
   */
  @FuzzTest(maxDuration = "2m")
  void bulkBody(FuzzedDataProvider data) throws InterruptedException {
    HashType type = data.pickValue(BULK_TYPES);
    boolean chunked = data.consumeBoolean();
    byte[] body = data.consumeRemainingAsBytes();
    if (type == HashType.MD5 && body.length >= 16 && body[0] == 'S') {
      System.arraycopy(STORED_MD5, 0, body, body.length / 16 * 16 - 16, 16); // a known match
    }
    StringBuilder head = new StringBuilder("POST /v1/lookup/bulk?type=").append(type.apiName())
        .append(" HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer ").append(F.query)
        .append("\r\nContent-Type: application/octet-stream\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (chunked) {
      head.append("Transfer-Encoding: chunked\r\n\r\n");
      out.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
      chunk(out, body, 0, body.length / 3);
      chunk(out, body, body.length / 3, body.length - body.length / 3);
      out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    } else {
      head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
      out.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(body);
    }
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    exchange(out.toByteArray()).forEach(written::writeBytes);
    List<Response> answers = parseResponses(written.toByteArray());
    assertThat(answers).as("one answer per request").hasSize(1);
    Response r = answers.get(0);
    int hl = type.byteLength();
    if (body.length % hl != 0) {
      assertThat(r.status()).as("a partial hash is refused").isEqualTo(400);
      return;
    }
    if (r.status() != 200) {
      assertThat(r.status()).as("status of %d bytes", body.length).isBetween(400, 499);
      return;
    }
    int n = body.length / hl;
    assertThat(r.body()).hasSize((n + 7) / 8);
    for (int i = 0; i < n; i++) {
      boolean stored = type == HashType.MD5
          && Arrays.equals(body, i * hl, i * hl + hl, STORED_MD5, 0, hl);
      boolean bit = (r.body()[i >>> 3] & (1 << (i & 7))) != 0;
      assertThat(bit).as("bit of hash %d", i).isEqualTo(stored);
    }
  }

  /** One HTTP response read back from the channel. */
  record Response(int status, byte[] body) {}

  /**
   * Writes the bytes into a new connection, lets it answer, and returns the buffers it wrote. A
   * finding is an exception escaping the pipeline or a request left unanswered.
   */
  private static List<byte[]> exchange(byte[] request) throws InterruptedException {
    InFlight inFlight = new InFlight();
    EmbeddedChannel ch = EmbeddedPipeline.cleartext(F.api, inFlight);
    List<byte[]> written = new ArrayList<>();
    try {
      ch.writeInbound(Unpooled.wrappedBuffer(request));
      settle(ch, inFlight);
      ch.checkException();
      for (Object o; (o = ch.readOutbound()) != null; ) {
        try {
          if (o instanceof ByteBuf b) {
            byte[] bytes = new byte[b.readableBytes()];
            b.getBytes(b.readerIndex(), bytes);
            written.add(bytes);
          }
        } finally {
          ReferenceCountUtil.release(o);
        }
      }
    } finally {
      ch.finishAndReleaseAll();
    }
    return written;
  }

  /** Responses with a Content-Length (the server sends no other kind to a bulk request). */
  private static List<Response> parseResponses(byte[] b) {
    List<Response> out = new ArrayList<>();
    int pos = 0;
    while (pos + 12 <= b.length) {
      String rest = new String(b, pos, b.length - pos, StandardCharsets.ISO_8859_1);
      int headEnd = rest.indexOf("\r\n\r\n");
      assertThat(rest).as("a response").startsWith("HTTP/1.");
      assertThat(headEnd).as("a response head").isPositive();
      int status = Integer.parseInt(rest.substring(9, 12));
      int length = 0;
      for (String line : rest.substring(0, headEnd).split("\r\n")) {
        if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      int bodyAt = pos + headEnd + 4;
      out.add(new Response(status, Arrays.copyOfRange(b, bodyAt, Math.min(b.length, bodyAt + length))));
      pos = bodyAt + length;
    }
    return out;
  }

  /**
   * Runs the channel's tasks until no request is in flight, or the connection waits for more
   * input (an incomplete request: it reads on). While a worker answers, the connection stops
   * reading; the worker then posts one task back to the channel's loop, which is run only once
   * it is there, since the embedded loop's queue is not meant for other threads to touch while
   * it runs.
   */
  private static void settle(EmbeddedChannel ch, InFlight inFlight) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    ch.runPendingTasks();
    while (inFlight.count() > 0 && ch.isActive()) {
      if (ch.hasPendingTasks()) {
        ch.runPendingTasks();
        continue;
      }
      if (ch.config().isAutoRead()) {
        return; // waiting for the rest of a request the input did not complete
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("a request was not answered within 10 s");
      }
      Thread.sleep(0, 100_000);
    }
    ch.runPendingTasks();
  }

  private static byte[] compose(FuzzedDataProvider data) {
    int mode = data.consumeInt(0, 3);
    if (mode == 0) {
      return data.consumeRemainingAsBytes(); // raw bytes: request line, headers, framing
    }
    StringBuilder head = new StringBuilder();
    head.append(data.pickValue(METHODS)).append(' ').append(data.pickValue(PATHS))
        .append(data.consumeAsciiString(80)).append(" HTTP/1.1\r\nHost: h\r\n");
    switch (data.consumeInt(0, 4)) {
      case 0 -> head.append("Authorization: Bearer ").append(F.admin).append("\r\n");
      case 1 -> head.append("Authorization: Bearer ").append(F.query).append("\r\n");
      case 2 -> head.append("Authorization: Bearer ").append(F.replica).append("\r\n");
      case 3 -> head.append("Authorization: ").append(data.consumeAsciiString(90)).append("\r\n");
      default -> { }
    }
    if (data.consumeBoolean()) {
      head.append("Content-Type: ").append(data.pickValue(new String[] {
          "application/json", "application/octet-stream", "text/plain", "text/csv"})).append("\r\n");
    }
    if (data.consumeBoolean()) {
      head.append(data.consumeAsciiString(60)).append("\r\n"); // one arbitrary header line
    }
    byte[] body = data.consumeRemainingAsBytes();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (mode == 1) {
      head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
      out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.writeBytes(body);
    } else {
      head.append("Transfer-Encoding: chunked\r\n\r\n");
      out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      int half = body.length / 2;
      chunk(out, body, 0, half);
      chunk(out, body, half, body.length - half);
      out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, byte[] b, int off, int len) {
    if (len == 0) {
      return;
    }
    out.writeBytes((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(b, off, len);
    out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
  }
}
