package org.hashdb.core.exact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.hashdb.testing.TestRandom;

class ExactIndexTest {

  /** Oracle: key -> its ordinals, oldest first. */
  private static final class Oracle {
    final Map<ByteBuffer, List<Integer>> ordinals = new HashMap<>();
    final List<byte[]> keys = new ArrayList<>();

    void add(byte[] key) {
      ordinals.computeIfAbsent(ByteBuffer.wrap(key), k -> new ArrayList<>()).add(keys.size());
      keys.add(key);
    }

    List<Integer> of(byte[] key) {
      return ordinals.getOrDefault(ByteBuffer.wrap(key), List.of());
    }
  }

  private static byte[] randomKey(Random r, int keyBytes) {
    byte[] k = new byte[keyBytes];
    r.nextBytes(k);
    return k;
  }

  private static List<Integer> chain(ExactIndex index, int head) {
    List<Integer> out = new ArrayList<>();
    for (int o = head; o >= 0; o = index.nextSameKey(o)) {
      out.add(o);
    }
    return out;
  }

  private static void assertMatchesOracle(ExactIndex index, Oracle oracle, byte[] key) {
    List<Integer> expected = new ArrayList<>(oracle.of(key));
    java.util.Collections.reverse(expected); // newest first
    int head = index.find(key, 0);
    if (expected.isEmpty()) {
      assertThat(head).isEqualTo(-1);
      return;
    }
    assertThat(chain(index, head)).isEqualTo(expected);
    byte[] copy = new byte[key.length + 3];
    index.copyKey(head, copy, 3);
    assertThat(Arrays.copyOfRange(copy, 3, copy.length)).isEqualTo(key);
  }

