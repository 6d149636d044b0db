package org.hashdb.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.hashdb.core.disk.CorruptDataException;
import org.hashdb.core.disk.MasterKeyException;
import org.hashdb.core.disk.MasterKeys;
import org.hashdb.core.disk.SnapshotFiles;
import org.hashdb.core.hash.HashType;
import org.hashdb.testing.TestRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots and log segments encrypted under a master key: round trips and every refusal. */
class EncryptionAtRestTest {
  private static final DatabaseOptions NO_FSYNC = DatabaseOptions.defaults().withFsync(false);

  @TempDir Path tmp;

  private MasterKeys key(String name) throws IOException {
    Path f = tmp.resolve(name + ".key");
    if (!Files.exists(f)) {
      MasterKeys.generate(f);
    }
    return MasterKeys.load(f.toString());
  }

  private static DatabaseOptions with(MasterKeys keys) {
    return NO_FSYNC.withMasterKeys(keys);
  }

  private static List<NewEntry> add(HashDatabase db, int n, long seed) throws IOException {
    Random rnd = TestRandom.random(seed);
    List<NewEntry> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] v = new byte[32];
      rnd.nextBytes(v);
      batch.add(new NewEntry(HashType.SHA256, v, "secretlist", "secretcat", "secretsource"));
    }
    db.add(batch);
    return batch;
  }

  private static void assertFound(HashDatabase db, List<NewEntry> entries) {
    for (NewEntry e : entries) {
      assertThat(db.lookup(e.type(), e.value(), ListFilter.all())).hasSize(1);
    }
  }

  private static List<Path> files(Path dir, String glob) throws IOException {
    List<Path> out = new ArrayList<>();
    try (var ds = Files.newDirectoryStream(dir, glob)) {
      ds.forEach(out::add);
    }
    out.sort(null);
    return out;
  }

  /** No data file holds a hash, list name or source in clear. */
  private static void assertNothingReadable(Path dir, List<NewEntry> entries) throws IOException {
    List<Path> data = new ArrayList<>(files(dir, "snapshot-*"));
    data.addAll(files(dir, "wal-*"));
    assertThat(data).isNotEmpty();
    for (Path p : data) {
      byte[] b = Files.readAllBytes(p);
      String latin = new String(b, StandardCharsets.ISO_8859_1);
      assertThat(latin).as(p.toString()).doesNotContain("secretlist").doesNotContain("secretsource");
      for (NewEntry e : entries.subList(0, 5)) {
        assertThat(latin).as(p.toString())
            .doesNotContain(new String(e.value(), StandardCharsets.ISO_8859_1).substring(0, 16));
      }
    }
  }

  @Test
  void encrypted_roundTrip_logAndSnapshot_nothingInClear() throws IOException {
    Path dir = tmp.resolve("d");
    MasterKeys k = key("a");
    List<NewEntry> all = new ArrayList<>();
    try (HashDatabase db = HashDatabase.open(dir, with(k))) {
      all.addAll(add(db, 2000, 1));
      db.checkpoint();
      all.addAll(add(db, 500, 2));
    }
    assertNothingReadable(dir, all);
    try (HashDatabase db = HashDatabase.open(dir, with(k))) {
      assertFound(db, all);
      all.addAll(add(db, 10, 3)); // after a restart the log goes on in a new segment
    }
    try (HashDatabase db = HashDatabase.open(dir, with(k))) {
      assertFound(db, all);
    }
  }

  @Test
  void encryptedDirectory_withoutKey_refusedNamingFileAndFlag() throws IOException {
    Path dir = tmp.resolve("d");
    try (HashDatabase db = HashDatabase.open(dir, with(key("a")))) {
      add(db, 10, 1);
      db.checkpoint();
    }
    assertThatThrownBy(() -> HashDatabase.open(dir, NO_FSYNC))
        .isInstanceOf(MasterKeyException.class)
        .hasMessageContaining("snapshot-").hasMessageContaining("is encrypted")
        .hasMessageContaining("--master-key");
  }

  @Test
  void wrongKey_refused_neverFallsBackToAnotherFile() throws IOException {
    Path dir = tmp.resolve("d");
    try (HashDatabase db = HashDatabase.open(dir, with(key("a")))) {
      add(db, 10, 1);
      db.checkpoint();
      add(db, 10, 2);
      db.checkpoint();
    }
    assertThatThrownBy(() -> HashDatabase.open(dir, with(key("b"))))
        .isInstanceOf(MasterKeyException.class)
        .hasMessageContaining("was written under master key " + key("a").current().id())
        .hasMessageContaining("--old-master-key");
  }

  @Test
  void snapshotRenamedToAnotherSequence_doesNotUnwrap() throws IOException {
    Path dir = tmp.resolve("d");
    MasterKeys k = key("a");
    try (HashDatabase db = HashDatabase.open(dir, with(k))) {
      add(db, 10, 1);
      db.checkpoint();
    }
    Path snap = SnapshotFiles.list(dir).get(0);
    long seq = SnapshotFiles.sequenceOf(snap);
    Files.move(snap, dir.resolve(String.format("snapshot-%020d.hdb", seq + 5)));
    assertThatThrownBy(() -> HashDatabase.open(dir, with(k)))
        .isInstanceOf(MasterKeyException.class)
        .hasMessageContaining("does not unwrap");
  }

  @Test
  void snapshotFromAnotherDirectoryUnderAnotherKey_refused() throws IOException {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    try (HashDatabase db = HashDatabase.open(a, with(key("a")))) {
      add(db, 10, 1);
      db.checkpoint();
    }
    try (HashDatabase db = HashDatabase.open(b, with(key("b")))) {
      add(db, 10, 1);
      db.checkpoint();
    }
    Path sa = SnapshotFiles.list(a).get(0);
    Path sb = SnapshotFiles.list(b).get(0);
    Files.copy(sa, sb, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> HashDatabase.open(b, with(key("b"))))
        .isInstanceOf(MasterKeyException.class)
        .hasMessageContaining(sb.getFileName().toString());
  }

  @Test
  void tamperedSnapshotChunk_reportedWithFileAndFrameOffset() throws IOException {
    Path dir = tmp.resolve("d");
    MasterKeys k = key("a");
    try (HashDatabase db = HashDatabase.open(dir, with(k))) {
      add(db, 5000, 1); // > 64 KiB of snapshot: several chunks
      db.checkpoint();
    }
    Path snap = SnapshotFiles.list(dir).get(0);
    long size = Files.size(snap);
    assertThat(size).isGreaterThan(3 * 65552L);
    int header = headerLength(snap);
    long frame1 = header + 65552L;
    flip(snap, frame1 + 100);
    assertThatThrownBy(() -> HashDatabase.open(dir, with(k)))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(snap.toString())
        .hasMessageContaining("at byte " + frame1)
        .hasMessageContaining("does not authenticate");
  }

  @Test
  void snapshotTruncatedAtChunkBoundary_refused() throws IOException {
    Path dir = tmp.resolve("d");
    MasterKeys k = key("a");
    try (HashDatabase db = HashDatabase.open(dir, with(k))) {
      add(db, 5000, 1);
      db.checkpoint();
    }
    Path snap = SnapshotFiles.list(dir).get(0);
    int header = headerLength(snap);
    try (FileChannel ch = FileChannel.open(snap, StandardOpenOption.WRITE)) {
      ch.truncate(header + 2 * 65552L); // two whole frames: none flagged as the last
    }
    assertThatThrownBy(() -> HashDatabase.open(dir, with(k)))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("truncated at a chunk boundary");
  }

  @Test
  void tamperedLogRecord_withMatchingCrc_isCorruptionNotTornTail() throws IOException {
    Path dir = tmp.resolve("d");
    MasterKeys k = key("a");
    try (HashDatabase db = HashDatabase.open(dir, with(k))) {
      add(db, 3, 1);
      add(db, 3, 2);
    }
    Path seg = files(dir, "wal-*").get(files(dir, "wal-*").size() - 1);
    // first record of the segment: flip a ciphertext byte and fix the crc32c, as an attacker can
    int start = 32 + 2 + (le16(seg, 32));
    ByteBuffer rec = read(seg, start, 8);
    int length = rec.getInt(0);
    byte[] all = Files.readAllBytes(seg);
    all[start + 8 + 17 + 8 + 2] ^= 1;
    CRC32C crc = new CRC32C();
    crc.update(all, start, 4);
    crc.update(all, start + 8, length);
    ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).putInt(start + 4, (int) crc.getValue());
    Files.write(seg, all);
    assertThatThrownBy(() -> HashDatabase.open(dir, with(k)))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(seg.toString())
        .hasMessageContaining("at byte " + start)
        .hasMessageContaining("does not authenticate");
  }

  @Test
  void tornLastLogRecord_encrypted_isCutOffLikePlaintext() throws IOException {
    Path dir = tmp.resolve("d");
    MasterKeys k = key("a");
    List<NewEntry> kept;
    try (HashDatabase db = HashDatabase.open(dir, with(k))) {
      kept = add(db, 3, 1);
      add(db, 3, 2);
    }
    Path seg = files(dir, "wal-*").get(files(dir, "wal-*").size() - 1);
    try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 10);
    }
    try (HashDatabase db = HashDatabase.open(dir, with(k))) {
      assertFound(db, kept);
      assertThat(db.sequence()).isEqualTo(1);
    }
  }

  @Test
  void plaintextDirectory_withKey_migratesAndRemovesPlaintextFiles() throws IOException {
    Path dir = tmp.resolve("d");
    List<NewEntry> all = new ArrayList<>();
    try (HashDatabase db = HashDatabase.open(dir, NO_FSYNC)) {
      all.addAll(add(db, 100, 1));
      db.checkpoint();
      all.addAll(add(db, 100, 2));
    }
    MasterKeys k = key("a");
    try (HashDatabase db = HashDatabase.open(dir, with(k))) {
      assertFound(db, all);
      all.addAll(add(db, 10, 3));
    } // close waits for the migration snapshot
    assertNothingReadable(dir, all);
    try (HashDatabase db = HashDatabase.open(dir, with(k))) {
      assertFound(db, all);
    }
    assertThatThrownBy(() -> HashDatabase.open(dir, NO_FSYNC))
        .isInstanceOf(MasterKeyException.class);
  }

  @Test
  void rotation_newKeyRewraps_oldKeyNeededUntilThen() throws IOException {
    Path dir = tmp.resolve("d");
    Path oldKey = tmp.resolve("old.key");
    Path newKey = tmp.resolve("new.key");
    MasterKeys.generate(oldKey);
    MasterKeys.generate(newKey);
    List<NewEntry> all = new ArrayList<>();
    try (HashDatabase db = HashDatabase.open(dir, with(MasterKeys.load(oldKey.toString())))) {
      all.addAll(add(db, 100, 1));
      db.checkpoint();
      all.addAll(add(db, 100, 2));
    }
    // the new key alone cannot read the old files
    assertThatThrownBy(() -> HashDatabase.open(dir, with(MasterKeys.load(newKey.toString()))))
        .isInstanceOf(MasterKeyException.class).hasMessageContaining("--old-master-key");
    MasterKeys both = MasterKeys.load(newKey.toString(), List.of(oldKey.toString()));
    try (HashDatabase db = HashDatabase.open(dir, with(both))) {
      assertFound(db, all);
      all.addAll(add(db, 10, 3));
    }
    MasterKeys onlyNew = MasterKeys.load(newKey.toString());
    try (HashDatabase db = HashDatabase.open(dir, with(onlyNew))) {
      assertFound(db, all);
    }
    assertThatThrownBy(() -> HashDatabase.open(dir, with(MasterKeys.load(oldKey.toString()))))
        .isInstanceOf(MasterKeyException.class);
  }

  @Test
  void keyFile_readableByOthers_refusedWithChmodAdvice() throws IOException {
    Path f = tmp.resolve("k.key");
    MasterKeys.generate(f);
    Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
    assertThatThrownBy(() -> MasterKeys.load(f.toString()))
        .isInstanceOf(MasterKeyException.class)
        .hasMessageContaining("chmod 600 " + f);
  }

  @Test
  void generate_refusesToOverwrite_andWritesMode600() throws IOException {
    Path f = tmp.resolve("k.key");
    String id = MasterKeys.generate(f);
    assertThat(Files.getPosixFilePermissions(f))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    assertThat(MasterKeys.load(f.toString()).current().id()).isEqualTo(id);
    byte[] before = Files.readAllBytes(f);
    assertThatThrownBy(() -> MasterKeys.generate(f)).hasMessageContaining("refusing to overwrite");
    assertThat(Files.readAllBytes(f)).isEqualTo(before);
  }

  private static int headerLength(Path encrypted) throws IOException {
    ByteBuffer b = read(encrypted, 0, 8);
    assertThat(b.getInt(0)).as("encryption magic").isEqualTo('H' | 'D' << 8 | 'B' << 16 | 'X' << 24);
    return 24 + (b.get(6) & 0xff) + (b.get(7) & 0xff);
  }

  private static int le16(Path f, long at) throws IOException {
    return read(f, at, 2).getShort(0) & 0xffff;
  }

  private static ByteBuffer read(Path f, long at, int n) throws IOException {
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
      ch.read(b, at);
      return b.flip();
    }
  }

  private static void flip(Path f, long at) throws IOException {
    byte[] all = Files.readAllBytes(f);
    all[Math.toIntExact(at)] ^= 0x40;
    Files.write(f, all);
  }
}
