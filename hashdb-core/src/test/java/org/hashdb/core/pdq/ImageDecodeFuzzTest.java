package org.hashdb.core.pdq;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;

/**
 * Image decoding in the hasher (JPEG, PNG, GIF, BMP, WebP, TIFF via ImageIO and TwelveMonkeys)
 * on arbitrary bytes, under a pixel and a byte budget: a bad image is an {@link IOException}
 * (ImageDecodeException), never a crash, an out-of-memory or a hang.
 */
class ImageDecodeFuzzTest {
  /** Decoded pixels allowed per image: a small budget, so huge declared sizes must be refused. */
  private static final long MAX_PIXELS = 1 << 20;
  /** Decoded bytes allowed per image: below 4 bytes x MAX_PIXELS, so both budgets are reached. */
  private static final long MAX_DECODE_BYTES = 2L << 20;
  private static final PdqHasher HASHER = new PdqHasher(MAX_PIXELS, MAX_DECODE_BYTES);

  @FuzzTest(maxDuration = "2m")
  void decodeAndHash(byte[] input) {
    try {
      PdqHash h = HASHER.hash(input, 0, input.length);
      assertThat(h.quality()).isBetween(0, 100);
    } catch (IOException expected) {
      // not an image this hasher decodes, or over a budget
    }
  }
}
