package org.hashdb.core.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
}
