package org.hashdb.core.pdq;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The published reference values of expected.tsv (see NOTICE.md in the test resources). */
class PdqHasherReferenceTest {
  private final PdqHasher hasher = new PdqHasher();

  static Stream<Arguments> expected() {
    List<String[]> rows = PdqTestData.tsv("expected.tsv");
    assertThat(rows).hasSize(21);
    return rows.stream().map(r -> Arguments.of(r[0], r[1], Integer.parseInt(r[2])));
  }

  static Stream<Arguments> expectedUseful() {
    return expected().filter(a -> (int) a.get()[2] >= PdqHash.MIN_USEFUL_QUALITY);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("expected")
  void hash_referenceImage_qualityMatches(String file, String hex, int quality) throws IOException {
    assertThat(hasher.hash(PdqTestData.file(file)).quality()).isEqualTo(quality);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("expectedUseful")
  void hash_referenceImageOfUsefulQuality_matchesExactly(String file, String hex, int quality)
      throws IOException {
    assertThat(hasher.hash(PdqTestData.file(file)).hex()).isEqualTo(hex);
  }

  @Test
  void hash_referenceImagesOfUsefulQuality_coverAllButTwo() {
    assertThat(expectedUseful().count()).isEqualTo(19);
  }

  @Test
  void hash_lowQualityImages_stayNearReference() throws IOException {
    // Below quality 50 hashes depend on the JPEG decoder (README): small.jpg is stable across
    // every published implementation; q0003.jpg (quality 3) measured 12 bits from the C++
    // value with JDK ImageIO, as the brief reports. Bound = measured + 4.
    assertThat(distance("small.jpg")).isZero();
    assertThat(distance("q0003.jpg")).isLessThanOrEqualTo(16);
  }

  @Test
  void hash_inputStream_equalsPath() throws IOException {
    for (String file : new String[] {"bridge-1-original.jpg", "c.png", "LA.png", "wee.jpg"}) {
      try (InputStream in = Files.newInputStream(PdqTestData.file(file))) {
        assertThat(hasher.hash(in)).as(file).isEqualTo(hasher.hash(PdqTestData.file(file)));
      }
    }
  }

  @Test
  void hash_byteArraySlice_equalsPath() throws IOException {
    byte[] data = Files.readAllBytes(PdqTestData.file("q0291.jpg"));
    byte[] padded = new byte[data.length + 20];
    System.arraycopy(data, 0, padded, 7, data.length);
    assertThat(hasher.hash(padded, 7, data.length))
        .isEqualTo(hasher.hash(PdqTestData.file("q0291.jpg")));
  }

  private int distance(String file) throws IOException {
    String hex = PdqTestData.tsv("expected.tsv").stream()
        .filter(r -> r[0].equals(file)).findFirst().orElseThrow()[1];
    return hasher.hash(PdqTestData.file(file)).distance(PdqHash.ofHex(hex, 0));
  }
}
