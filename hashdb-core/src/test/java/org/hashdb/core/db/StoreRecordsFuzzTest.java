package org.hashdb.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hashdb.core.FuzzTempDir;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.disk.CorruptDataException;
import org.hashdb.core.disk.SnapshotReader;
import org.hashdb.core.disk.SnapshotWriter;
import org.hashdb.core.disk.CorruptDataException;
import org.hashdb.core.disk.FileIo;
import org.hashdb.core.disk.SnapshotReader;
import org.hashdb.core.disk.SnapshotWriter;

/**
 * What the database reads back: log record payloads (start-up replay and the change feed) and
 * snapshot contents inside an intact container (checksums right, content arbitrary).
 */
class StoreRecordsFuzzTest {
  private static final Path TMP = FuzzTempDir.create("hashdb-fuzz-store");
  /** Writes as usual, no fsync: the target tests the content parser, not durability. */
  private static final FileIo NO_FSYNC = new FileIo() {
    @Override
    public void write(Path file, FileChannel ch, ByteBuffer buf, long position) throws IOException {
      FileIo.system().write(file, ch, buf, position);
    }

    @Override
    public void force(Path file, FileChannel ch) {}
  };

  @FuzzTest(maxDuration = "2m")
  void changeRecords(byte[] input) {
    try {
      ChangeFormat.Add add = ChangeFormat.decodeAdd(input);
      // what decodes re-encodes to the same bytes (the feed shows exactly what was logged)
      assertThat(ChangeFormat.encodeAdd(add.addedAtSeconds(), add.entries())).isEqualTo(input);
    } catch (IOException expected) {
      // not an ADD payload
    }
    try {
      NewEntry r = ChangeFormat.decodeRemove(input);
      assertThat(r.value()).hasSize(r.type().byteLength());
    } catch (IOException expected) {
      // not a REMOVE payload
    }
  }

  @FuzzTest(maxDuration = "2m")
  void snapshotContent(FuzzedDataProvider data) throws IOException {
    Path dir = TMP.resolve("snap");
    Files.createDirectories(dir);
    Path file;
    try (SnapshotWriter w = SnapshotWriter.create(dir, 5, 0, NO_FSYNC)) {
      while (data.remainingBytes() > 0) {
        int id = data.consumeInt(0, 16 + 8 * HashType.values().length);
        byte[] payload = data.consumeBytes(data.consumeInt(0, 4096));
        w.beginSection(id).write(payload);
        w.endSection();
      }
      file = w.commit();
    }
    HashDatabase db = new HashDatabase();
    try (SnapshotReader r = SnapshotReader.open(file)) {
      SnapshotCodec.load(db, r, file);
    } catch (CorruptDataException e) {
      assertThat(e.getMessage()).isNotEmpty();
      return;
    } finally {
      Files.deleteIfExists(file);
    }
    // a snapshot that loads gives a usable database
    List<String> lists = db.listNames();
    for (HashType t : HashType.values()) {
      assertThat(db.stats().types().get(t).stored()).isGreaterThanOrEqualTo(0);
    }
    assertThat(lists).doesNotContainNull();
  }
}
