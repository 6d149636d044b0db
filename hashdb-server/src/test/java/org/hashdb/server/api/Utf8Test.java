package org.hashdb.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.hashdb.testing.TestRandom;

class Utf8Test {
  /** The JDK's strict decoder is the oracle. */
  private static boolean jdkValid(byte[] b) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  @Test
  void firstInvalid_randomBytes_agreesWithJdkDecoder() {
    Random r = TestRandom.random(1);
    byte[] alphabet = {'a', '{', (byte) 0x80, (byte) 0xbf, (byte) 0xc2, (byte) 0xc0, (byte) 0xe0,
        (byte) 0xed, (byte) 0xa0, (byte) 0xf0, (byte) 0xf4, (byte) 0x90, (byte) 0xff, (byte) 0x8f};
    for (int round = 0; round < 100_000; round++) {
      byte[] b = new byte[r.nextInt(20)];
      for (int i = 0; i < b.length; i++) {
        b[i] = r.nextInt(4) == 0 ? (byte) r.nextInt(256) : alphabet[r.nextInt(alphabet.length)];
      }
      boolean valid = Utf8.firstInvalid(ByteBuffer.wrap(b)) < 0;
      assertThat(valid).as("bytes %s", java.util.Arrays.toString(b)).isEqualTo(jdkValid(b));
    }
  }

  @Test
  void firstInvalid_longAsciiThenBad_reportsIndex() {
    byte[] b = new byte[1001];
    java.util.Arrays.fill(b, (byte) 'x');
    b[1000] = (byte) 0xc3;
    assertThat(Utf8.firstInvalid(ByteBuffer.wrap(b))).isEqualTo(1000);
    b[1000] = 'y';
    assertThat(Utf8.firstInvalid(ByteBuffer.wrap(b))).isEqualTo(-1);
  }
}