  @ParameterizedTest
  @ValueSource(ints = {8, 13, 16, 20, 32})
  void append_randomKeysWithDuplicates_matchesHashMapOracle(int keyBytes) {
    Random r = TestRandom.random(1000 + keyBytes);
    ExactIndex index = new ExactIndex(keyBytes, 0, r.nextLong());
    Oracle oracle = new Oracle();
    for (int step = 0; step < 40_000; step++) {
      int op = r.nextInt(100);
      if (op < 60 || oracle.keys.isEmpty()) {
        byte[] k = randomKey(r, keyBytes);
        assertThat(index.append(k, 0)).isEqualTo(oracle.keys.size());
        oracle.add(k);
      } else if (op < 80) {
        byte[] k = oracle.keys.get(r.nextInt(oracle.keys.size())).clone();
        byte[] padded = new byte[keyBytes + 5];
        System.arraycopy(k, 0, padded, 5, keyBytes);
        assertThat(index.append(padded, 5)).isEqualTo(oracle.keys.size());
        oracle.add(k);
      } else if (op < 83) {
        // bulk: new keys, old keys and keys repeated inside the batch
        int n = 1 + r.nextInt(100);
        byte[] bulk = new byte[2 + n * keyBytes];
        List<byte[]> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          byte[] k;
          int kind = r.nextInt(4);
          if (kind == 0) {
            k = oracle.keys.get(r.nextInt(oracle.keys.size()));
          } else if (kind == 1 && !batch.isEmpty()) {
            k = batch.get(r.nextInt(batch.size()));
          } else {
            k = randomKey(r, keyBytes);
          }
          batch.add(k);
          System.arraycopy(k, 0, bulk, 2 + i * keyBytes, keyBytes);
        }
        index.appendAll(bulk, 2, n);
        batch.forEach(oracle::add);
      } else {
        byte[] probe =
            r.nextBoolean()
                ? oracle.keys.get(r.nextInt(oracle.keys.size()))
                : randomKey(r, keyBytes);
        assertMatchesOracle(index, oracle, probe);
      }
      assertThat(index.size()).isEqualTo(oracle.keys.size());
    }
    for (byte[] k : oracle.keys) {
      assertMatchesOracle(index, oracle, k);
    }
    for (int i = 0; i < 1000; i++) {
      assertThat(index.find(randomKey(r, keyBytes), 0)).isEqualTo(-1);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {8, 16, 20, 32})
  void findBatch_mixedHitsAndMisses_equalsFind(int keyBytes) {
    Random r = TestRandom.random(7 + keyBytes);
    ExactIndex index = new ExactIndex(keyBytes, 0, r.nextLong());
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      byte[] k = i % 10 == 9 ? keys.get(r.nextInt(keys.size())) : randomKey(r, keyBytes);
      keys.add(k);
      index.append(k, 0);
    }
    int count = 1000 + 37; // not a multiple of the block size
    int off = 3;
    byte[] queries = new byte[off + count * keyBytes];
    for (int i = 0; i < count; i++) {
      byte[] k = r.nextBoolean() ? keys.get(r.nextInt(keys.size())) : randomKey(r, keyBytes);
      System.arraycopy(k, 0, queries, off + i * keyBytes, keyBytes);
    }
    int[] out = new int[count + 1];
    out[count] = 12345;
    index.findBatch(queries, off, count, out);
    int hits = 0;
    for (int i = 0; i < count; i++) {
      assertThat(out[i]).as("query %d", i).isEqualTo(index.find(queries, off + i * keyBytes));
      hits += out[i] >= 0 ? 1 : 0;
    }
    assertThat(out[count]).isEqualTo(12345);
    assertThat(hits).isBetween(count / 3, 2 * count / 3);
  }

  @Test
  void findBatch_fingerprintCollisions_fallBackToFullProbe() {
    // 600k keys in 2^20 slots leave 12-bit fingerprints: among 200k queries some probe paths
    // cross a foreign slot with a matching fingerprint, which pass 3 must reject and re-probe.
    Random r = TestRandom.random(3);
    ExactIndex index = new ExactIndex(8, 0, 99);
    int n = 600_000;
    byte[] keys = new byte[n * 8];
    r.nextBytes(keys);
    index.appendAll(keys, 0, n);
    assertThat(index.tableCapacity()).isEqualTo(1 << 20);
    int count = 200_000;
    byte[] queries = new byte[count * 8];
    r.nextBytes(queries);
    for (int i = 0; i < count; i += 2) {
      System.arraycopy(keys, r.nextInt(n) * 8, queries, i * 8, 8);
    }
    int[] out = new int[count];
    index.findBatch(queries, 0, count, out);
    int collisions = 0;
    for (int i = 0; i < count; i++) {
      assertThat(out[i]).isEqualTo(index.find(queries, i * 8));
      if (i % 2 == 0) {
        assertThat(out[i]).isNotNegative();
        assertThat(Arrays.copyOfRange(keys, out[i] * 8, out[i] * 8 + 8))
            .isEqualTo(Arrays.copyOfRange(queries, i * 8, i * 8 + 8));
      }
      collisions += index.foreignTagMatches(queries, i * 8);
    }
    assertThat(collisions).isGreaterThan(10);
  }

  @Test
  void findBatch_emptyIndex_allMinusOne() {
    ExactIndex index = new ExactIndex(20);
    int[] out = new int[200];
    index.findBatch(new byte[200 * 20], 0, 200, out);
    assertThat(out).containsOnly(-1);
  }

  @Test
  void findBatch_zeroCount_leavesOutUntouched() {
    ExactIndex index = new ExactIndex(32);
    int[] out = {7};
    index.findBatch(new byte[0], 0, 0, out);
    assertThat(out).containsExactly(7);
  }

  /** Counter layouts that would cluster if only one lane or no mixing picked the slot. */
  @ParameterizedTest
  @ValueSource(strings = {"leadingBigEndian", "trailingBigEndian", "secondLane", "littleEndian"})
  void find_sequentialKeys_allFoundAndSpread(String layout) {
    for (int keyBytes : new int[] {16, 20, 32}) {
      ExactIndex index = new ExactIndex(keyBytes, 0, 42);
      int n = 100_000;
      for (int i = 0; i < n; i++) {
        assertThat(index.append(sequentialKey(layout, keyBytes, i), 0)).isEqualTo(i);
      }
      for (int i = 0; i < n; i++) {
        assertThat(index.find(sequentialKey(layout, keyBytes, i), 0)).isEqualTo(i);
      }
      for (int i = n; i < n + 10_000; i++) {
        assertThat(index.find(sequentialKey(layout, keyBytes, i), 0)).isEqualTo(-1);
      }
      // 100k keys in 2^18 slots (load 0.38): random keys average ~0.3 slots from home.
      assertThat(index.tableCapacity()).isEqualTo(1 << 18);
      assertThat(index.meanProbeDistance()).as(layout + " " + keyBytes).isLessThan(0.6);
    }
  }

  private static byte[] sequentialKey(String layout, int keyBytes, long i) {
    ByteBuffer b = ByteBuffer.allocate(keyBytes);
    switch (layout) {
      case "leadingBigEndian" -> b.putLong(0, i);
      case "trailingBigEndian" -> b.putLong(keyBytes - 8, i);
      case "secondLane" -> b.putLong(8, i);
      case "littleEndian" -> b.order(ByteOrder.LITTLE_ENDIAN).putLong(0, i);
      default -> throw new IllegalArgumentException(layout);
    }
    return b.array();
  }

  @ParameterizedTest
  @ValueSource(ints = {16, 20, 32})
  void ramBytesUsed_atTenMillionLoadFactor_withinOneAndAHalfTimesRawKeyPlusId(int keyBytes) {
    // 10M entries sit in 2^24 slots (load 0.596); 625,000 in 2^20 slots is the same load.
    int n = 625_000;
    ExactIndex index = new ExactIndex(keyBytes, 0, 5);
    Random r = TestRandom.random(keyBytes);
    byte[] bulk = new byte[25_000 * keyBytes];
    for (int done = 0; done < n; done += 25_000) {
      r.nextBytes(bulk);
      index.appendAll(bulk, 0, 25_000);
    }
    assertThat(index.size()).isEqualTo(n);
    assertThat(index.tableCapacity()).isEqualTo(1 << 20);
    long raw = (long) (keyBytes + 4) * n; // key + 4-byte id
    long arrays = raw + 4L * index.tableCapacity(); // keys + chain + slots, no slack
    long slack = (long) (keyBytes + 4) * ExactIndex.PAGE_SIZE + 64 * 1024; // last page, dirs
    assertThat(index.ramBytesUsed()).isBetween(arrays, arrays + slack);
    assertThat(index.ramBytesUsed()).isLessThanOrEqualTo(raw * 3 / 2);
  }

  @Test
  void ramBytesUsed_growsWithEntries() {
    ExactIndex index = new ExactIndex(32);
    long empty = index.ramBytesUsed();
    index.append(new byte[32], 0);
    assertThat(empty).isPositive();
    assertThat(index.ramBytesUsed()).isGreaterThan(empty);
  }

  @Test
  void append_emptyThenKeys_ordinalsAreDense() {
    ExactIndex index = new ExactIndex(20, 1000);
    assertThat(index.size()).isZero();
    assertThat(index.keyBytes()).isEqualTo(20);
    assertThat(index.find(new byte[20], 0)).isEqualTo(-1);
    byte[] k = new byte[20];
    assertThat(index.append(k, 0)).isZero();
    assertThat(index.append(k, 0)).isEqualTo(1);
    index.appendAll(new byte[40], 0, 2);
    assertThat(index.size()).isEqualTo(4);
    assertThat(chain(index, index.find(k, 0))).containsExactly(3, 2, 1, 0);
  }

  @Test
  void constructor_keyBytesOutOfRange_throwsNamingBound() {
    assertThatThrownBy(() -> new ExactIndex(7))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("keyBytes must be in 8..32, got 7");
    assertThatThrownBy(() -> new ExactIndex(33)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void constructor_negativeExpectedSize_throws() {
    assertThatThrownBy(() -> new ExactIndex(16, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expectedSize");
  }

  @Test
  void accessors_outOfRangeArguments_throwIndexOutOfBounds() {
    ExactIndex index = new ExactIndex(16);
    index.append(new byte[16], 0);
    assertThatThrownBy(() -> index.find(new byte[16], 1))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> index.append(new byte[15], 0))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> index.nextSameKey(1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> index.nextSameKey(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> index.copyKey(1, new byte[16], 0))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> index.copyKey(0, new byte[16], 1))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> index.findBatch(new byte[32], 0, 3, new int[3]))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> index.findBatch(new byte[32], 0, 2, new int[1]))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> index.findBatch(new byte[32], 0, -1, new int[1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("count must be >= 0, got -1");
    assertThatThrownBy(() -> index.appendAll(new byte[32], 0, 3))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(index.size()).isEqualTo(1);
  }
}
