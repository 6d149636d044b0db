package org.hashdb.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.db.AddResult;
import org.hashdb.core.db.DatabaseOptions;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.NewEntry;

/**
 * The change feed carries whatever text an admin wrote (list, category and source names): a
 * replica must get exactly the logged entries back as valid JSON, whatever those strings hold.
 */
class ChangeFeedFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path DIR = tempDir();
  private static final HashDatabase DB = open();

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("hashdb-fuzz-feed");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static HashDatabase open() {
    try {
      return HashDatabase.open(DIR.resolve("data"), DatabaseOptions.defaults().withFsync(false));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @FuzzTest(maxDuration = "2m")
  void feedRoundTrip(FuzzedDataProvider data) throws IOException {
    List<NewEntry> batch = new ArrayList<>();
    int n = data.consumeInt(1, 20);
    for (int i = 0; i < n && data.remainingBytes() > 0; i++) {
      HashType t = data.pickValue(HashType.values());
      batch.add(new NewEntry(t, data.consumeBytes(t.byteLength()), data.consumeString(40),
          data.consumeString(40), data.consumeString(60)));
    }
    AddResult r;
    try {
      r = DB.add(batch);
    } catch (IllegalArgumentException invalid) {
      return; // the database refused the entries; nothing logged
    }
    if (r.added() == 0) {
      return;
    }
    Path out = DIR.resolve("page.json");
    Files.deleteIfExists(out);
    Files.createFile(out);
    ChangeFeedWriter.Page page = ChangeFeedWriter.write(DB, r.sequence() - 1, 1, 1_000, 1 << 20, out);
    JsonNode j = JSON.readTree(out.toFile());
    assertThat(page.changes()).isEqualTo(1);
    assertThat(j.at("/changes/0/sequence").asLong()).isEqualTo(r.sequence());
    JsonNode entries = j.at("/changes/0/entries");
    assertThat(entries.size()).isEqualTo(r.added());
    for (JsonNode e : entries) {
      HashType t = HashType.parse(e.get("type").asText());
      byte[] v = Hex.decode(t, e.get("hash").asText());
      assertThat(batch).anySatisfy(b -> {
        assertThat(b.type()).isEqualTo(t);
        assertThat(b.value()).isEqualTo(v);
        assertThat(b.list()).isEqualTo(e.get("list").asText());
        assertThat(b.category()).isEqualTo(e.get("category").asText());
        assertThat(b.source()).isEqualTo(e.get("source").asText());
      });
    }
  }
}
