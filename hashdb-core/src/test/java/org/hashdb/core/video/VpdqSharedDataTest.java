package org.hashdb.core.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Meta's sample vPDQ files: the text round trip (percentages: VideoDatabaseTest). */
class VpdqSharedDataTest {
  @Test
  void textRoundTripsByteForByte() throws Exception {
    for (String name : List.of(VpdqTestData.CHAIR_19, VpdqTestData.CHAIR_22_SEPIA, VpdqTestData.CHAIR_22_LOGO)) {
      List<VpdqFrame> frames = VpdqTestData.frames(name);
      StringWriter w = new StringWriter();
      VpdqText.write(frames, w);
      assertEquals(Files.readString(VpdqTestData.file(name), StandardCharsets.UTF_8), w.toString(), name);
    }
    assertEquals(564, VpdqTestData.frames(VpdqTestData.CHAIR_19).size());
  }

  /** A timestamp whose text would not fit a line (found by VpdqTextFuzzTest) is refused. */
  @Test
  void timestampThatCouldNotBeWrittenBackIsRefused() throws Exception {
    String hash = "ab".repeat(32);
    org.hashdb.core.hash.HashFormatException e = assertThrows(
        org.hashdb.core.hash.HashFormatException.class,
        () -> VpdqText.read(new StringReader("0,100," + hash + ",1e300\n")));
    assertTrue(e.getMessage().startsWith("line 1: timestamp"), e.getMessage());
    List<VpdqFrame> ok = VpdqText.read(new StringReader("0,100," + hash + ",1e9\n"));
    StringWriter w = new StringWriter();
    VpdqText.write(ok, w);
    assertEquals("0,100," + hash + ",1000000000.000\n", w.toString());
  }
}
