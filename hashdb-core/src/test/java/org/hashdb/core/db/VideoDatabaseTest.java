package org.hashdb.core.db;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.pdq.PdqBits;
import org.hashdb.core.video.VpdqComparison;
import org.hashdb.core.video.VpdqFrames;
import org.hashdb.core.video.VpdqMatchOptions;
import org.hashdb.core.video.VpdqRule;
import org.hashdb.core.video.VpdqTestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hashdb.testing.TestRandom;

/** Video entries: the indexed vPDQ search against a brute-force oracle, persistence, the sample files. */
class VideoDatabaseTest {
  private static final DatabaseOptions NO_FSYNC = DatabaseOptions.defaults().withFsync(false);

  /** Videos made of "scenes": runs of frames near a scene hash, so that videos share frames. */
  private static byte[] randomVideo(Random rnd, List<byte[]> scenes, int frames) {
    byte[] out = new byte[frames * 32];
    for (int i = 0; i < frames; i++) {
      byte[] scene = scenes.get(rnd.nextInt(scenes.size()));
      System.arraycopy(scene, 0, out, i * 32, 32);
      byte[] h = java.util.Arrays.copyOfRange(out, i * 32, i * 32 + 32);
      PdqBits.flipDistinctBits(h, rnd.nextInt(40), rnd);
      System.arraycopy(h, 0, out, i * 32, 32);
    }
    return VpdqFrames.canonical(out);
  }

