package org.hashdb.core.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.hashdb.testing.TestRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WalRecoveryTest}'s key cases on an encrypted log: a torn tail is still found and cut
 * (at every offset of the last record), damage to an earlier record is corruption at its offset,
 * and the repaired log goes on in a new segment under the key.
 */
class EncryptedWalRecoveryTest {
  @TempDir Path tmp;
  private MasterKeys keys;
  private WalOptions options;

  @BeforeEach
  void key() throws IOException {
    Path f = tmp.resolve("m.key");
    MasterKeys.generate(f);
    keys = MasterKeys.load(f.toString());
    options = WalOptions.defaults().withFsync(false).withMasterKeys(keys);
  }

  private static byte[] payload(long seq, int len) {
    byte[] b = new byte[len];
    new Random(seq).nextBytes(b);
    return b;
  }

  /** Writes records 1..n; returns their offsets (and the end) in the one segment. */
  private long[] writeLog(Path dir, int[] lengths) throws IOException {
    long[] off = new long[lengths.length + 1];
    try (WriteAheadLog log = WriteAheadLog.open(dir, 1, options)) {
      long pos = log.segmentFiles().isEmpty() ? 0 : Files.size(log.segmentFiles().get(0));
      for (int i = 0; i < lengths.length; i++) {
        log.append((byte) 1, 1000L + i, payload(i + 1, lengths[i]), 0, lengths[i]);
        off[i] = pos;
        pos += WalFormat.RECORD_HEADER_BYTES + WalFormat.ENCRYPTION_OVERHEAD + lengths[i];
      }
      log.sync(lengths.length);
      off[lengths.length] = pos;
    }
    assertThat(Files.size(dir.resolve(WalFormat.segmentFileName(1)))).isEqualTo(off[lengths.length]);
    return off;
  }

  private Path copyWith(byte[] bytes, String name) throws IOException {
    Path d = Files.createTempDirectory(tmp, "case");
    Files.write(d.resolve(name), bytes);
    return d;
  }

  private List<WalRecord> recover(Path dir, List<RecoveryResult> res) throws IOException {
    List<WalRecord> out = new ArrayList<>();
    res.add(WriteAheadLog.recover(dir, 0, keys, out::add));
    return out;
  }

  private static void assertRecords(List<WalRecord> recs, int[] lengths, int n) {
    assertThat(recs).hasSize(n);
    for (int i = 0; i < n; i++) {
      assertThat(recs.get(i).sequence()).isEqualTo(i + 1);
      assertThat(recs.get(i).payload()).isEqualTo(payload(i + 1, lengths[i]));
    }
  }

  @Test
  void truncatedAtEveryOffsetOfLastRecord_cutAsTorn_thenContinuedInANewSegment()
      throws IOException {
    int[] lengths = {12, 0, 33, 40};
    long[] off = writeLog(tmp.resolve("src"), lengths);
    String name = WalFormat.segmentFileName(1);
    byte[] full = Files.readAllBytes(tmp.resolve("src").resolve(name));
    for (int cut = (int) off[3]; cut < full.length; cut++) {
      Path d = copyWith(Arrays.copyOf(full, cut), name);
      List<RecoveryResult> res = new ArrayList<>();
      assertRecords(recover(d, res), lengths, 3);
      assertThat(res.get(0).torn()).isEqualTo(cut != off[3]);
      assertThat(Files.size(d.resolve(name))).isEqualTo(off[3]);
      try (WriteAheadLog log = WriteAheadLog.open(d, 4, options)) {
        log.append((byte) 1, 1003, payload(4, 40), 0, 40);
        log.sync(4);
        assertThat(log.segmentFiles()).hasSize(2); // never continued under encryption
      }
      assertRecords(recover(d, new ArrayList<>()), lengths, 4);
    }
  }

  @Test
  void flippedBitInEachByteOfMiddleRecord_corruptionAtItsOffset() throws IOException {
    int[] lengths = {20, 20, 30, 20};
    long[] off = writeLog(tmp.resolve("src"), lengths);
    String name = WalFormat.segmentFileName(1);
    byte[] full = Files.readAllBytes(tmp.resolve("src").resolve(name));
    Random rnd = TestRandom.random(7);
    for (long pos = off[1]; pos < off[2]; pos++) {
      byte[] bad = full.clone();
      bad[(int) pos] ^= (byte) (1 << rnd.nextInt(8));
      Path d = copyWith(bad, name);
      assertThatThrownBy(() -> WriteAheadLog.recover(d, 0, keys, r -> {}))
          .as("flip at %d", pos)
          .isInstanceOfSatisfying(CorruptDataException.class,
              e -> assertThat(e.offset()).isEqualTo(off[1]));
    }
  }

  @Test
  void flippedBitInLastRecord_cutAsTorn_zeroTailToo() throws IOException {
    int[] lengths = {20, 30};
    long[] off = writeLog(tmp.resolve("src"), lengths);
    String name = WalFormat.segmentFileName(1);
    byte[] full = Files.readAllBytes(tmp.resolve("src").resolve(name));
    for (long pos = off[1]; pos < off[2]; pos += 7) {
      byte[] bad = full.clone();
      bad[(int) pos] ^= 0x10;
      List<RecoveryResult> res = new ArrayList<>();
      assertRecords(recover(copyWith(bad, name), res), lengths, 1);
      assertThat(res.get(0).tornOffset()).isEqualTo(off[1]);
    }
    Path z = copyWith(full, name);
    Files.write(z.resolve(name), new byte[100], StandardOpenOption.APPEND);
    List<RecoveryResult> res = new ArrayList<>();
    assertRecords(recover(z, res), lengths, 2);
    assertThat(res.get(0).tornBytes()).isEqualTo(100);
  }

  @Test
  void withoutTheKey_refusedNamingTheSegment() throws IOException {
    writeLog(tmp.resolve("src"), new int[] {5});
    assertThatThrownBy(() -> WriteAheadLog.recover(tmp.resolve("src"), 0, r -> {}))
        .isInstanceOf(MasterKeyException.class)
        .hasMessageContaining(WalFormat.segmentFileName(1));
  }
}
