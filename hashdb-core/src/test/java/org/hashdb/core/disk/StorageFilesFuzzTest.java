package org.hashdb.core.disk;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.hashdb.core.FuzzTempDir;

/**
 * Snapshot and write-ahead log readers on arbitrary bytes: damage is reported as {@link
 * CorruptDataException} (naming file and offset), a torn log tail is cut off; nothing else.
 */
class StorageFilesFuzzTest {
  private static final Path TMP = FuzzTempDir.create("hashdb-fuzz-storage");

  @FuzzTest(maxDuration = "2m")
  void snapshotReader(byte[] input) throws IOException {
    Path f = TMP.resolve(SnapshotFormat.fileName(7));
    Files.write(f, input);
    try (SnapshotReader r = SnapshotReader.open(f)) {
      byte[] buf = new byte[4096];
      while (r.nextSection()) {
        try (InputStream in = r.sectionStream()) {
          while (in.read(buf) >= 0) {
            // the section's CRC is checked at its end
          }
        }
      }
    } catch (CorruptDataException e) {
      assertThat(e.file()).isEqualTo(f);
    }
  }

  @FuzzTest(maxDuration = "2m")
  void walReader(byte[] input) throws IOException {
    Path dir = TMP.resolve("wal");
    Files.createDirectories(dir);
    try (var old = Files.list(dir)) {
      for (Path p : (Iterable<Path>) old::iterator) {
        Files.delete(p);
      }
    }
    Path seg = WalFormat.segmentPath(dir, 1);
    Files.write(seg, input, StandardOpenOption.CREATE_NEW);
    long[] count = {0};
    RecoveryResult r;
    try {
      r = WriteAheadLog.recover(dir, 0, rec -> count[0]++);
    } catch (CorruptDataException e) {
      assertThat(e.file()).isEqualTo(seg);
      return;
    }
    assertThat(r.records()).isEqualTo(count[0]);
    if (Files.exists(seg)) {
      // what recovery kept is a valid log: it reopens and takes a record
      try (WriteAheadLog log = WriteAheadLog.open(dir, r.lastSequence() + 1,
          WalOptions.defaults().withFsync(false))) {
        log.append((byte) 1, new byte[] {1, 2, 3}, 0, 3);
      }
    }
  }
}
