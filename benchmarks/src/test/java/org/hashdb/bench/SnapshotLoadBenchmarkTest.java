package org.hashdb.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SnapshotLoadBenchmarkTest {
  @ParameterizedTest
  @ValueSource(strings = {"sha256", "pdq"})
  void openExportAndRawRead_smallSnapshot_returnEntryCountSizeAndContent(String type)
      throws Exception {
    SnapshotLoadBenchmark b = new SnapshotLoadBenchmark();
    b.size = 20_000;
    b.type = type;
    b.build();
    try {
      // the entries plus the one MD5 entry the setup adds for its second checkpoint
      assertThat(b.open()).isEqualTo(20_001);
      assertThat(b.open()).isEqualTo(20_001); // the directory opens again after close
      long snapshotBytes = Files.size(b.snapshot);
      assertThat(snapshotBytes).isGreaterThan(20_000L * 32);
      // same content and sequence: only the creation time in the header differs
      assertThat(b.export()).isEqualTo(snapshotBytes);
      b.deleteExport();
      assertThat(b.exportFile()).doesNotExist();
      long expected = 0;
      byte[] bytes = Files.readAllBytes(b.snapshot);
      for (int i = 0; i < bytes.length; i += 1 << 20) {
        expected += bytes[i];
      }
      assertThat(b.rawRead()).isEqualTo(expected);
    } finally {
      b.clean();
    }
    assertThat(b.dir).doesNotExist();
  }
}
