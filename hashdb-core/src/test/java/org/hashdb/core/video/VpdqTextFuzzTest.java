package org.hashdb.core.video;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hashdb.core.hash.HashFormatException;

/**
 * vPDQ text, the per-video hash lists that {@code hashdb import} reads: a bad file is a {@link
 * HashFormatException} naming the line; a file that reads is written back as text that reads
 * again to the same frames.
 */
class VpdqTextFuzzTest {
  @FuzzTest(maxDuration = "2m")
  void vpdqText(byte[] input) throws IOException {
    List<VpdqFrame> frames;
    try {
      frames = VpdqText.read(new StringReader(new String(input, StandardCharsets.UTF_8)));
    } catch (HashFormatException e) {
      assertThat(e.getMessage()).isNotEmpty();
      return;
    }
    assertThat(frames.size()).isLessThanOrEqualTo(VpdqText.MAX_FRAMES);
    StringWriter once = new StringWriter();
    VpdqText.write(frames, once);
    List<VpdqFrame> again = VpdqText.read(new StringReader(once.toString()));
    StringWriter twice = new StringWriter();
    VpdqText.write(again, twice);
    assertThat(twice.toString()).isEqualTo(once.toString());
  }
}
