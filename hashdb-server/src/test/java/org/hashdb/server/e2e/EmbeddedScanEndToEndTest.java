package org.hashdb.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.hashdb.client.cli.ScanCommand;
import org.hashdb.core.db.HashDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code hashdb scan --data}: a data directory holding a list built from generated files and
 * pictures; a tree with planted exact copies and near-duplicates among unrelated files. The report
 * must list exactly the planted files; a rescan with the cache must hash nothing.
 */
class EmbeddedScanEndToEndTest {
  @TempDir Path tmp;

  static Set<Path> reportedPaths(Path report) throws Exception {
    Set<Path> paths = new HashSet<>();
    try (JsonParser p = new JsonFactory().createParser(report.toFile())) {
      boolean inMatches = false;
      int depth = 0;
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          depth++;
        } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          depth--;
          if (depth == 1) {
            inMatches = false;
          }
        } else if (t == JsonToken.FIELD_NAME && depth == 1) {
          inMatches = "matches".equals(p.currentName());
        } else if (t == JsonToken.VALUE_STRING && inMatches && "path".equals(p.currentName())) {
          paths.add(Path.of(p.getText()));
        }
      }
    }
    return paths;
  }

  static int scan(StringWriter out, StringWriter err, String... args) {
    return new CommandLine(new ScanCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
  }

  @Test
  void scan_plantedCopiesAndNearDuplicates_reportsExactlyThemAndRescanHashesNothing() throws Exception {
    PlantedTree t = new PlantedTree(tmp, 20261128L);
    Path data = tmp.resolve("data");
    try (HashDatabase db = HashDatabase.open(data)) {
      db.add(t.entries);
    }
    Path report = tmp.resolve("report.json");
    Path cache = tmp.resolve("scan.cache");
    String[] args = {t.tree.toString(), "--data", data.toString(), "--report", report.toString(), "--cache",
        cache.toString(), "--threads", "2", "--progress", "never"};
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertThat(scan(out, err, args)).as(out + "\n" + err).isEqualTo(1);
    assertThat(reportedPaths(report)).isEqualTo(t.planted);
    int files = t.planted.size() + t.unrelated.size();
    assertThat(out.toString()).contains("Files checked: " + files + " (hashed " + files + ", unchanged from cache 0)");

    StringWriter out2 = new StringWriter();
    assertThat(scan(out2, new StringWriter(), args)).isEqualTo(1);
    assertThat(out2.toString()).contains("Files checked: " + files + " (hashed 0, unchanged from cache " + files + ")");
    assertThat(reportedPaths(report)).isEqualTo(t.planted);

    // One file changes: only it is hashed again.
    Path changed = t.unrelated.iterator().next();
    Files.write(changed, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
    StringWriter out3 = new StringWriter();
    assertThat(scan(out3, new StringWriter(), args)).isEqualTo(1);
    assertThat(out3.toString()).contains("(hashed 1, unchanged from cache " + (files - 1) + ")");
  }
}
