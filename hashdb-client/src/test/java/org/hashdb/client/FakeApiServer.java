package org.hashdb.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hashdb.core.hash.HashType;

/**
 * A test double speaking the lookup API of API.md over a real socket (JDK HttpServer): exact
 * lookups against a set of listed values, JSON and bulk batch limits, bearer-key auth, and a
 * script of failures to inject before answering. It tests the client's transport behaviour; the
 * real server is exercised by the end-to-end tests.
 */
public final class FakeApiServer implements AutoCloseable {
  public static final String KEY = "test-key-0123";
  static final String QUERY_ONLY_KEY = "no-lookups-key";

  /** One request as received. */
  public record Received(String method, String pathAndQuery, Map<String, List<String>> headers, byte[] body, long nanoTime,
      int clientPort) {}

  /** A scripted response served instead of the real answer. */
  record Scripted(int status, String body, Map<String, String> headers) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final Set<String> listed = ConcurrentHashMap.newKeySet(); // "type:hex"
  public final List<Received> received = Collections.synchronizedList(new ArrayList<>());
  private final List<Scripted> script = Collections.synchronizedList(new ArrayList<>());
  volatile int maxBatch = 10_000;
  /** Delay before each POST /v1/lookup is answered (a slow server, to catch a scan mid-way). */
  public volatile long batchDelayMillis;
  volatile int maxBulk = 1_000_000;
  /** When >= 0, sent as X-HashDB-Sequence with every answer (the list state answered at). */
  public volatile long sequence = -1;
  /** When not 0, every request is answered with this status (a node that is down or unready). */
  public volatile int forcedStatus;

  /** A started server, for field initialisers ({@code @AutoClose FakeApiServer s = FakeApiServer.start();}). */
  public static FakeApiServer start() {
    try {
      return new FakeApiServer();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public FakeApiServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public void list(HashType type, byte[] value) {
    listed.add(type.apiName() + ":" + HexFormat.of().formatHex(value));
  }

  boolean isListed(HashType type, byte[] value) {
    return listed.contains(type.apiName() + ":" + HexFormat.of().formatHex(value));
  }

  /** The next requests get these responses, in order, before normal service resumes. */
  public void enqueue(int status, String body, Map<String, String> headers) {
    script.add(new Scripted(status, body, headers));
  }

  public void enqueueError(int status, String code, String message, Map<String, String> headers) {
    enqueue(status, "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}", headers);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      String pq = ex.getRequestURI().getRawPath() + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
      received.add(new Received(ex.getRequestMethod(), pq, new HashMap<>(ex.getRequestHeaders()), body, System.nanoTime(),
          ex.getRemoteAddress().getPort()));
      Scripted s = null;
      synchronized (script) {
        if (!script.isEmpty()) {
          s = script.remove(0);
        }
      }
      if (s == null && forcedStatus != 0) {
        s = new Scripted(forcedStatus, "{\"error\":{\"code\":\"unavailable\",\"message\":\"forced\"}}", Map.of());
      }
      if (s != null) {
        s.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        send(ex, s.status(), "application/json", s.body().getBytes(StandardCharsets.UTF_8));
        return;
      }
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      if (auth == null || !(auth.equals("Bearer " + KEY) || auth.equals("Bearer " + QUERY_ONLY_KEY))) {
        error(ex, 401, "unauthorized", "missing or unknown API key");
        return;
      }
      if (auth.equals("Bearer " + QUERY_ONLY_KEY)) {
        error(ex, 403, "forbidden", "this key may not look up hashes");
        return;
      }
      String path = ex.getRequestURI().getRawPath();
      Matcher single = Pattern.compile("/v1/hashes/([a-z0-9]+)/([0-9a-fA-F]+)").matcher(path);
      if (ex.getRequestMethod().equals("GET") && single.matches()) {
        String type = single.group(1);
        String hex = single.group(2).toLowerCase();
        send(ex, 200, "application/json", ("{\"type\":\"" + type + "\",\"hash\":\"" + hex + "\"," + resultFields(type, hex) + "}").getBytes(StandardCharsets.UTF_8));
      } else if (ex.getRequestMethod().equals("POST") && path.equals("/v1/lookup")) {
        if (batchDelayMillis > 0) {
          try {
            Thread.sleep(batchDelayMillis);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        batch(ex, new String(body, StandardCharsets.UTF_8));
      } else if (ex.getRequestMethod().equals("POST") && path.equals("/v1/lookup/bulk")) {
        bulk(ex, ex.getRequestURI().getRawQuery(), body);
      } else {
        error(ex, 404, "not_found", "no route " + path);
      }
    }
  }

  private String resultFields(String type, String hex) {
    if (listed.contains(type + ":" + hex)) {
      return "\"match\":true,\"unknownField\":[1,{\"x\":2}],\"matches\":[{\"entry\":\"e-" + hex.substring(0, 8)
          + "\",\"list\":\"test\",\"category\":\"B\",\"distance\":0}]";
    }
    return "\"match\":false,\"matches\":[]";
  }

  private static final Pattern QUERY =
      Pattern.compile("\\{\"type\":\"([a-z0-9]+)\",\"hash\":\"([0-9a-f]+)\"(?:,\"maxDistance\":(\\d+))?\\}");

  private void batch(HttpExchange ex, String json) throws IOException {
    Matcher m = QUERY.matcher(json);
    StringBuilder sb = new StringBuilder("{\"results\":[");
    int n = 0;
    while (m.find()) {
      if (n > 0) {
        sb.append(',');
      }
      sb.append('{').append(resultFields(m.group(1), m.group(2))).append('}');
      n++;
    }
    if (n > maxBatch) {
      error(ex, 413, "payload_too_large", "batch of " + n + " queries is over the limit of " + maxBatch);
      return;
    }
    sb.append("]}");
    send(ex, 200, "application/json", sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  private void bulk(HttpExchange ex, String query, byte[] body) throws IOException {
    HashType type = HashType.parse(query.substring("type=".length()));
    int len = type.byteLength();
    int n = body.length / len;
    if (n > maxBulk) {
      error(ex, 413, "payload_too_large", "bulk of " + n + " hashes is over the limit of " + maxBulk);
      return;
    }
    byte[] bits = new byte[(n + 7) / 8];
    for (int i = 0; i < n; i++) {
      byte[] v = java.util.Arrays.copyOfRange(body, i * len, (i + 1) * len);
      if (isListed(type, v)) {
        bits[i >> 3] |= (byte) (1 << (i & 7));
      }
    }
    send(ex, 200, "application/octet-stream", bits);
  }

  private void error(HttpExchange ex, int status, String code, String message) throws IOException {
    send(ex, status, "application/json",
        ("{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}").getBytes(StandardCharsets.UTF_8));
  }

  private void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    if (sequence >= 0 && status == 200) {
      ex.getResponseHeaders().set("X-HashDB-Sequence", Long.toString(sequence));
    }
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  /** Requests whose path starts with {@code prefix}. */
  List<Received> requests(String prefix) {
    synchronized (received) {
      return received.stream().filter(r -> r.pathAndQuery().startsWith(prefix)).toList();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
