package org.hashdb.core.hash;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/** Hex and hash-type codecs of request paths, bodies and list files: only their documented errors. */
class HashCodecFuzzTest {
  @FuzzTest(maxDuration = "2m")
  void hexAndType(FuzzedDataProvider data) {
    String typeName = data.consumeString(12);
    String hex = data.consumeRemainingAsString();
    HashType type;
    try {
      type = HashType.parse(typeName);
    } catch (UnknownHashTypeException e) {
      type = HashType.values()[Math.floorMod(typeName.hashCode(), HashType.values().length)];
    }
    try {
      byte[] v = Hex.decode(type, hex);
      assertThat(v).hasSize(type.byteLength());
      assertThat(Hex.encode(v)).isEqualToIgnoringCase(hex);
    } catch (HashFormatException e) {
      assertThat(e.getMessage()).isNotEmpty();
    }
    for (int i = 0; i < hex.length(); i++) {
      char c = hex.charAt(i);
      int d = Hex.digit(c);
      assertThat(d >= 0).isEqualTo(Character.digit(c, 16) >= 0 && c < 128);
    }
  }
}
