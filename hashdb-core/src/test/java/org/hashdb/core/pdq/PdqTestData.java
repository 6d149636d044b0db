package org.hashdb.core.pdq;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Access to the reference files in {@code src/test/resources/pdq} (see NOTICE.md there). */
final class PdqTestData {
  private PdqTestData() {}

  static Path file(String name) {
    URL url = PdqTestData.class.getResource("/pdq/" + name);
    if (url == null) {
      throw new IllegalArgumentException("no test resource pdq/" + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Non-comment rows of a TSV file, split on tabs. */
  static List<String[]> tsv(String name) {
    try {
      List<String[]> rows = new ArrayList<>();
      for (String line : Files.readAllLines(file(name), StandardCharsets.UTF_8)) {
        if (!line.isBlank() && !line.startsWith("#")) {
          rows.add(line.split("\t"));
        }
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
