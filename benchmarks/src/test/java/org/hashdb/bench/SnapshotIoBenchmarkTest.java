package org.hashdb.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.hashdb.core.disk.SnapshotReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotIoBenchmarkTest {
  @TempDir Path tmp;

  @Test
  void writeThenRead_warmAndCold_readsBackExactlyTheWrittenData() throws Exception {
    SnapshotIoBenchmark bench = new SnapshotIoBenchmark();
    SnapshotIoBenchmark.Data f = new SnapshotIoBenchmark.Data();
    f.sizeMiB = 16;
    f.dir = tmp.toString();
    f.setUp();
    try {
      assertThat(Files.size(f.readFile)).isGreaterThan(16L << 20);
      // the oracle: an independent pass over the data that was written
      long expected = 0;
      for (int c = 0; c < 2; c++) {
        expected = SnapshotIoBenchmark.checksum(expected, f.chunk, f.chunk.length);
      }
      assertThat(f.expectedChecksum).isEqualTo(expected);
      for (String cache : new String[] {"warm", "cold"}) {
        SnapshotIoBenchmark.Cache c = new SnapshotIoBenchmark.Cache();
        c.cache = cache;
        c.prepare(f);
        assertThat(bench.read(f, c)).isEqualTo(expected);
      }
      // every element, against the oracle (the benchmark's own fingerprint is sparse)
      try (SnapshotReader r = SnapshotReader.open(f.readFile)) {
        assertThat(r.nextSection()).isTrue();
        long[] got = new long[f.chunk.length];
        for (int c = 0; c < 2; c++) {
          r.sectionStream().readLongs(got, 0, got.length);
          assertThat(got).isEqualTo(f.chunk);
        }
        assertThat(r.nextSection()).isFalse();
      }
      Path written = bench.write(f);
      assertThat(written).doesNotExist(); // the benchmark deletes what it wrote
      assertThat(f.readFile).exists();
      // a different file must give a different checksum (the check can fail)
      f.chunk[f.chunk.length - 1] ^= 1;
      Path other = SnapshotIoBenchmark.writeSnapshot(f);
      assertThat(SnapshotIoBenchmark.readSnapshot(other)).isNotEqualTo(expected);
    } finally {
      f.tearDown();
    }
    assertThat(f.base).doesNotExist();
  }
}
