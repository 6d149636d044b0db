package org.hashdb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.hashdb.core.hash.HashFormatException;
import org.hashdb.core.hash.HashType;
import org.junit.jupiter.api.Test;

class QueryTest {
  @Test
  void constructor_wrongLength_namesTypeAndLength() {
    assertThatThrownBy(() -> Query.of(HashType.MD5, new byte[15]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("md5").hasMessageContaining("16").hasMessageContaining("15");
  }

  @Test
  void constructor_distanceOnExactOrOutOfRange_isRejected() {
    assertThatThrownBy(() -> new Query(HashType.SHA1, new byte[20], 3)).hasMessageContaining("maxDistance");
    assertThatThrownBy(() -> Query.pdq(new byte[32], 65)).hasMessageContaining("0..64");
    assertThat(Query.pdq(new byte[32], 64).maxDistance()).isEqualTo(64);
  }

  @Test
  void of_upperCaseHex_isNormalisedAndValueIsCopied() {
    Query q = Query.of(HashType.MD5, "00112233445566778899AABBCCDDEEFF");
    assertThat(q.hex()).isEqualTo("00112233445566778899aabbccddeeff");
    q.value()[0] = 9;
    assertThat(q.hex()).startsWith("00");
    assertThat(q).isEqualTo(Query.of(HashType.MD5, "00112233445566778899aabbccddeeff"));
    assertThatThrownBy(() -> Query.of(HashType.MD5, "zz")).isInstanceOf(HashFormatException.class);
  }
}
