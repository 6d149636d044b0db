package org.hashdb.core.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.hashdb.testing.TestRandom;

class HexTest {

  @Test
  void decode_mixedCase_roundTripsToLowercase() {
    String upper = "D41D8CD98F00B204E9800998ECF8427E";
    byte[] v = Hex.decode(HashType.MD5, upper);
    assertThat(v).hasSize(16);
    assertThat(Hex.encode(v)).isEqualTo(upper.toLowerCase());
  }

  @Test
  void decode_randomValues_roundTrip() {
    Random r = TestRandom.random(42);
    for (HashType t : HashType.values()) {
      for (int i = 0; i < 100; i++) {
        byte[] v = new byte[t.byteLength()];
        r.nextBytes(v);
        assertThat(Hex.decode(t, Hex.encode(v))).isEqualTo(v);
      }
    }
  }

  @Test
  void decode_wrongLength_namesExpectedAndActual() {
    assertThatThrownBy(() -> Hex.decode(HashType.SHA1, "abcd"))
        .isInstanceOf(HashFormatException.class)
        .hasMessage("sha1 hash must have 40 hex digits, got 4");
  }

  @Test
  void decode_empty_saysEmpty() {
    assertThatThrownBy(() -> Hex.decode(HashType.SHA256, ""))
        .isInstanceOf(HashFormatException.class)
        .hasMessage("empty sha256 hash");
  }

  @Test
  void decode_nonAsciiOrNonHex_namesPosition() {
    String bad = "0".repeat(31) + "g";
    assertThatThrownBy(() -> Hex.decode(HashType.MD5, bad))
        .isInstanceOf(HashFormatException.class)
        .hasMessageContaining("position 31");
    // Fullwidth digit '０' (U+FF10) is a Unicode digit but not ASCII hex.
    String unicode = "\uFF10" + "0".repeat(31);
    assertThatThrownBy(() -> Hex.decode(HashType.MD5, unicode))
        .isInstanceOf(HashFormatException.class)
        .hasMessageContaining("position 0");
  }

  @Test
  void parse_typeNames_caseInsensitive_unknownRejected() {
    assertThat(HashType.parse("SHA256")).isEqualTo(HashType.SHA256);
    assertThat(HashType.parse("pdq")).isEqualTo(HashType.PDQ);
    assertThatThrownBy(() -> HashType.parse("crc32"))
        .isInstanceOf(UnknownHashTypeException.class)
        .hasMessageContaining("crc32");
  }
}
