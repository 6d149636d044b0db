package org.hashdb.client.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.hashdb.core.content.FileHashes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hashdb.testing.TestRandom;

class HashCacheTest {
  private static final int EXACT_MASK = 0b0111;
  private static final int ALL_MASK = 0b1111;

  @TempDir Path tmp;
  private final Random random = TestRandom.random(99);

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private FileHashes hashes(long size, boolean pdq) {
    return new FileHashes(size, bytes(16), bytes(20), bytes(32), pdq ? bytes(32) : null, pdq ? random.nextInt(101) : -1);
  }

  /** A stamp with fixed device and inode and a ctime derived from the mtime. */
  private static FileStamp st(long size, long mtime) {
    return new FileStamp(42, 7, size, mtime, mtime + 5);
  }

  /** A cache file holding keys prefix0..prefix(n-1), entry i of size and mtime i. */
  private Path cacheOf(String prefix, int n) throws IOException {
    Path f = tmp.resolve("c");
    try (HashCache c = HashCache.open(f)) {
      for (int i = 0; i < n; i++) {
        c.put(prefix + i, st(i, i), EXACT_MASK, hashes(i, false));
      }
    }
    return f;
  }

  private static void assertSame(FileHashes a, FileHashes b) {
    assertThat(a.size()).isEqualTo(b.size());
    assertThat(a.md5()).isEqualTo(b.md5());
    assertThat(a.sha1()).isEqualTo(b.sha1());
    assertThat(a.sha256()).isEqualTo(b.sha256());
    assertThat(a.pdq()).isEqualTo(b.pdq());
    assertThat(a.pdqQuality()).isEqualTo(b.pdqQuality());
  }

  @Test
  void get_afterReopen_returnsWhatWasPutAndLatestWins() throws IOException {
    Path f = tmp.resolve("c");
    Map<String, FileHashes> oracle = new HashMap<>();
    try (HashCache c = HashCache.open(f)) {
      for (int i = 0; i < 500; i++) {
        String key = "/data/ü/" + random.nextInt(300); // repeats: later puts override
        FileHashes h = hashes(random.nextInt(1 << 20), random.nextBoolean());
        c.put(key, st(h.size(), 1000L + h.size()), ALL_MASK, h);
        oracle.put(key, h);
      }
    }
    try (HashCache c = HashCache.open(f)) {
      assertThat(c.size()).isEqualTo(oracle.size());
      assertThat(c.ramBytesUsed()).isBetween(oracle.size() * 250L, oracle.size() * 500L);
      assertThat(c.droppedBytes()).isZero();
      for (Map.Entry<String, FileHashes> e : oracle.entrySet()) {
        FileHashes h = e.getValue();
        assertSame(c.get(e.getKey(), st(h.size(), 1000L + h.size()), ALL_MASK), h);
        assertThat(c.get(e.getKey(), st(h.size() + 1, 1000L + h.size()), ALL_MASK)).isNull(); // size changed
        assertThat(c.get(e.getKey(), st(h.size(), 999L + h.size()), ALL_MASK)).isNull(); // mtime changed
        FileStamp s = st(h.size(), 1000L + h.size());
        assertThat(c.get(e.getKey(), new FileStamp(s.device(), s.inode(), s.size(), s.mtimeNanos(), s.ctimeNanos() + 1),
            ALL_MASK)).as("ctime changed, mtime restored").isNull();
        assertThat(c.get(e.getKey(), new FileStamp(s.device(), s.inode() + 1, s.size(), s.mtimeNanos(), s.ctimeNanos()),
            ALL_MASK)).as("another inode (replaced by a rename)").isNull();
        assertThat(c.get(e.getKey(), new FileStamp(s.device() + 1, s.inode(), s.size(), s.mtimeNanos(), s.ctimeNanos()),
            ALL_MASK)).as("another device").isNull();
      }
    }
  }

  @Test
  void get_typesNotComputed_missesAndSubsetIsRestricted() throws IOException {
    try (HashCache c = HashCache.open(tmp.resolve("c"))) {
      FileHashes h = new FileHashes(5, bytes(16), bytes(20), bytes(32), null, -1);
      c.put("k", st(5, 7), EXACT_MASK, h);
      assertThat(c.get("k", st(5, 7), ALL_MASK)).isNull();
      FileHashes sub = c.get("k", st(5, 7), 0b0100);
      assertThat(sub.sha256()).isEqualTo(h.sha256());
      assertThat(sub.md5()).isNull();
      assertThat(sub.sha1()).isNull();
    }
  }

