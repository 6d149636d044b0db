package org.hashdb.core.pdq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;
import org.junit.jupiter.api.Test;
import org.hashdb.testing.TestRandom;

/** The reference tool's published norms, slot norms and pair distances (hamming-*.tsv). */
class PdqBitsTest {
  @Test
  void bitCountAndWord_publishedNorms_reproducedExactly() {
    List<String[]> rows = PdqTestData.tsv("hamming-norms.tsv");
    assertThat(rows).hasSize(6);
    for (String[] r : rows) {
      byte[] h = Hex.decode(HashType.PDQ, r[0]);
      assertThat(PdqBits.bitCount(h, 0)).as(r[0]).isEqualTo(Integer.parseInt(r[1]));
      assertThat(PdqHash.ofHex(r[0], 0).bitCount()).isEqualTo(Integer.parseInt(r[1]));
      for (int k = 0; k < 16; k++) {
        assertThat(Integer.bitCount(PdqBits.word(h, 0, k))).as("%s slot %d", r[0], k)
            .isEqualTo(Integer.parseInt(r[2 + k]));
      }
    }
  }

  @Test
  void distance_publishedPairs_reproducedExactly() {
    List<String[]> rows = PdqTestData.tsv("hamming-pairs.tsv");
    assertThat(rows).hasSize(36);
    for (String[] r : rows) {
      int expected = Integer.parseInt(r[2]);
      assertThat(PdqHash.ofHex(r[0], 0).distance(PdqHash.ofHex(r[1], 0))).as("%s %s", r[0], r[1])
          .isEqualTo(expected);
    }
  }

  @Test
  void word_randomHashes_isHexGroupFromTheRight() {
    Random random = TestRandom.random(42);
    for (int i = 0; i < 1000; i++) {
      byte[] h = new byte[32];
      random.nextBytes(h);
      String hex = Hex.encode(h);
      for (int k = 0; k < 16; k++) {
        assertThat(PdqBits.word(h, 0, k))
            .isEqualTo(Integer.parseInt(hex.substring(60 - 4 * k, 64 - 4 * k), 16));
      }
    }
  }
}
