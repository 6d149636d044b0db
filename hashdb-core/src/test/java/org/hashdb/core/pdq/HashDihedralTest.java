package org.hashdb.core.pdq;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.hashdb.testing.TestRandom;

class HashDihedralTest {
  private static PdqHash[] exactVariants(String resource) throws IOException {
    try (InputStream in = HashDihedralTest.class.getResourceAsStream("/pdq/" + resource)) {
      assertThat(in).as(resource).isNotNull();
      return new PdqHasher().hashDihedral(javax.imageio.ImageIO.read(in));
    }
  }

  private static PdqHash plain(String resource) throws IOException {
    try (InputStream in = HashDihedralTest.class.getResourceAsStream("/pdq/" + resource)) {
      return new PdqHasher().hash(in);
    }
  }

  @Test
  void variants_originalIsIdentity_andEachTransformIsAPermutationWithFlips() {
    byte[] h = new byte[32];
    TestRandom.random(9).nextBytes(h);
    byte[][] v = HashDihedral.variants(h, 0);
    assertThat(v[0]).isEqualTo(h);
    // Applying a transpose-only variant twice gives the input back.
    assertThat(HashDihedral.variants(v[Dihedral.FLIP_PLUS_1.ordinal()], 0)[Dihedral.FLIP_PLUS_1.ordinal()])
        .isEqualTo(h);
    // rot90 four times is the identity.
    byte[] r = h;
    for (int i = 0; i < 4; i++) {
      r = HashDihedral.variants(r, 0)[Dihedral.ROTATE_90.ordinal()];
    }
    assertThat(r).isEqualTo(h);
  }

  /** The bit-level approximation stays close to the exact (coefficient-level) variants. */
  @Test
  void variants_ofBridgeHash_closeToExactDihedralHashes() throws IOException {
    PdqHash[] exact = exactVariants("bridge-1-original.jpg");
    byte[][] approx = HashDihedral.variants(exact[0].hash(), 0);
    for (Dihedral d : Dihedral.values()) {
      int dist = PdqBits.distance(approx[d.ordinal()], 0, exact[d.ordinal()].hash(), 0);
      // Measured 0, 14, 2, 4, 4, 14, 0, 2 bits (orig..flipminus1) on this image; threshold 31.
      assertThat(dist).as("%s", d.referenceName()).isLessThanOrEqualTo(20);
    }
  }

  /** The use case: a rotated copy is found from the original's hash alone. */
  @Test
  void variants_ofOriginalHash_matchHashesOfRotatedFiles() throws IOException {
    byte[] orig = plain("bridge-1-original.jpg").hash();
    byte[][] approx = HashDihedral.variants(orig, 0);
    String[][] files = {
        {"bridge-2-rotate-90.jpg", "ROTATE_90"},
        {"bridge-3-rotate-180.jpg", "ROTATE_180"},
        {"bridge-5-flipx.jpg", "FLIP_X"},
        {"bridge-7-flip-plus-1.jpg", "FLIP_PLUS_1"}};
    for (String[] f : files) {
      byte[] rotated = plain(f[0]).hash();
      int viaVariant = PdqBits.distance(approx[Dihedral.valueOf(f[1]).ordinal()], 0, rotated, 0);
      int plainDistance = PdqBits.distance(orig, 0, rotated, 0);
      // Measured: rot90 14 bits (plain 120), rot180 8 (128), flipx 8 (124), flipplus1 0 (106).
      assertThat(viaVariant).as(f[0]).isLessThanOrEqualTo(20);
      assertThat(plainDistance).as("%s without dihedral matching", f[0]).isGreaterThan(31);
    }
  }
}
