package org.hashdb.core.pdq;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;

/**
 * Image decoding in the hasher (JPEG, PNG, GIF, BMP, WebP, TIFF via ImageIO and TwelveMonkeys)
 * on arbitrary bytes, under a pixel budget: a bad image is an {@link IOException}
 * (ImageDecodeException), never a crash, an out-of-memory or a hang.
 */
class ImageDecodeFuzzTest {
  /** Decoded pixels allowed per image: a small budget, so huge declared sizes must be refused. */
  private static final long MAX_PIXELS = 1 << 20;
  private static final PdqHasher HASHER = new PdqHasher(MAX_PIXELS);

  @FuzzTest(maxDuration = "2m")
  void decodeAndHash(byte[] input) {
    try {
      PdqHash h = HASHER.hash(input, 0, input.length);
      assertThat(h.quality()).isBetween(0, 100);
    } catch (IOException expected) {
      // not an image this hasher decodes, or over the budget
    }
  }
}
