package org.hashdb.core.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.disk.SectionOutputStream;
import org.hashdb.core.disk.SnapshotWriter;
import org.roaringbitmap.RoaringBitmap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hashdb.testing.TestRandom;

/**
 * A data directory written before the vpdq type existed: its snapshot declares four hash types
 * (md5, sha1, sha256, pdq) and has no vpdq sections. It must open with its entries and an empty
 * vpdq type, and take videos afterwards.
 */
class PreVideoSnapshotTest {
  @TempDir Path dir;

  @Test
  void fourTypeSnapshot_opensWithEmptyVpdq_andTakesVideos() throws Exception {
    byte[] md5 = new byte[16];
    TestRandom.random(1).nextBytes(md5);
    try (SnapshotWriter w = SnapshotWriter.create(dir, 7)) {
      SectionOutputStream out = w.beginSection(SnapshotCodec.SECTION_CONTENT);
      out.writeInt(SnapshotCodec.CONTENT_VERSION);
      out.writeInt(4);
      int[] counts = {1, 0, 0, 0};
      for (int c : counts) {
        out.writeInt(c);
      }
      w.endSection();
      strings(w, SnapshotCodec.SECTION_LISTS, "old-list");
      strings(w, SnapshotCodec.SECTION_CATEGORIES, "");
      strings(w, SnapshotCodec.SECTION_SOURCES, "");
      for (int t = 0; t < 4; t++) {
        HashType type = HashType.ofOrdinal(t);
        int n = counts[t];
        out = w.beginSection(SnapshotCodec.section(type, 0));
        if (n == 1) {
          out.write(md5, 0, 16);
        }
        w.endSection();
        out = w.beginSection(SnapshotCodec.section(type, 1));
        if (n == 1) {
          out.writeChars(new char[] {0}, 0, 1);
        }
        w.endSection();
        for (int k = 2; k <= 4; k++) {
          out = w.beginSection(SnapshotCodec.section(type, k));
          if (n == 1) {
            out.writeInts(new int[] {k == 4 ? 1_700_000_000 : 0}, 0, 1);
          }
          w.endSection();
        }
        RoaringBitmap empty = new RoaringBitmap();
        byte[] bitmap = new byte[empty.serializedSizeInBytes()];
        empty.serialize(ByteBuffer.wrap(bitmap).order(ByteOrder.LITTLE_ENDIAN));
        out = w.beginSection(SnapshotCodec.section(type, 5));
        out.write(bitmap, 0, bitmap.length);
        w.endSection();
      }
      w.commit();
    }
    DatabaseOptions opts = DatabaseOptions.defaults().withFsync(false);
    byte[] frames = new byte[64];
    TestRandom.random(2).nextBytes(frames);
    try (HashDatabase db = HashDatabase.open(dir, opts)) {
      assertEquals(7, db.sequence());
      assertEquals("old-list", db.lookup(HashType.MD5, md5, ListFilter.all()).get(0).list());
      assertEquals(0, db.stats().types().get(HashType.VPDQ).live());
      db.add(List.of(NewEntry.video(frames, "videos", "", "")));
      db.checkpoint();
    }
    try (HashDatabase db = HashDatabase.open(dir, opts)) {
      assertEquals(1, db.stats().types().get(HashType.VPDQ).live());
      assertEquals(2, db.stats().types().get(HashType.VPDQ).frames());
      assertTrue(db.contains(HashType.MD5, md5, 0, ListFilter.all()));
    }
  }

  private static void strings(SnapshotWriter w, int id, String... values) throws Exception {
    SectionOutputStream out = w.beginSection(id);
    out.writeInt(values.length);
    for (String s : values) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      out.writeShort(b.length);
      out.write(b, 0, b.length);
    }
    w.endSection();
  }
}
