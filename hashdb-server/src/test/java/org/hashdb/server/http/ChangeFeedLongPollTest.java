package org.hashdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
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
  @TempDir Path tmp;

  @Test
  void longPollAnswersOnTheNextWrite_orEmptyAfterTheWait() throws Exception {
    try (TestServer s = new TestServer(tmp)) {
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

      HttpResponse<String> lookup = s.get("/v1/hashes/sha256/" + TestServer.SHA256_B, s.queryKey);
      assertThat(lookup.headers().firstValue("X-HashDB-Sequence")).hasValue(Long.toString(seq + 1));
      assertThat(s.get("/v1/admin/replica/keys", s.replicaKey).body()).contains("\"replica\"");
      assertThat(s.get("/v1/admin/replica/keys", s.queryKey).statusCode()).isEqualTo(403);
    }
  }
}
