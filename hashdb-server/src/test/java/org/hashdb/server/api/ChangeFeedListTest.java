package org.hashdb.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hashdb.core.db.EntrySource;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.ListUpdate;
import org.hashdb.core.db.NewEntry;
import org.hashdb.core.db.ReleaseMark;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A release applied to one list is one "list" change in the feed, with adds and removals. */
class ChangeFeedListTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String A = "a1".repeat(32);
  private static final String B = "b2".repeat(32);
  private static final String C = "c3".repeat(32);

  @TempDir Path dir;

  private static NewEntry e(String hex, String list) {
    return new NewEntry(HashType.SHA256, Hex.decode(hex), list, "A1", "police");
  }

  private static EntrySource<RuntimeException> of(List<NewEntry> entries) {
    boolean[] done = {false};
    return (batch, max) -> {
      if (!done[0]) {
        batch.addAll(entries);
        done[0] = true;
      }
      return false;
    };
  }

  @Test
  void fullRelease_isOneListChange_followerCanApplyIt() throws Exception {
    try (HashDatabase db = HashDatabase.open(dir.resolve("data"))) {
      db.add(List.of(e(A, "nl"), e(B, "nl"), e(A, "other")));
      long before = db.sequence();
      db.update(new ListUpdate("nl", true, new ReleaseMark("00112233aabbccdd", 4, false)),
          of(List.of(e(B, "nl"), e(C, "nl"))), null);
      Path page = Files.createTempFile(dir, "page", ".json");
      ChangeFeedWriter.Page p = ChangeFeedWriter.write(db, before, 100, 100_000, 1 << 20, page);
      assertThat(p.changes()).isEqualTo(1);
      assertThat(p.entries()).isEqualTo(2); // one added, one removed
      JsonNode j = JSON.readTree(Files.readString(page));
      JsonNode c = j.get("changes").get(0);
      assertThat(c.get("sequence").asLong()).isEqualTo(before + 1);
      assertThat(c.get("kind").asText()).isEqualTo("list");
      assertThat(c.get("list").asText()).isEqualTo("nl");
      assertThat(c.get("mode").asText()).isEqualTo("full");
      assertThat(c.at("/release/number").asLong()).isEqualTo(4);
      assertThat(c.at("/release/signer").asText()).isEqualTo("00112233aabbccdd");
      assertThat(c.at("/release/allowRollback").asBoolean()).isFalse();
      assertThat(c.get("entries")).hasSize(1);
      assertThat(c.at("/entries/0/hash").asText()).isEqualTo(C);
      assertThat(c.at("/entries/0/list").asText()).isEqualTo("nl");
      assertThat(c.at("/entries/0/category").asText()).isEqualTo("A1");
      assertThat(c.get("removed")).hasSize(1);
      assertThat(c.at("/removed/0/type").asText()).isEqualTo("sha256");
      assertThat(c.at("/removed/0/hash").asText()).isEqualTo(A);
      assertThat(j.get("entries").asLong()).isEqualTo(2);
      // older changes keep their shape: no list-only fields
      db.remove(HashType.SHA256, Hex.decode(A), "other");
      ChangeFeedWriter.write(db, before + 1, 100, 100_000, 1 << 20, page);
      JsonNode r = JSON.readTree(Files.readString(page)).get("changes").get(0);
      assertThat(r.get("kind").asText()).isEqualTo("remove");
      assertThat(r.has("removed")).isFalse();
    }
  }
}
