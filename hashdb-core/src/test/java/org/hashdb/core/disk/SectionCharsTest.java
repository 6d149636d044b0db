package org.hashdb.core.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hashdb.testing.TestRandom;

/** 16-bit values through the section streams: bulk and single, little-endian on disk. */
class SectionCharsTest {
  @TempDir Path dir;

  @Test
  void writeCharsAndShort_thenRead_roundTripAcrossBufferBoundaries() throws IOException {
    SplittableRandom rnd = TestRandom.splittable(5);
    char[] chars = new char[700_001]; // 1.4 MB: crosses the 1 MB buffers, odd length
    for (int i = 0; i < chars.length; i++) {
      chars[i] = (char) rnd.nextInt(0x10000);
    }
    Path file;
    try (SnapshotWriter w = SnapshotWriter.create(dir, 3)) {
      SectionOutputStream out = w.beginSection(1);
      out.writeShort(0xBEEF);
      out.write(7); // odd offset: bulk values straddle buffer refills
      out.writeChars(chars, 1, chars.length - 1);
      out.writeShort(0x1234);
      w.endSection();
      file = w.commit();
    }
    try (SnapshotReader r = SnapshotReader.open(file)) {
      assertThat(r.nextSection()).isTrue();
      SectionInputStream in = r.sectionStream();
      assertThat(in.readUnsignedShort()).isEqualTo(0xBEEF);
      assertThat(in.read()).isEqualTo(7);
      char[] got = new char[chars.length];
      in.readChars(got, 1, chars.length - 1);
      got[0] = chars[0];
      assertThat(got).isEqualTo(chars);
      assertThat(in.readUnsignedShort()).isEqualTo(0x1234);
      assertThatThrownBy(() -> in.readChars(new char[1], 0, 1)).isInstanceOf(EOFException.class);
      assertThat(r.nextSection()).isFalse();
    }
    // little-endian on disk: the first payload bytes after the 10-byte section header
    ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    int payload = SnapshotFormat.HEADER_BYTES + SnapshotFormat.SECTION_HEADER_BYTES;
    assertThat(raw.getShort(payload) & 0xffff).isEqualTo(0xBEEF);
    assertThat(raw.getChar(payload + 3)).isEqualTo(chars[1]);
  }
}
