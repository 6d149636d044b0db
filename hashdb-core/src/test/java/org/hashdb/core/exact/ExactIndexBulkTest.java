package org.hashdb.core.exact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.hashdb.testing.TestRandom;

/** {@link ExactIndex#appendAllBulk}, {@link ExactIndex#ensureCapacity} and {@link ExactIndex#copyKeys}. */
class ExactIndexBulkTest {
  /** Keys with many duplicates (a small pool) mixed with fresh ones. */
  private static byte[] keys(SplittableRandom rnd, int count, int keyBytes, byte[] pool) {
    byte[] out = new byte[count * keyBytes];
    for (int i = 0; i < count; i++) {
      if (rnd.nextInt(4) == 0) {
        int p = rnd.nextInt(pool.length / keyBytes);
        System.arraycopy(pool, p * keyBytes, out, i * keyBytes, keyBytes);
      } else {
        byte[] k = new byte[keyBytes];
        rnd.nextBytes(k);
        System.arraycopy(k, 0, out, i * keyBytes, keyBytes);
      }
    }
    return out;
  }

  @Test
  void appendAllBulk_batchesWithDuplicates_sameFindsAndChainsAsAppendAll() {
    for (int keyBytes : new int[] {16, 20, 32}) {
      SplittableRandom rnd = TestRandom.splittable(keyBytes);
      byte[] pool = new byte[500 * keyBytes];
      rnd.nextBytes(pool);
      ExactIndex bulk = new ExactIndex(keyBytes, 0, 11);
      ExactIndex oracle = new ExactIndex(keyBytes, 0, 11);
      int[] sizes = {5000, 10, ExactIndex.BULK_MIN, 70_000, 100, 150_000};
      byte[][] batches = new byte[sizes.length][];
      for (int b = 0; b < sizes.length; b++) {
        batches[b] = keys(rnd, sizes[b], keyBytes, pool);
        int off = rnd.nextInt(3) * keyBytes;
        byte[] shifted = new byte[off + batches[b].length];
        System.arraycopy(batches[b], 0, shifted, off, batches[b].length);
        if (b == 3) {
          bulk.ensureCapacity(bulk.size() + sizes[b]);
        }
        bulk.appendAllBulk(shifted, off, sizes[b]);
        oracle.appendAll(batches[b], 0, sizes[b]);
        assertThat(bulk.size()).isEqualTo(oracle.size());
      }
      byte[] all = new byte[oracle.size() * keyBytes];
      oracle.copyKeys(0, oracle.size(), all, 0);
      byte[] got = new byte[all.length];
      bulk.copyKeys(0, bulk.size(), got, 0);
      assertThat(got).isEqualTo(all);
      for (int o = 0; o < oracle.size(); o++) {
        assertThat(bulk.find(all, o * keyBytes)).isEqualTo(oracle.find(all, o * keyBytes));
        assertThat(bulk.nextSameKey(o)).as("chain of %d", o).isEqualTo(oracle.nextSameKey(o));
      }
      byte[] absent = new byte[keyBytes];
      for (int i = 0; i < 1000; i++) {
        rnd.nextBytes(absent);
        assertThat(bulk.find(absent, 0)).isEqualTo(-1);
      }
    }
  }

  @Test
  void ensureCapacity_thenAppend_tableDoesNotGrowAgain() {
    ExactIndex ix = new ExactIndex(32, 0, 5);
    ix.ensureCapacity(100_000);
    int capacity = ix.tableCapacity();
    assertThat(capacity * 3L / 4).isGreaterThanOrEqualTo(100_000);
    byte[] k = new byte[100_000 * 32];
    TestRandom.splittable(9).nextBytes(k);
    ix.appendAllBulk(k, 0, 100_000);
    assertThat(ix.tableCapacity()).isEqualTo(capacity);
    ix.ensureCapacity(10); // never shrinks
    assertThat(ix.tableCapacity()).isEqualTo(capacity);
    assertThat(ix.find(k, 99_999 * 32)).isEqualTo(99_999);
  }

  @Test
  void ensureCapacityAndCopyKeys_badArguments_throwNamingTheBound() {
    ExactIndex ix = new ExactIndex(16, 0, 5);
    assertThatThrownBy(() -> ix.ensureCapacity(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expectedSize");
    assertThatThrownBy(() -> ix.ensureCapacity(ExactIndex.MAX_SIZE + 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(ExactIndex.MAX_SIZE));
    ix.appendAll(new byte[32], 0, 2);
    assertThatThrownBy(() -> ix.copyKeys(1, 2, new byte[64], 0)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> ix.copyKeys(0, 2, new byte[31], 0)).isInstanceOf(IndexOutOfBoundsException.class);
    byte[] dst = new byte[40];
    Arrays.fill(dst, (byte) 7);
    ix.copyKeys(0, 2, dst, 8);
    assertThat(Arrays.copyOfRange(dst, 8, 40)).containsOnly(0);
    assertThat(Arrays.copyOfRange(dst, 0, 8)).containsOnly(7);
  }
}
