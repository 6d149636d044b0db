package org.hashdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.hashdb.core.db.DatabaseOptions;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.hash.Hex;
import org.hashdb.server.ServerConfig;
import org.hashdb.server.auth.KeyFile;
import org.hashdb.server.auth.Role;
import org.hashdb.server.service.HashDbService;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.hashdb.core.db.NewEntry;
import org.hashdb.core.hash.HashType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The change feed's long-poll ({@code wait=}): answered as soon as a write is durable, or with an
 * empty page after the wait; bad parameters are 400; lookups carry {@code X-HashDB-Sequence}.
 */
class ChangeFeedLongPollTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] SHA256_B = new byte[32];

  static {
    SHA256_B[0] = (byte) 0xbb;
  }

  @TempDir Path tmp;

  /** A server on a data directory (the in-memory one of TestServer keeps no log to feed). */
  private static final class DiskServer implements AutoCloseable {
    final HashDbService service;
    final HashDatabase db;
    final String replicaKey;
    final String queryKey;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    DiskServer(Path dir) throws Exception {
      KeyFile kf = new KeyFile(dir);
      replicaKey = kf.create("replica", Role.REPLICA, null, 0);
      queryKey = kf.create("query", Role.QUERY, null, 0);
      service = HashDbService.builder().dataDir(dir).keyPollMillis(0)
          .databaseOptions(DatabaseOptions.defaults().withFsync(false))
          .config(ServerConfig.builder().port(0).adminPort(0).ioThreads(2)
              .set(ServerConfig.PSI_ENABLED, false).build()).start();
      if (!service.awaitDatabase(Duration.ofSeconds(60))) {
        throw new IllegalStateException("database not served");
      }
      db = service.database();
    }

    HttpResponse<String> get(String path, String key) throws Exception {
      return client.send(HttpRequest.newBuilder(URI.create((TestServer.onAdminListener(path) ? service.adminBaseUrl() : service.baseUrl()) + path))
          .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
      service.close();
    }
  }

  @Test
  void longPollAnswersOnTheNextWrite_orEmptyAfterTheWait() throws Exception {
    try (DiskServer s = new DiskServer(tmp)) {
      s.db.add(List.of(new NewEntry(HashType.SHA256, SHA256_B, "list-b", "", "")));
      long seq = s.db.sequence();
      long t0 = System.nanoTime();
      CompletableFuture<HttpResponse<String>> poll = CompletableFuture.supplyAsync(() -> {
        try {
          return s.get("/v1/admin/changes?since=" + seq + "&wait=60", s.replicaKey);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      Thread.sleep(500);
      assertThat(poll).isNotDone(); // nothing new: it waits
      s.db.add(List.of(new NewEntry(HashType.SHA256, new byte[32], "list-z", "", "")));
      HttpResponse<String> r = poll.get();
      double secs = (System.nanoTime() - t0) / 1e9;
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode page = JSON.readTree(r.body());
      assertThat(page.get("sequence").asLong()).isEqualTo(seq + 1);
      assertThat(page.get("digest").asText()).hasSize(64);
      assertThat(secs).as("answered on the write, not after the 60 s wait").isLessThan(30);

      long t1 = System.nanoTime();
      HttpResponse<String> empty = s.get("/v1/admin/changes?since=" + (seq + 1) + "&wait=1", s.replicaKey);
      assertThat((System.nanoTime() - t1) / 1e9).isGreaterThanOrEqualTo(0.9);
      assertThat(JSON.readTree(empty.body()).get("changes")).isEmpty();

      assertThat(s.get("/v1/admin/changes?since=0&wait=x", s.replicaKey).statusCode()).isEqualTo(400);
      assertThat(s.get("/v1/admin/changes?since=0&records=yes", s.replicaKey).statusCode()).isEqualTo(400);
      assertThat(s.get("/v1/admin/changes?since=" + (seq + 5), s.replicaKey).statusCode()).isEqualTo(410);

      HttpResponse<String> lookup = s.get("/v1/hashes/sha256/" + Hex.encode(SHA256_B), s.queryKey);
      assertThat(lookup.headers().firstValue("X-HashDB-Sequence")).hasValue(Long.toString(seq + 1));
      assertThat(s.get("/v1/admin/replica/keys", s.replicaKey).body()).contains("\"replica\"");
      assertThat(s.get("/v1/admin/replica/keys", s.queryKey).statusCode()).isEqualTo(403);
    }
  }
}
