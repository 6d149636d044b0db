package org.hashdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.db.DatabaseOptions;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.NewEntry;
import org.hashdb.server.ServerConfig;
import org.hashdb.server.api.ApiService;
import org.hashdb.server.audit.AuditLog;
import org.hashdb.server.auth.KeyFile;
import org.hashdb.server.auth.KeyRing;
import org.hashdb.server.auth.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hashdb.testing.TestRandom;

/**
 * The change feed is bounded per response by changes, by entries counted inside import batches,
 * and by bytes; it is sent chunked, and {@code next} continues it without gaps or repeats.
 */
class ChangeFeedBoundsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  /** A server over a persistent database holding {@code batches} changes of the given sizes. */
  private static final class Feed implements AutoCloseable {
    final HashDbServer server;
    final HashDatabase db;
    final String replica;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    Feed(Path dir, Consumer<ServerConfig.Builder> cfg, int... batches) throws Exception {
      Path data = dir.resolve("data");
      replica = new KeyFile(data).create("replica", Role.REPLICA, null, 0);
      ServerConfig.Builder b = ServerConfig.builder().port(0).adminPort(0);
      cfg.accept(b);
      ApiService api = new ApiService(b.build(), KeyRing.load(data), AuditLog.disabled());
      server = HashDbServer.start(api);
      db = HashDatabase.open(data, DatabaseOptions.defaults().withFsync(false));
      Random rnd = TestRandom.random(batches.length);
      for (int n : batches) {
        List<NewEntry> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          byte[] v = new byte[32];
          rnd.nextBytes(v);
          batch.add(new NewEntry(HashType.SHA256, v, "list", "cat", "import"));
        }
        db.add(batch);
      }
      api.databaseReady(db);
    }

    HttpResponse<String> get(long since, String extra) throws Exception {
      return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort()
              + "/v1/admin/changes?since=" + since + extra))
          .header("Authorization", "Bearer " + replica).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Follows {@code next} from 0 to the end; returns the pages. */
    List<JsonNode> all(String extra) throws Exception {
      List<JsonNode> pages = new ArrayList<>();
      long since = 0;
      while (true) {
        HttpResponse<String> r = get(since, extra);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode j = JSON.readTree(r.body());
        pages.add(j);
        long expected = since + 1;
        for (JsonNode c : j.get("changes")) {
          assertThat(c.get("sequence").asLong()).as("no gap, no repeat").isEqualTo(expected++);
        }
        since = j.get("next").asLong();
        if (!j.get("more").asBoolean()) {
          return pages;
        }
        assertThat(j.get("changes")).as("a page always progresses").isNotEmpty();
      }
    }

    @Override
    public void close() throws Exception {
      server.stop();
      db.close();
    }
  }

  @Test
  void importBatches_countTowardsTheEntryBound() throws Exception {
    try (Feed f = new Feed(dir, b -> b.maxChangesEntries(25_000), 10_000, 10_000, 10_000, 10_000, 5)) {
      HttpResponse<String> r = f.get(0, "&limit=10000");
      JsonNode j = JSON.readTree(r.body());
      assertThat(j.get("changes")).hasSize(2);
      assertThat(j.get("entries").asLong()).isEqualTo(20_000);
      assertThat(j.get("limitedBy").asText()).isEqualTo("entries");
      assertThat(j.get("next").asLong()).isEqualTo(2);
      assertThat(j.get("more").asBoolean()).isTrue();
      List<JsonNode> pages = f.all("&limit=10000");
      assertThat(pages).hasSize(2);
      assertThat(pages.get(1).get("changes")).hasSize(3);
      assertThat(pages.get(1).get("limitedBy").isNull()).isTrue();
      assertThat(pages.get(1).get("entries").asLong()).isEqualTo(20_005);
    }
  }

  @Test
  void bytesBound_holdsAndTheFeedContinues() throws Exception {
    int[] batches = new int[60];
    java.util.Arrays.fill(batches, 3);
    try (Feed f = new Feed(dir, b -> b.maxChangesBytes(4096), batches)) {
      List<JsonNode> pages = f.all("&limit=1000");
      assertThat(pages.size()).isGreaterThan(3);
      long total = 0;
      for (JsonNode p : pages) {
        assertThat(JSON.writeValueAsBytes(p).length).isLessThanOrEqualTo(4096);
        total += p.get("changes").size();
      }
      assertThat(total).isEqualTo(60);
      assertThat(pages.get(0).get("limitedBy").asText()).isEqualTo("bytes");
    }
  }

  @Test
  void oneChangeLargerThanTheBounds_isStillSentAlone() throws Exception {
    try (Feed f = new Feed(dir, b -> b.maxChangesBytes(4096).maxChangesEntries(10), 500, 500)) {
      JsonNode j = JSON.readTree(f.get(0, "").body());
      assertThat(j.get("changes")).hasSize(1);
      assertThat(j.at("/changes/0/entries")).hasSize(500);
      assertThat(j.get("next").asLong()).isEqualTo(1);
      assertThat(j.get("more").asBoolean()).isTrue();
    }
  }

  @Test
  void response_isChunkedNotOneBuffer() throws Exception {
    try (Feed f = new Feed(dir, b -> {}, 2000, 2000)) {
      HttpResponse<String> r = f.get(0, "");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("transfer-encoding")).hasValue("chunked");
      assertThat(r.headers().firstValue("content-length")).isEmpty();
      JsonNode j = JSON.readTree(r.body().getBytes(StandardCharsets.UTF_8));
      assertThat(j.get("changes")).hasSize(2);
      assertThat(j.get("limitedBy").isNull()).isTrue();
      assertThat(j.get("more").asBoolean()).isFalse();
    }
  }

  @Test
  void limit_stillBoundsChanges() throws Exception {
    try (Feed f = new Feed(dir, b -> {}, 1, 1, 1, 1)) {
      JsonNode j = JSON.readTree(f.get(0, "&limit=3").body());
      assertThat(j.get("changes")).hasSize(3);
      assertThat(j.get("limitedBy").asText()).isEqualTo("limit");
      assertThat(j.get("more").asBoolean()).isTrue();
      JsonNode last = JSON.readTree(f.get(3, "&limit=1").body());
      assertThat(last.get("changes")).hasSize(1);
      assertThat(last.get("more").asBoolean()).isFalse();
      assertThat(last.get("limitedBy").isNull()).as("nothing left out").isTrue();
    }
  }
}