  private static List<byte[]> scenes(Random rnd, int n) {
    List<byte[]> s = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] h = new byte[32];
      rnd.nextBytes(h);
      s.add(h);
    }
    return s;
  }

  @Test
  void indexedSearchEqualsBruteForce_randomized() throws IOException {
    Random rnd = TestRandom.random(42);
    for (int round = 0; round < 4; round++) {
      List<byte[]> scenes = scenes(rnd, 30);
      HashDatabase db = HashDatabase.inMemory();
      Map<Integer, byte[]> stored = new HashMap<>();
      List<NewEntry> batch = new ArrayList<>();
      for (int v = 0; v < 150; v++) {
        batch.add(NewEntry.video(randomVideo(rnd, scenes, 1 + rnd.nextInt(40)), v % 3 == 0 ? "a" : "b", "", ""));
      }
      db.add(batch);
      for (NewEntry e : batch) {
        for (Hit m : db.lookup(HashType.VPDQ, e.value(), ListFilter.all())) {
          stored.put(m.entryId(), db.videoFrames(m.entryId()));
        }
      }
      assertEquals(150, stored.size());
      // Remove a few to check that removed videos are not candidates.
      int removed = 0;
      for (NewEntry e : batch.subList(0, 10)) {
        removed += db.remove(HashType.VPDQ, e.value(), null).removed();
      }
      assertTrue(removed > 0);
      for (int q = 0; q < 40; q++) {
        byte[] query = randomVideo(rnd, scenes, 1 + rnd.nextInt(60));
        int distance = 10 + rnd.nextInt(40);
        VpdqMatchOptions opt = new VpdqMatchOptions(distance, 50, rnd.nextInt(101), rnd.nextInt(60),
            rnd.nextBoolean(), 50 + rnd.nextInt(51));
        ListFilter filter = rnd.nextBoolean() ? ListFilter.all() : ListFilter.of(List.of("a"));
        Map<Integer, VideoHit> got = new HashMap<>();
        for (VideoHit m : db.searchVideo(query, opt, filter)) {
          got.put(m.entry().entryId(), m);
        }
        int expected = 0;
        for (Map.Entry<Integer, byte[]> e : stored.entrySet()) {
          Hit live = db.entry(e.getKey());
          if (live == null || (filter != ListFilter.all() && !live.list().equals("a"))) {
            assertTrue(!got.containsKey(e.getKey()));
            continue;
          }
          VpdqComparison c = VpdqComparison.bruteForce(query, e.getValue(), distance);
          VpdqRule rule = c.rule(opt);
          if (rule == null) {
            assertTrue(!got.containsKey(e.getKey()), "unexpected match");
          } else {
            expected++;
            VideoHit m = got.get(e.getKey());
            assertEquals(c, m.counts());
            assertEquals(rule, m.rule());
          }
        }
        assertEquals(expected, got.size());
      }
    }
  }

  @Test
  void sampleFiles_percentagesOfTheOracle_andMetasVerdicts() throws IOException {
    HashDatabase db = HashDatabase.inMemory();
    String[] names = {VpdqTestData.CHAIR_19, VpdqTestData.CHAIR_22_SEPIA, VpdqTestData.CHAIR_22_LOGO};
    Map<String, Integer> ids = new HashMap<>();
    for (String n : names) {
      NewEntry e = NewEntry.video(VpdqTestData.canonical(n), "meta", "", n);
      db.add(List.of(e));
      ids.put(n, db.lookup(HashType.VPDQ, e.value(), ListFilter.all()).get(0).entryId());
    }
    VpdqMatchOptions all = new VpdqMatchOptions(31, 50, 0, 0, false, 100);
    for (String q : names) {
      byte[] query = VpdqTestData.canonical(q);
      Map<Integer, VideoHit> got = new HashMap<>();
      db.searchVideo(query, all, ListFilter.all()).forEach(m -> got.put(m.entry().entryId(), m));
      for (String c : names) {
        VpdqComparison oracle = VpdqComparison.bruteForce(query, VpdqTestData.canonical(c), 31);
        assertEquals(oracle, got.get(ids.get(c)).counts(), q + " vs " + c);
      }
    }
    // Meta's README: chair-19 vs itself 100 %/100 %; vs the sepia copy a vPDQ match (80.85 % of
    // one side, ours 85.8 %); vs the large-logo copy about 10-13 % either way: no match.
    VpdqMatchOptions defaults = VpdqMatchOptions.defaults();
    List<VideoHit> m = db.searchVideo(VpdqTestData.canonical(VpdqTestData.CHAIR_19), defaults, ListFilter.all());
    Map<String, VideoHit> bySource = new HashMap<>();
    m.forEach(x -> bySource.put(x.entry().source(), x));
    assertEquals(2, m.size());
    assertEquals(100.0, bySource.get(VpdqTestData.CHAIR_19).storedPercent());
    assertEquals(VpdqRule.VPDQ, bySource.get(VpdqTestData.CHAIR_22_SEPIA).rule());
    assertEquals(85.82, bySource.get(VpdqTestData.CHAIR_22_SEPIA).storedPercent(), 0.01);
    VpdqComparison logo = VpdqComparison.bruteForce(VpdqTestData.canonical(VpdqTestData.CHAIR_19),
        VpdqTestData.canonical(VpdqTestData.CHAIR_22_LOGO), 31);
    assertEquals(10.55, logo.queryPercent(), 0.1);
    assertEquals(12.59, logo.storedPercent(), 2.5);
  }

  @Test
  void excerptRule_matchesHalfOfAVideo_whereMetasDefaultsDoNot() throws IOException {
    // 20 unrelated frames (random 256-bit hashes are ~128 bits apart), so the first half of
    // the video covers exactly half of it whatever the seed.
    Random rnd = TestRandom.random(7);
    byte[] video = VpdqFrames.canonical(scenes(rnd, 20).stream()
        .reduce(new byte[0], (a, b) -> {
          byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
          System.arraycopy(b, 0, c, a.length, b.length);
          return c;
        }));
    HashDatabase db = HashDatabase.inMemory();
    db.add(List.of(NewEntry.video(video, "l", "", "")));
    byte[] half = VpdqFrames.canonical(java.util.Arrays.copyOf(video, 10 * 32));
    List<VideoHit> m = db.searchVideo(half, VpdqMatchOptions.defaults(), ListFilter.all());
    assertEquals(1, m.size());
    assertEquals(VpdqRule.EXCERPT, m.get(0).rule());
    assertEquals(100.0, m.get(0).queryPercent());
    assertEquals(50.0, m.get(0).storedPercent());
    VpdqMatchOptions metaOnly = new VpdqMatchOptions(31, 50, 80, 0, false, 80);
    assertTrue(db.searchVideo(half, metaOnly, ListFilter.all()).isEmpty());
  }

  @Test
  void videosSurviveLogReplayAndSnapshot(@TempDir Path dir) throws IOException {
    Random rnd = TestRandom.random(3);
    List<byte[]> scenes = scenes(rnd, 50);
    List<NewEntry> entries = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      entries.add(NewEntry.video(randomVideo(rnd, scenes, 5 + rnd.nextInt(20)), "l", "cat", "src" + i));
    }
    byte[] query = randomVideo(rnd, scenes, 30);
    VpdqMatchOptions opt = new VpdqMatchOptions(31, 50, 10, 0, true, 30);
    List<VideoHit> before;
    try (HashDatabase db = HashDatabase.open(dir, NO_FSYNC)) {
      db.add(entries.subList(0, 20));
      db.remove(HashType.VPDQ, entries.get(0).value(), "l");
      before = db.searchVideo(query, opt, ListFilter.all());
      assertTrue(!before.isEmpty());
    }
    try (HashDatabase db = HashDatabase.open(dir, NO_FSYNC)) { // log replay
      assertEquals(before, db.searchVideo(query, opt, ListFilter.all()));
      db.checkpoint();
      db.add(entries.subList(20, 30));
      before = db.searchVideo(query, opt, ListFilter.all());
    }
    try (HashDatabase db = HashDatabase.open(dir, NO_FSYNC)) { // snapshot + log
      assertEquals(before, db.searchVideo(query, opt, ListFilter.all()));
      assertEquals(29, db.stats().types().get(HashType.VPDQ).live());
      long frames = 0;
      for (NewEntry e : entries) {
        frames += e.frames().length / 32;
      }
      assertEquals(frames, db.stats().types().get(HashType.VPDQ).frames());
      assertTrue(db.stats().types().get(HashType.VPDQ).indexBytesPerFrame() > 32);
      Hit first = db.lookup(HashType.VPDQ, entries.get(5).value(), ListFilter.all()).get(0);
      assertArrayEquals(entries.get(5).frames(), db.videoFrames(first.entryId()));
      db.checkpoint();
    }
    try (HashDatabase db = HashDatabase.open(dir, NO_FSYNC)) { // snapshot only
      assertEquals(before, db.searchVideo(query, opt, ListFilter.all()));
    }
  }

  @Test
  void invalidVideoEntriesAreRefused() {
    HashDatabase db = HashDatabase.inMemory();
    byte[] h = new byte[32];
    assertThrows(IllegalArgumentException.class,
        () -> db.add(List.of(new NewEntry(HashType.VPDQ, new byte[32], "l", "", "", h))));
    assertThrows(IllegalArgumentException.class,
        () -> db.add(List.of(new NewEntry(HashType.VPDQ, new byte[32], "l", "", ""))));
    assertThrows(IllegalArgumentException.class,
        () -> db.add(List.of(new NewEntry(HashType.PDQ, new byte[32], "l", "", "", h))));
    byte[] twice = new byte[64]; // not canonical: a repeated frame
    assertThrows(IllegalArgumentException.class, () -> db.add(List.of(
        new NewEntry(HashType.VPDQ, VpdqFrames.digest(twice), "l", "", "", twice))));
  }
}