  @Test
  void open_tornTail_keepsValidRecordsAndCutsTheRest() throws IOException {
    Path f = cacheOf("k", 10);
    long full = Files.size(f);
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.setLength(full - 5); // crash in the middle of the last record
    }
    try (HashCache c = HashCache.open(f)) {
      assertThat(c.size()).isEqualTo(9);
      assertThat(c.droppedBytes()).isPositive();
      assertThat(c.get("k9", st(9, 9), EXACT_MASK)).isNull();
      c.put("k10", st(10, 10), EXACT_MASK, hashes(10, false)); // appended after the cut
    }
    try (HashCache c = HashCache.open(f)) {
      assertThat(c.size()).isEqualTo(10);
      assertThat(c.droppedBytes()).isZero();
      assertThat(c.get("k10", st(10, 10), EXACT_MASK)).isNotNull();
    }
  }

  @Test
  void open_corruptRecord_stopsThereWithoutServingIt() throws IOException {
    Path f = cacheOf("key", 3);
    byte[] b = Files.readAllBytes(f);
    b[b.length - 10] ^= 1; // flip a bit in the last record's hashes
    Files.write(f, b);
    try (HashCache c = HashCache.open(f)) {
      assertThat(c.size()).isEqualTo(2);
      assertThat(c.get("key2", st(2, 2), EXACT_MASK)).isNull();
    }
  }

  @Test
  void open_version1Cache_isStartedAfreshAndSaysSo() throws IOException {
    Path f = tmp.resolve("old");
    // a version 1 file: magic, then one record that version 2 must not read
    Files.write(f, java.util.Arrays.copyOf(HashCache.MAGIC_V1, HashCache.MAGIC_V1.length + 40));
    try (HashCache c = HashCache.open(f)) {
      assertThat(c.discardedOldFormat()).isTrue();
      assertThat(c.size()).isZero();
      c.put("k", st(1, 1), EXACT_MASK, hashes(1, false));
    }
    try (HashCache c = HashCache.open(f)) {
      assertThat(c.discardedOldFormat()).isFalse();
      assertThat(c.droppedBytes()).isZero();
      assertThat(c.get("k", st(1, 1), EXACT_MASK)).isNotNull();
    }
  }

  @Test
  void fileStamp_onThisFileSystem_readsDeviceInodeAndCtimeWhereTheUnixViewExists() throws IOException {
    Path f = Files.write(tmp.resolve("f"), new byte[] {1, 2, 3});
    FileStamp s = FileStamp.read(f);
    assertThat(s.size()).isEqualTo(3);
    assertThat(s.complete()).isEqualTo(f.getFileSystem().supportedFileAttributeViews().contains("unix"));
    assertThat(FileStamp.read(f)).isEqualTo(s);
  }

  @Test
  void open_notACacheFile_failsWithoutTouchingIt() throws IOException {
    Path f = tmp.resolve("report.json");
    Files.writeString(f, "{\"not\":\"a cache\"}");
    assertThatThrownBy(() -> HashCache.open(f)).isInstanceOf(IOException.class).hasMessageContaining("not a HashDB scan cache");
    assertThat(Files.readString(f)).isEqualTo("{\"not\":\"a cache\"}");
  }

  @Test
  void compactAndClose_dropsUnseenUnderRootsKeepsOthers() throws IOException {
    Path f = tmp.resolve("c");
    Path root = Files.createDirectories(tmp.resolve("root"));
    String under = root.toAbsolutePath() + "/gone.bin";
    String seen = root.toAbsolutePath() + "/seen.bin";
    String elsewhere = tmp.toAbsolutePath() + "/rootless/x.bin";
    String sibling = root.toAbsolutePath() + "2/y.bin"; // shares the prefix "root" but is not under it
    try (HashCache c = HashCache.open(f)) {
      for (String k : List.of(under, seen, elsewhere, sibling)) {
        c.put(k, st(1, 1), EXACT_MASK, hashes(1, false));
      }
    }
    try (HashCache c = HashCache.open(f)) {
      assertThat(c.get(seen, st(1, 1), EXACT_MASK)).isNotNull(); // the scan saw it
      c.compactAndClose(List.of(root));
      assertThat(c.liveAfterCompaction()).isEqualTo(3);
    }
    try (HashCache c = HashCache.open(f)) {
      assertThat(c.get(under, st(1, 1), EXACT_MASK)).isNull();
      assertThat(c.get(seen, st(1, 1), EXACT_MASK)).isNotNull();
      assertThat(c.get(elsewhere, st(1, 1), EXACT_MASK)).isNotNull();
      assertThat(c.get(sibling, st(1, 1), EXACT_MASK)).isNotNull();
    }
    assertThat(Files.exists(tmp.resolve("c.tmp"))).isFalse();
  }
}
