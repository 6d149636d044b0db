package org.hashdb.client.cli;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * A valid PNG of all-black pixels, written row by row without a pixel buffer: a few hundred KB
 * on disk for hundreds of MB decoded (an "image bomb").
 */
final class PngBomb {
  private PngBomb() {}

  /**
   * @param colorType PNG colour type: 0 grey, 2 RGB, 6 RGBA
   * @param bitDepth 8 or 16
   */
  static Path write(Path file, int width, int height, int colorType, int bitDepth) throws IOException {
    int channels = switch (colorType) {
      case 0 -> 1;
      case 2 -> 3;
      case 6 -> 4;
      default -> throw new IllegalArgumentException("colour type " + colorType);
    };
    int rowBytes = 1 + width * channels * bitDepth / 8; // filter byte + samples
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(Deflater.BEST_COMPRESSION), 1 << 16)) {
      byte[] row = new byte[rowBytes];
      for (int y = 0; y < height; y++) {
        z.write(row);
      }
    }
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
      out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
      ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
      DataOutputStream h = new DataOutputStream(ihdr);
      h.writeInt(width);
      h.writeInt(height);
      h.writeByte(bitDepth);
      h.writeByte(colorType);
      h.writeByte(0); // deflate
      h.writeByte(0); // adaptive filtering
      h.writeByte(0); // no interlace
      chunk(out, "IHDR", ihdr.toByteArray());
      chunk(out, "IDAT", idat.toByteArray());
      chunk(out, "IEND", new byte[0]);
    }
    return file;
  }

  private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.writeInt(data.length);
    out.write(t);
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeInt((int) crc.getValue());
  }

}
