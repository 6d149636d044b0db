package org.hashdb.core.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hashdb.testing.TestRandom;

class SnapshotTest {
  @TempDir Path dir;

  private static List<Path> listAll(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.toList();
    }
  }

  @Test
  void commit_thenRead_roundTripsSectionsOfEveryShape() throws IOException {
    Random rnd = TestRandom.random(1);
    long[] longs = rnd.longs(300_000).toArray(); // 2.4 MB: crosses buffer boundaries
    byte[] blob = new byte[1_500_000];
    rnd.nextBytes(blob);
    int[] ints = rnd.ints(1001).toArray();

    Path file;
    try (SnapshotWriter w = SnapshotWriter.create(dir, 77, 123456789L)) {
      w.beginSection(1).writeLongs(longs, 0, longs.length);
      w.endSection();
      OutputStream out = w.beginSection(2); // random chunking, single bytes included
      for (int p = 0; p < blob.length; ) {
        int n = Math.min(blob.length - p, rnd.nextInt(70_000));
        if (n == 1 || rnd.nextInt(20) == 0) {
          out.write(blob[p]);
          n = 1;
        } else {
          out.write(blob, p, n);
        }
        p += n;
      }
      out.close(); // a no-op: the writer ends sections
      w.endSection();
      w.beginSection(3);
      w.endSection(); // empty
      SectionOutputStream s = w.beginSection(SnapshotFormat.MAX_SECTION_ID);
      s.write(7); // unaligned from here on
      s.writeInts(ints, 1, 1000);
      s.writeLong(-2L);
      s.writeInt(42);
      assertThat(s.bytesWritten()).isEqualTo(1 + 4000 + 8 + 4);
      w.endSection();
      file = w.commit();
    }
    assertThat(file).isEqualTo(dir.resolve("snapshot-00000000000000000077.hdb"));
    assertThat(listAll(dir)).containsExactly(file);

    try (SnapshotReader r = SnapshotReader.open(file)) {
      assertThat(r.sequence()).isEqualTo(77);
      assertThat(r.createdMillis()).isEqualTo(123456789L);
      assertThat(r.sizeBytes()).isEqualTo(Files.size(file));

      assertThat(r.nextSection()).isTrue();
      assertThat(r.sectionId()).isEqualTo(1);
      assertThat(r.sectionLength()).isEqualTo(8L * longs.length);
      long[] l = new long[longs.length];
      r.sectionStream().readLongs(l, 0, 7); // odd split across reads
      r.sectionStream().readLongs(l, 7, l.length - 7);
      assertThat(l).isEqualTo(longs);
      assertThat(r.sectionStream().read()).isEqualTo(-1);

      assertThat(r.nextSection()).isTrue();
      assertThat(r.sectionId()).isEqualTo(2);
      byte[] b = r.sectionStream().readAllBytes();
      assertThat(b).isEqualTo(blob);

      assertThat(r.nextSection()).isTrue();
      assertThat(r.sectionId()).isEqualTo(3);
      assertThat(r.sectionLength()).isZero();
      assertThat(r.sectionStream().read()).isEqualTo(-1);

      assertThat(r.nextSection()).isTrue();
      assertThat(r.sectionId()).isEqualTo(SnapshotFormat.MAX_SECTION_ID);
      SectionInputStream in = r.sectionStream();
      assertThat(in.read()).isEqualTo(7);
      int[] i2 = new int[1000];
      in.readInts(i2, 0, 1000);
      assertThat(i2).isEqualTo(Arrays.copyOfRange(ints, 1, 1001));
      assertThat(in.readLong()).isEqualTo(-2L);
      assertThat(in.remaining()).isEqualTo(4);
      assertThat(in.readInt()).isEqualTo(42);
      assertThatThrownBy(in::readInt).isInstanceOf(EOFException.class);

      assertThat(r.nextSection()).isFalse();
      assertThat(r.nextSection()).isFalse();
      assertThatThrownBy(r::sectionId).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void nextSection_partlyReadSections_skipsTheRest() throws IOException {
    Path file;
    try (SnapshotWriter w = SnapshotWriter.create(dir, 1)) {
      for (int id = 0; id < 5; id++) {
        SectionOutputStream s = w.beginSection(id);
        for (int i = 0; i < 200_000 * id; i++) {
          s.writeInt(id * 1_000_000 + i);
        }
        w.endSection();
      }
      file = w.commit();
    }
    try (SnapshotReader r = SnapshotReader.open(file)) {
      for (int id = 0; id < 5; id++) {
        assertThat(r.nextSection()).isTrue();
        assertThat(r.sectionId()).isEqualTo(id);
        assertThat(r.sectionLength()).isEqualTo(800_000L * id);
        if (id > 0) {
          assertThat(r.sectionStream().readInt()).isEqualTo(id * 1_000_000);
          assertThat(r.sectionStream().skip(4L * 1000)).isEqualTo(4000);
          assertThat(r.sectionStream().readInt()).isEqualTo(id * 1_000_000 + 1001);
        }
      }
      assertThat(r.nextSection()).isFalse();
    }
  }

  @Test
  void sectionStream_afterReaderMovedOn_refusesToRead() throws IOException {
    Path file;
    try (SnapshotWriter w = SnapshotWriter.create(dir, 1)) {
      w.beginSection(1).write(new byte[10]);
      w.endSection();
      w.beginSection(2).write(new byte[10]);
      w.endSection();
      file = w.commit();
    }
    try (SnapshotReader r = SnapshotReader.open(file)) {
      r.nextSection();
      SectionInputStream first = r.sectionStream();
      r.nextSection();
      assertThatThrownBy(first::read).isInstanceOf(IllegalStateException.class);
      assertThat(r.sectionStream().readAllBytes()).hasSize(10);
    }
  }

  @Test
  void writer_misuse_throwsPreciseExceptions() throws IOException {
    try (SnapshotWriter w = SnapshotWriter.create(dir, 1)) {
      assertThatThrownBy(() -> w.beginSection(0xFFFF))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("section id must be in [0, 65534], got 65535");
      assertThatThrownBy(w::endSection).isInstanceOf(IllegalStateException.class);
      SectionOutputStream s = w.beginSection(4);
      assertThatThrownBy(() -> w.beginSection(5))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("section 4 is still open");
      assertThatThrownBy(w::commit).isInstanceOf(IllegalStateException.class);
      w.endSection();
      assertThatThrownBy(() -> s.write(1)).isInstanceOf(IllegalStateException.class);
      w.commit();
      assertThatThrownBy(() -> w.beginSection(1)).isInstanceOf(IllegalStateException.class);
    }
    assertThatThrownBy(() -> SnapshotWriter.create(dir, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sequence must be >= 0, got -1");
  }

  @Test
  void close_withoutCommit_deletesTempFile() throws IOException {
    Path temp;
    try (SnapshotWriter w = SnapshotWriter.create(dir, 5)) {
      temp = w.tempFile();
      w.beginSection(1).write(new byte[1000]);
      assertThat(temp).exists();
      assertThat(temp.getFileName().toString()).startsWith("snapshot-00000000000000000005.").endsWith(".tmp");
    }
    assertThat(temp).doesNotExist();
    assertThat(listAll(dir)).isEmpty();
    assertThat(SnapshotFiles.list(dir)).isEmpty();
  }

  @Test
  void deleteTempFiles_removesOnlyLeftovers() throws IOException {
    Path snap;
    try (SnapshotWriter w = SnapshotWriter.create(dir, 3)) {
      snap = w.commit();
    }
    Path leftover = Files.write(dir.resolve("snapshot-00000000000000000009.123.tmp"), new byte[7]);
    Path other = Files.write(dir.resolve("notes.tmp"), new byte[1]);
    assertThat(SnapshotFiles.deleteTempFiles(dir)).isEqualTo(1);
    assertThat(leftover).doesNotExist();
    assertThat(snap).exists();
    assertThat(other).exists();
    assertThat(SnapshotFiles.deleteTempFiles(dir.resolve("missing"))).isZero();
  }

  @Test
  void list_thenDeleteOlderThan_keepsNewest() throws IOException {
    for (long seq : new long[] {10, 3, 250, 42}) {
      try (SnapshotWriter w = SnapshotWriter.create(dir, seq)) {
        w.commit();
      }
    }
    Files.write(dir.resolve("snapshot-12.hdb"), new byte[1]); // not a snapshot name
    Files.write(dir.resolve(WalFormat.segmentFileName(1)), new byte[1]);
    assertThat(SnapshotFiles.list(dir))
        .extracting(SnapshotFiles::sequenceOf)
        .containsExactly(250L, 42L, 10L, 3L);
    assertThat(SnapshotFiles.deleteOlderThan(dir, 5)).isEqualTo(1);
    assertThat(SnapshotFiles.list(dir)).extracting(SnapshotFiles::sequenceOf).containsExactly(250L, 42L, 10L);
    assertThat(SnapshotFiles.deleteAllButNewest(dir, 2)).isEqualTo(1);
    assertThat(SnapshotFiles.deleteAllButNewest(dir, 2)).isZero();
    assertThat(SnapshotFiles.list(dir)).extracting(SnapshotFiles::sequenceOf).containsExactly(250L, 42L);
    assertThatThrownBy(() -> SnapshotFiles.deleteAllButNewest(dir, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("keep must be >= 1, got 0");
    assertThat(SnapshotFiles.list(dir.resolve("missing"))).isEmpty();
    assertThat(SnapshotFiles.sequenceOf(Path.of("snapshot-00000000000000000042.hdb.1.tmp"))).isEqualTo(-1);
  }

  @Test
  void commit_sameSequenceTwice_replacesTheFile() throws IOException {
    for (int v = 1; v <= 2; v++) {
      try (SnapshotWriter w = SnapshotWriter.create(dir, 8)) {
        w.beginSection(1).writeInt(v);
        w.endSection();
        w.commit();
      }
    }
    try (SnapshotReader r = SnapshotReader.open(SnapshotFiles.list(dir).get(0))) {
      r.nextSection();
      assertThat(r.sectionStream().readInt()).isEqualTo(2);
    }
    assertThat(listAll(dir)).hasSize(1);
  }
}
