package org.hashdb.core.exact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.hashdb.testing.TestRandom;

/** Lock-free readers check invariants while one writer appends and the table doubles. */
class ExactIndexConcurrencyTest {
  private static final int KEY_BYTES = 20;

  @Test
  void readers_whileWriterAppendsAndGrows_seeConsistentIndex() throws Exception {
    int n = 400_000;
    Random r = TestRandom.random(11);
    byte[] keys = new byte[n * KEY_BYTES]; // key of ordinal o at o * KEY_BYTES
    for (int o = 0; o < n; o++) {
      if (o > 0 && r.nextInt(8) == 0) { // duplicate of an older ordinal
        System.arraycopy(keys, r.nextInt(o) * KEY_BYTES, keys, o * KEY_BYTES, KEY_BYTES);
      } else {
        for (int i = 0; i < KEY_BYTES; i++) {
          keys[o * KEY_BYTES + i] = (byte) r.nextInt();
        }
        keys[o * KEY_BYTES] |= 1; // absent keys below have this bit clear
      }
    }
    ExactIndex index = new ExactIndex(KEY_BYTES, 0, 17); // starts at 16 slots: ~15 doublings
    AtomicBoolean done = new AtomicBoolean();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    AtomicLong checks = new AtomicLong();
    AtomicLong sizesSeenDuringWrites = new AtomicLong();
    List<Thread> readers = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      long seed = 100 + t;
      Thread reader =
          new Thread(
              () -> {
                try {
                  read(index, keys, new SplittableRandom(seed), done, checks, sizesSeenDuringWrites);
                } catch (Throwable e) {
                  failures.add(e);
                }
              });
      reader.start();
      readers.add(reader);
    }
    for (int o = 0; o < n; ) {
      if (r.nextInt(50) == 0) {
        int count = Math.min(n - o, 1 + r.nextInt(5000));
        index.appendAll(keys, o * KEY_BYTES, count);
        o += count;
      } else {
        assertThat(index.append(keys, o * KEY_BYTES)).isEqualTo(o);
        o++;
      }
    }
    done.set(true);
    for (Thread reader : readers) {
      reader.join(60_000);
      assertThat(reader.isAlive()).isFalse();
    }
    assertThat(failures).isEmpty();
    assertThat(index.size()).isEqualTo(n);
    assertThat(sizesSeenDuringWrites.get()).as("reads overlapped the writes").isPositive();
    // How many checks fit in depends on how much CPU the readers got (CI machines are shared).
    assertThat(checks.get()).as("readers checked entries").isPositive();
  }

  private static void read(
      ExactIndex index,
      byte[] keys,
      SplittableRandom r,
      AtomicBoolean done,
      AtomicLong checks,
      AtomicLong sizesSeenDuringWrites) {
    byte[] got = new byte[KEY_BYTES];
    byte[] batch = new byte[64 * KEY_BYTES];
    int[] ords = new int[64];
    int[] out = new int[64];
    long local = 0;
    boolean last = false;
    while (!last) {
      last = done.get(); // one full round after the writer finished
      int size = index.size();
      if (size == 0) {
        continue;
      }
      if (!last) {
        sizesSeenDuringWrites.incrementAndGet();
      }
      // find: an ordinal below size() is found through the newest ordinal with its key
      int o = r.nextInt(size);
      int head = index.find(keys, o * KEY_BYTES);
      check(head >= o, "find returned %d for ordinal %d below size %d", head, o, size);
      boolean seen = false;
      for (int c = head, prev = Integer.MAX_VALUE; c >= 0; prev = c, c = index.nextSameKey(c)) {
        check(c < prev, "chain not strictly decreasing at %d after %d", c, prev);
        index.copyKey(c, got, 0);
        check(
            Arrays.equals(got, 0, KEY_BYTES, keys, o * KEY_BYTES, (o + 1) * KEY_BYTES),
            "ordinal %d in the chain of %d has another key",
            c,
            o);
        seen |= c == o;
      }
      check(seen, "ordinal %d missing from its key's chain", o);
      // an absent key
      byte[] absent = new byte[KEY_BYTES];
      for (int i = 0; i < KEY_BYTES; i++) {
        absent[i] = (byte) r.nextInt();
      }
      absent[0] &= ~1;
      check(index.find(absent, 0) == -1, "absent key found");
      // batch: every result at least the sampled ordinal and with the same key
      for (int i = 0; i < 64; i++) {
        ords[i] = r.nextInt(size);
        System.arraycopy(keys, ords[i] * KEY_BYTES, batch, i * KEY_BYTES, KEY_BYTES);
      }
      index.findBatch(batch, 0, 64, out);
      for (int i = 0; i < 64; i++) {
        check(out[i] >= ords[i], "batch %d: %d below sampled ordinal %d", i, out[i], ords[i]);
        index.copyKey(out[i], got, 0);
        check(
            Arrays.equals(got, 0, KEY_BYTES, batch, i * KEY_BYTES, (i + 1) * KEY_BYTES),
            "batch %d: ordinal %d has another key",
            i,
            out[i]);
      }
      local++;
    }
    checks.addAndGet(local);
  }

  private static void check(boolean ok, String format, Object... args) {
    if (!ok) {
      throw new AssertionError(String.format(format, args));
    }
  }
}
