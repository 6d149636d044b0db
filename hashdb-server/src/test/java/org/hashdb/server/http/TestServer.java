package org.hashdb.server.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.NewEntry;
import org.hashdb.server.service.HashDbService;
import org.hashdb.server.ServerConfig;
import org.hashdb.server.api.ApiService;
import org.hashdb.server.auth.KeyFile;
import org.hashdb.server.auth.Role;
import org.hashdb.server.api.Route;

/**
 * A real server on a free loopback port over an in-memory database with a few known entries,
 * and keys of every kind. For end-to-end tests. Its audit and access logs (on unless the config
 * turns it off, as in {@code serve}) are in {@link #dir}, complete once it is closed.
 */
public final class TestServer implements AutoCloseable {
  public static final String MD5_A = "d41d8cd98f00b204e9800998ecf8427e"; // on list-a
  public static final String SHA256_B = "aa".repeat(32); // on list-b
  public static final String PDQ_A = "f0".repeat(32); // on list-a

  public final Path dir;
  public final HashDbService service;
  public final ApiService api;
  public final HashDbServer server;
  public final HashDatabase db;
  public final String queryKey;
  public final String adminKey;
  public final String replicaKey;
  public final String listAKey; // query key seeing list-a only
  public final String limitedKey; // query key limited to 2 requests/s
  public final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  public TestServer(Path dir) throws Exception {
    this(dir, b -> {});
  }

  public TestServer(Path dir, Consumer<ServerConfig.Builder> config) throws Exception {
    this(dir, config, true);
  }

  public TestServer(Path dir, Consumer<ServerConfig.Builder> config, boolean ready)
      throws Exception {
    this.dir = dir;
    KeyFile kf = new KeyFile(dir);
    queryKey = kf.create("query", Role.QUERY, null, 0);
    adminKey = kf.create("admin", Role.ADMIN, null, 0);
    replicaKey = kf.create("replica", Role.REPLICA, null, 0);
    listAKey = kf.create("list-a-only", Role.QUERY, List.of("list-a"), 0);
    limitedKey = kf.create("limited", Role.QUERY, null, 2);
    // private lookups only where a test turns them on (they precompute over the whole database)
    ServerConfig.Builder b = ServerConfig.builder().port(0).adminPort(0).ioThreads(2)
        .set(ServerConfig.PSI_ENABLED, false);
    config.accept(b);
    db = HashDatabase.inMemory();
    db.add(List.of(
        new NewEntry(HashType.MD5, Hex.decode(HashType.MD5, MD5_A), "list-a", "A1", "test"),
        new NewEntry(HashType.SHA256, Hex.decode(HashType.SHA256, SHA256_B), "list-b", "B2", ""),
        new NewEntry(HashType.PDQ, Hex.decode(HashType.PDQ, PDQ_A), "list-a", "P", "")));
    HashDbService.Builder service = HashDbService.builder().dataDir(dir).config(b.build()).keyPollMillis(0);
    if (ready) {
      service.database(db);
    } else { // a server that stays "loading" until closed
      service.databaseOpener(d -> {
        try {
          closing.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new IOException("test server closed while loading");
      });
    }
    this.service = service.start();
    api = this.service.api();
    server = this.service.http();
    if (ready && !this.service.awaitDatabase(Duration.ofSeconds(60))) {
      throw new IllegalStateException("database not served");
    }
  }

  /**
   * The URI of {@code pathAndQuery} on the listener that serves it: the admin listener for the
   * admin, replica, metrics and OpenAPI routes, the public one otherwise (the one place tests
   * learn which listener a path is on).
   */
  public URI uri(String pathAndQuery) {
    return onAdminListener(pathAndQuery) ? adminUri(pathAndQuery) : publicUri(pathAndQuery);
  }

  /** True when only the admin listener serves the path of {@code pathAndQuery}. */
  public static boolean onAdminListener(String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    return Route.allowedMethods(path, Route.Listener.PUBLIC) == null
        && Route.allowedMethods(path, Route.Listener.ADMIN) != null;
  }

  /** {@code pathAndQuery} on the public listener (lookups and health only). */
  public URI publicUri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
  }

  /** {@code pathAndQuery} on the admin listener (cleartext here). */
  public URI adminUri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.adminPort() + pathAndQuery);
  }

  public HttpResponse<String> get(String path, String key) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> post(String path, String key, String contentType, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", contentType);
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<byte[]> postBytes(String path, String key, String contentType, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", contentType);
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  public HttpResponse<String> postJson(String path, String key, String json)
      throws IOException, InterruptedException {
    return post(path, key, "application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private final CountDownLatch closing = new CountDownLatch(1);

  @Override
  public void close() {
    service.stop();
    closing.countDown();
  }
}
