package org.hashdb.core.content;

import static org.hashdb.core.content.MagicBytes.ascii;
import static org.hashdb.core.content.MagicBytes.u;

/**
 * Recognises image files by their first bytes, so that PDQ decoding is only tried on content
 * that claims to be an image: JPEG, PNG, GIF, BMP, WebP and TIFF.
 */
final class ImageMagic {
  /** Bytes needed to recognise every supported format (WebP: "RIFF" size "WEBP"). */
  static final int HEAD_BYTES = 12;

  private ImageMagic() {}

  /** True when {@code head[0..len)} starts like a supported image format. */
  static boolean looksLikeImage(byte[] head, int len) {
    if (len >= 3 && u(head, 0) == 0xff && u(head, 1) == 0xd8 && u(head, 2) == 0xff) {
      return true; // JPEG SOI + marker
    }
    if (len >= 8 && u(head, 0) == 0x89 && ascii(head, 1, "PNG")
        && u(head, 4) == 0x0d && u(head, 5) == 0x0a && u(head, 6) == 0x1a && u(head, 7) == 0x0a) {
      return true;
    }
    if (len >= 6 && (ascii(head, 0, "GIF87a") || ascii(head, 0, "GIF89a"))) {
      return true;
    }
    if (len >= 2 && ascii(head, 0, "BM")) {
      return true;
    }
    if (len >= 12 && ascii(head, 0, "RIFF") && ascii(head, 8, "WEBP")) {
      return true;
    }
    return len >= 4 && (ascii(head, 0, "II") && u(head, 2) == 42 && u(head, 3) == 0
        || ascii(head, 0, "MM") && u(head, 2) == 0 && u(head, 3) == 42);
  }
}
