package org.hashdb.core.video;

import static org.hashdb.core.content.MagicBytes.ascii;
import static org.hashdb.core.content.MagicBytes.u;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Recognises video containers by their first bytes (never by file name): ISO BMFF (MP4, MOV, 3GP,
 * M4V: "ftyp" at offset 4), Matroska/WebM (EBML), AVI, FLV, ASF/WMV, MPEG program stream and MPEG
 * transport stream (sync byte every 188 bytes).
 */
public final class VideoMagic {
  /** Bytes to read to recognise every supported container (three TS packets' sync bytes). */
  public static final int HEAD_BYTES = 377;

  private static final byte[] ASF = {0x30, 0x26, (byte) 0xb2, 0x75, (byte) 0x8e, 0x66, (byte) 0xcf, 0x11};

  private VideoMagic() {}

  /** True when {@code head[0..len)} starts like a supported video container. */
  public static boolean looksLikeVideo(byte[] head, int len) {
    if (len >= 12 && ascii(head, 4, "ftyp")) {
      return !isImageBrand(head); // HEIF/AVIF images are ISO BMFF too
    }
    if (len >= 4 && u(head, 0) == 0x1a && u(head, 1) == 0x45 && u(head, 2) == 0xdf && u(head, 3) == 0xa3) {
      return true; // EBML: Matroska, WebM
    }
    if (len >= 12 && ascii(head, 0, "RIFF") && ascii(head, 8, "AVI ")) {
      return true;
    }
    if (len >= 4 && ascii(head, 0, "FLV") && u(head, 3) == 1) {
      return true;
    }
    if (len >= ASF.length && java.util.Arrays.equals(head, 0, ASF.length, ASF, 0, ASF.length)) {
      return true;
    }
    if (len >= 4 && u(head, 0) == 0 && u(head, 1) == 0 && u(head, 2) == 1 && u(head, 3) == 0xba) {
      return true; // MPEG-PS pack header
    }
    return len >= 377 && u(head, 0) == 0x47 && u(head, 188) == 0x47 && u(head, 376) == 0x47;
  }

  /** Reads the first bytes of {@code file} and checks them. */
  public static boolean looksLikeVideo(Path file) throws IOException {
    byte[] head = new byte[HEAD_BYTES];
    int n = 0;
    try (InputStream in = Files.newInputStream(file)) {
      int r;
      while (n < head.length && (r = in.read(head, n, head.length - n)) > 0) {
        n += r;
      }
    }
    return looksLikeVideo(head, n);
  }

  private static boolean isImageBrand(byte[] head) {
    return ascii(head, 8, "avif") || ascii(head, 8, "avis") || ascii(head, 8, "heic")
        || ascii(head, 8, "heix") || ascii(head, 8, "mif1") || ascii(head, 8, "msf1");
  }
}
