package org.hashdb.server.service;

import org.hashdb.server.ServerConfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.NewEntry;
import org.hashdb.server.auth.KeyFile;
import org.hashdb.server.auth.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Embedding a whole server with one builder call: start, load, reload keys, stop. */
class HashDbServiceTest {
  private static final String MD5 = "d41d8cd98f00b204e9800998ecf8427e";

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private HttpResponse<String> get(HashDbService s, String path, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.baseUrl() + path));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void oneBuilderCall_servesTheDataDirectory_thenStopsAndClosesIt() throws Exception {
    Path data = dir.resolve("data");
    try (HashDatabase db = HashDatabase.open(data)) {
      db.add(List.of(new NewEntry(HashType.MD5, Hex.decode(HashType.MD5, MD5), "list-a", "A", "test")));
    }
    String key = new KeyFile(data).create("q", Role.QUERY, null, 0);

    HashDbService s = HashDbService.builder().dataDir(data)
        .config(ServerConfig.builder().port(0).adminPort(0).ioThreads(1).build()).start();
    try {
      assertThat(s.awaitDatabase(Duration.ofSeconds(60))).isTrue();
      assertThat(s.baseUrl()).isEqualTo("http://127.0.0.1:" + s.port());
      assertThat(get(s, "/readyz", null).statusCode()).isEqualTo(200);
      HttpResponse<String> hit = get(s, "/v1/hashes/md5/" + MD5, key);
      assertThat(hit.statusCode()).isEqualTo(200);
      assertThat(hit.body()).contains("list-a");
      assertThat(Files.exists(data.resolve("access.jsonl"))).isTrue();
    } finally {
      s.stop();
    }
    s.awaitStop();
    assertThat(s.loadFailed()).isFalse();
    // the database was closed: the directory can be opened again (it holds a lock while open)
    try (HashDatabase again = HashDatabase.open(data)) {
      assertThat(again.stats().liveEntries()).isEqualTo(1);
    }
  }

  @Test
  void keysFile_isReloaded_whileServing() throws Exception {
    HashDatabase db = HashDatabase.inMemory();
    try (HashDbService s = HashDbService.builder().dataDir(dir).database(db).keyPollMillis(50)
        .config(ServerConfig.builder().port(0).adminPort(0).ioThreads(1).accessLog(false).build()).start()) {
      assertThat(s.awaitDatabase(Duration.ofSeconds(60))).isTrue();
      String later = new KeyFile(dir).create("later", Role.QUERY, null, 0);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      int status;
      do {
        Thread.sleep(20);
        status = get(s, "/v1/hashes/md5/" + MD5, later).statusCode();
      } while (status == 401 && System.nanoTime() < deadline);
      assertThat(status).isEqualTo(200);
    }
  }

  @Test
  void databaseThatCannotOpen_stopsTheServer_andReportsLoadFailed() throws Exception {
    HashDbService s = HashDbService.builder().dataDir(dir)
        .config(ServerConfig.builder().port(0).adminPort(0).ioThreads(1).accessLog(false).build())
        .databaseOpener(d -> {
          throw new IOException("damaged snapshot");
        }).start();
    s.awaitStop(); // stops by itself
    assertThat(s.database()).isNull();
    assertThat(s.loadFailed()).isTrue();
  }

  @Test
  void portInUse_isAMessageNamingAddressAndPort() throws Exception {
    Files.createDirectories(dir.resolve("a"));
    try (HashDbService first = HashDbService.builder().dataDir(dir.resolve("a")).database(HashDatabase.inMemory())
        .config(ServerConfig.builder().port(0).adminPort(0).ioThreads(1).accessLog(false).build()).start()) {
      Files.createDirectories(dir.resolve("b"));
      ServerConfig same = ServerConfig.builder().port(first.port()).adminPort(0).ioThreads(1).accessLog(false).build();
      assertThatThrownBy(() -> HashDbService.builder().dataDir(dir.resolve("b")).config(same).start())
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("cannot listen on 127.0.0.1 port " + first.port() + " (public listener): ");
      ServerConfig sameAdmin = ServerConfig.builder().port(0).adminPort(first.adminPort()).ioThreads(1).accessLog(false).build();
      assertThatThrownBy(() -> HashDbService.builder().dataDir(dir.resolve("b")).config(sameAdmin).start())
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("cannot listen on 127.0.0.1 port " + first.adminPort() + " (admin listener): ");
    }
  }

  @Test
  void builder_requiresADataDirectory() {
    assertThatThrownBy(() -> HashDbService.builder().start()).isInstanceOf(IllegalStateException.class)
        .hasMessage("dataDir is required");
  }
}
