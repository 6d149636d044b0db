package org.hashdb.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class PerListFilterTest {
  private static final String TEXT = String.join("\n",
      "# HELP hashdb_matches_total Matching entries",
      "# TYPE hashdb_matches_total counter",
      "hashdb_matches_total{list=\"a\",type=\"md5\"} 3.0",
      "hashdb_matches_total{list=\"secret-list\",type=\"md5\"} 1.0",
      "hashdb_other{type=\"md5\",list=\"secret-list\"} 1.0",
      "hashdb_tricky{note=\"x,list=\\\"a\\\"}\",list=\"secret-list\"} 2.0",
      "hashdb_lookups_total{type=\"md5\"} 9.0",
      "hashdb_ready 1.0",
      "");

  @Test
  void keep_dropsSamplesOfInvisibleListsWhereverTheLabelIs() {
    String out = PerListFilter.keep(TEXT, Set.of("a"));
    assertThat(out).contains("# HELP hashdb_matches_total", "list=\"a\",type=\"md5\"} 3.0",
        "hashdb_lookups_total{type=\"md5\"} 9.0", "hashdb_ready 1.0")
        .doesNotContain("secret-list");
    assertThat(PerListFilter.keep(TEXT, Set.of("a", "secret-list"))).isEqualTo(TEXT);
    assertThat(PerListFilter.keep(TEXT, Set.of())).doesNotContain("list=\"a\"}")
        .doesNotContain("{list=");
  }

  @Test
  void listLabel_parsesEscapedValues() {
    String line = "m{a=\"q\\\"}list=\\\"x\",list=\"real\"} 1\n";
    assertThat(PerListFilter.listLabel(line, 0, line.length())).isEqualTo("real");
    assertThat(PerListFilter.listLabel("m 1\n", 0, 4)).isNull();
    assertThat(PerListFilter.listLabel("# list=\"x\"\n", 0, 11)).isNull();
  }
}
