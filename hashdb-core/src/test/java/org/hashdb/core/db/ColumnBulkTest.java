package org.hashdb.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.hashdb.testing.TestRandom;

/** Bulk appends and copies of the columns against per-value appends and gets. */
class ColumnBulkTest {
  @Test
  void intColumnAppendAll_randomSlicesAcrossPages_sameAsAppendOneByOne() {
    SplittableRandom rnd = TestRandom.splittable(3);
    IntColumn bulk = new IntColumn();
    IntColumn oracle = new IntColumn();
    int[] src = new int[100_000];
    while (oracle.size() < 300_000) {
      int len = rnd.nextInt(src.length);
      int off = rnd.nextInt(src.length - len + 1);
      for (int i = 0; i < len; i++) {
        src[off + i] = rnd.nextInt();
        oracle.append(src[off + i]);
      }
      bulk.appendAll(src, off, len);
    }
    assertThat(bulk.size()).isEqualTo(oracle.size());
    int[] copy = new int[oracle.size() + 5];
    bulk.copyTo(0, copy, 5, oracle.size());
    for (int i = 0; i < oracle.size(); i++) {
      assertThat(bulk.get(i)).isEqualTo(oracle.get(i));
      assertThat(copy[5 + i]).isEqualTo(oracle.get(i));
    }
    int[] middle = new int[70_000];
    bulk.copyTo(65_000, middle, 0, middle.length); // starts mid-page, crosses a page
    for (int i = 0; i < middle.length; i++) {
      assertThat(middle[i]).isEqualTo(oracle.get(65_000 + i));
    }
  }

  @Test
  void shortColumnAppendAllAndRunEnd_runsAcrossPages_matchOracle() {
    SplittableRandom rnd = TestRandom.splittable(4);
    ShortColumn bulk = new ShortColumn();
    ShortColumn oracle = new ShortColumn();
    char[] src = new char[200_000];
    for (int i = 0; i < src.length; ) {
      int run = 1 + rnd.nextInt(rnd.nextBoolean() ? 3 : 90_000); // long runs cross pages
      char v = (char) rnd.nextInt(0x10000);
      for (int j = 0; j < run && i < src.length; j++, i++) {
        src[i] = v;
        oracle.append(v);
      }
    }
    bulk.appendAll(src, 0, 1000);
    bulk.appendAll(src, 1000, src.length - 1000);
    char[] copy = new char[src.length];
    bulk.copyTo(0, copy, 0, src.length);
    assertThat(copy).isEqualTo(src);
    for (int k = 0; k < 2000; k++) {
      int from = rnd.nextInt(src.length);
      int to = from + 1 + rnd.nextInt(src.length - from);
      int expected = from + 1;
      while (expected < to && oracle.get(expected) == oracle.get(from)) {
        expected++;
      }
      assertThat(bulk.runEnd(from, to)).as("runEnd(%d, %d)", from, to).isEqualTo(expected);
    }
  }

  @Test
  void columns_fewValues_holdAFewHundredBytesNotAPage() {
    IntColumn ints = new IntColumn();
    ShortColumn shorts = new ShortColumn();
    for (int i = 0; i < 100; i++) {
      ints.append(i * 7);
      shorts.append(i);
    }
    assertThat(ints.ramBytesUsed()).isLessThan(1_024);
    assertThat(shorts.ramBytesUsed()).isLessThan(1_024);
    for (int i = 0; i < 100; i++) {
      assertThat(ints.get(i)).isEqualTo(i * 7);
      assertThat(shorts.get(i)).isEqualTo(i);
    }
  }

  @Test
  void intColumn_growsPastFirstPage_keepsEveryValueAndCountsWholePages() {
    IntColumn ints = new IntColumn();
    int n = (1 << 16) + 10; // page 0 doubles up to a whole page, then page 1 starts
    for (int i = 0; i < n; i++) {
      ints.append(~i);
    }
    for (int i = 0; i < n; i++) {
      assertThat(ints.get(i)).isEqualTo(~i);
    }
    assertThat(ints.ramBytesUsed()).isBetween(4L * (1 << 16), 4L * (1 << 17) + 1_024);
  }
}
