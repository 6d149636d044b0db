package org.hashdb.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.hashdb.core.Accountable;
import org.junit.jupiter.api.Test;

/** The columns' memory figures through {@link Accountable}: the directory plus each page. */
class AccountableColumnsTest {
  @Test
  void helpers_arrayHeaderAndAlignment() {
    assertThat(Accountable.arrayBytes(0, 4)).isEqualTo(16);
    assertThat(Accountable.arrayBytes(1, 2)).isEqualTo(24); // 18 rounded up to 8
    assertThat(Accountable.arrayBytes(64, 4)).isEqualTo(16 + 256);
    assertThat(Accountable.referenceArrayBytes(3)).isEqualTo(16 + 24);
    assertThat(Accountable.sum(() -> 5, null, () -> 7)).isEqualTo(12);
  }

  @Test
  void columns_countDirectoryAndPages_page0GrowsByDoubling() {
    IntColumn ints = new IntColumn();
    ShortColumn shorts = new ShortColumn();
    assertThat(ints.ramBytesUsed()).isEqualTo(16);
    ints.append(1);
    shorts.append(1);
    assertThat(ints.ramBytesUsed()).isEqualTo(16 + 8 + 16 + 64 * 4);
    assertThat(shorts.ramBytesUsed()).isEqualTo(16 + 8 + 16 + 64 * 2);
    for (int i = 1; i < 65; i++) {
      ints.append(i);
    }
    assertThat(ints.ramBytesUsed()).isEqualTo(16 + 8 + 16 + 128 * 4);
    assertThat(ints.get(64)).isEqualTo(64);
    int[] all = new int[65];
    ints.copyTo(0, all, 0, 65);
    assertThat(all[0]).isEqualTo(1);
    assertThat(all[64]).isEqualTo(64);
  }
}
