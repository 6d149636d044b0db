package org.hashdb.core.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hashdb.testing.TestRandom;
import java.util.ArrayList;
import java.util.List;
import org.hashdb.core.hash.Hex;

/** Every damage to a snapshot must surface as CorruptDataException, never as a normal read. */
class SnapshotCorruptionTest {
  @TempDir Path dir;
  private Path good;
  private byte[] goodBytes;

  @BeforeEach
  void writeSmallSnapshot() throws IOException {
    try (SnapshotWriter w = SnapshotWriter.create(dir.resolve("src"), 9, 1000)) {
      SectionOutputStream s = w.beginSection(1);
      s.writeLongs(new long[] {1, 2, 3, Long.MIN_VALUE}, 0, 4);
      w.endSection();
      w.beginSection(2);
      w.endSection();
      w.beginSection(300).write("hello, snapshot".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      w.endSection();
      good = w.commit();
    }
    goodBytes = Files.readAllBytes(good);
  }

  /**
   * Reads everything the way a loader does; returns normally only for an intact file, with each
   * section's id and bytes ("id:hex") in file order.
   */
  private static List<String> readAll(Path file) throws IOException {
    List<String> sections = new ArrayList<>();
    try (SnapshotReader r = SnapshotReader.open(file)) {
      while (r.nextSection()) {
        byte[] b = new byte[(int) r.sectionLength()];
        r.sectionStream().readFully(b, 0, b.length);
        assertThat(r.sectionStream().read()).isEqualTo(-1);
        sections.add(r.sectionId() + ":" + Hex.encode(b));
      }
    }
    return sections;
  }

  private Path variant(String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  @Test
  void readAll_intactFile_succeeds() throws IOException {
    try (SnapshotReader r = SnapshotReader.open(good)) {
      assertThat(r.sequence()).isEqualTo(9);
    }
    ByteBuffer longs = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN); // the file's order
    for (long v : new long[] {1, 2, 3, Long.MIN_VALUE}) {
      longs.putLong(v);
    }
    List<String> sections = readAll(good);
    assertThat(sections).hasSize(3);
    assertThat(sections).containsExactly("1:" + Hex.encode(longs.array()), "2:",
        "300:" + Hex.encode("hello, snapshot".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
  }

  @Test
  void readAll_flippedBitAtEveryByte_throwsNamingFileAndOffsetAtOrBeforeIt() throws IOException {
    Random rnd = TestRandom.random(17);
    for (int pos = 0; pos < goodBytes.length; pos++) {
      byte[] bad = goodBytes.clone();
      bad[pos] ^= (byte) (1 << rnd.nextInt(8));
      Path p = variant("flip.hdb", bad);
      Throwable t = catchThrowable(() -> readAll(p));
      int at = pos;
      assertThat(t)
          .as("flip at %d", pos)
          .isInstanceOfSatisfying(
              CorruptDataException.class,
              e -> {
                assertThat(e.file()).isEqualTo(p);
                assertThat(e.offset()).isBetween(0L, (long) at);
                assertThat(e.getMessage()).startsWith(p + " at byte " + e.offset() + ": ");
              });
    }
  }

  @Test
  void open_truncatedAtEveryLength_throws() throws IOException {
    for (int len = 0; len < goodBytes.length; len++) {
      Path p = variant("cut.hdb", Arrays.copyOf(goodBytes, len));
      int l = len;
      assertThatThrownBy(() -> readAll(p))
          .as("length %d", len)
          .isInstanceOfSatisfying(
              CorruptDataException.class,
              e -> assertThat(e.offset()).isBetween(0L, (long) l));
    }
  }

  @Test
  void open_bytesAppendedAfterFooter_throws() throws IOException {
    byte[] longer = Arrays.copyOf(goodBytes, goodBytes.length + 3);
    assertThatThrownBy(() -> readAll(variant("long.hdb", longer)))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("end marker");
  }

  @Test
  void open_otherVersionWithValidCrc_saysUnsupportedVersion() throws IOException {
    byte[] b = goodBytes.clone();
    ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    h.putShort(SnapshotFormat.HEADER_VERSION_OFFSET, (short) 2);
    CRC32C crc = new CRC32C();
    crc.update(b, 0, SnapshotFormat.HEADER_CRC_OFFSET);
    h.putInt(SnapshotFormat.HEADER_CRC_OFFSET, (int) crc.getValue());
    assertThatThrownBy(() -> readAll(variant("v2.hdb", b)))
        .isInstanceOfSatisfying(
            CorruptDataException.class,
            e -> {
              assertThat(e.offset()).isEqualTo(SnapshotFormat.HEADER_VERSION_OFFSET);
              assertThat(e.getMessage()).contains("unsupported snapshot format version 2");
            });
  }

  @Test
  void open_notASnapshot_saysBadMagic() throws IOException {
    byte[] text = new byte[100];
    Arrays.fill(text, (byte) 'a');
    assertThatThrownBy(() -> SnapshotReader.open(variant("text.hdb", text)))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("not a HashDB snapshot");
  }

  @Test
  void sectionStream_damageInLastChunkOfLargeSection_throwsBeforeHandingItOut()
      throws IOException {
    long[] data = TestRandom.random(2).longs(400_000).toArray(); // 3.2 MB, > 3 buffer loads
    Path file;
    try (SnapshotWriter w = SnapshotWriter.create(dir.resolve("big"), 1)) {
      w.beginSection(1).writeLongs(data, 0, data.length);
      w.endSection();
      file = w.commit();
    }
    long lastLong =
        SnapshotFormat.HEADER_BYTES + SnapshotFormat.SECTION_HEADER_BYTES + 8L * (data.length - 1);
    try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {0x55}), lastLong);
    }
    try (SnapshotReader r = SnapshotReader.open(file)) {
      assertThat(r.nextSection()).isTrue();
      long[] got = new long[data.length];
      // the first loads are handed out; the one holding the damage never is
      r.sectionStream().readLongs(got, 0, 1000);
      assertThat(Arrays.copyOf(got, 1000)).isEqualTo(Arrays.copyOf(data, 1000));
      assertThatThrownBy(() -> r.sectionStream().readLongs(got, 1000, data.length - 1000))
          .isInstanceOfSatisfying(
              CorruptDataException.class,
              e -> assertThat(e.offset()).isEqualTo(SnapshotFormat.HEADER_BYTES));
      assertThat(got[data.length - 1]).isZero();
      // the failure sticks: the section never ends normally
      assertThatThrownBy(() -> r.sectionStream().read()).isInstanceOf(CorruptDataException.class);
    }
  }

  @Test
  void nextSection_damageInUnreadPartOfSection_throws() throws IOException {
    byte[] data = new byte[3 << 20]; // several buffer loads
    TestRandom.random(4).nextBytes(data);
    Path file;
    try (SnapshotWriter w = SnapshotWriter.create(dir.resolve("skip"), 1)) {
      w.beginSection(1).write(data);
      w.endSection();
      w.beginSection(2).write(data, 0, 10);
      w.endSection();
      file = w.commit();
    }
    long damage = SnapshotFormat.HEADER_BYTES + SnapshotFormat.SECTION_HEADER_BYTES + data.length - 5;
    try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {(byte) ~data[data.length - 5]}), damage);
    }
    try (SnapshotReader r = SnapshotReader.open(file)) {
      assertThat(r.nextSection()).isTrue();
      assertThat(r.sectionStream().read()).isEqualTo(data[0] & 0xff); // first load is fine
      assertThatThrownBy(r::nextSection)
          .isInstanceOfSatisfying(
              CorruptDataException.class,
              e -> assertThat(e.offset()).isEqualTo(SnapshotFormat.HEADER_BYTES));
    }
  }
}
