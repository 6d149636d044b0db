package org.hashdb.core.pdq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hashdb.testing.TestRandom;

class PdqHasherTest {
  private static final String BRIDGE = "bridge-1-original.jpg";

  private final PdqHasher hasher = new PdqHasher();

  @Test
  void hash_otherPixelModes_decodeAndLandNearBridge() throws IOException {
    // No published hashes exist for these (README). Measured with TwelveMonkeys 3.14.0 on
    // JDK 17 and 25: CMYK.jpg 2 bits, PA.webp 0, L.png 0 (raw grey samples; getRGB gives 14).
    // Bounds = measured + 2.
    PdqHash bridge = hasher.hash(PdqTestData.file(BRIDGE));
    assertThat(distanceAndQuality("modes/CMYK.jpg", bridge)).isLessThanOrEqualTo(4);
    assertThat(distanceAndQuality("modes/PA.webp", bridge)).isLessThanOrEqualTo(2);
    assertThat(distanceAndQuality("modes/L.png", bridge)).isLessThanOrEqualTo(2);
  }

  @Test
  void decode_greyPng_isSingleChannelGrey() throws IOException {
    // Guards the premise of the L.png check: it must take the raw-grey path, not RGB.
    BufferedImage grey = hasher.decode(PdqTestData.file("modes/L.png"));
    assertThat(grey.getColorModel().getNumColorComponents()).isEqualTo(1);
  }

  @Test
  void hash_sameRgbInDifferentLayouts_identical() {
    BufferedImage base = noise(TestRandom.random(1), 300, 200, BufferedImage.TYPE_3BYTE_BGR);
    PdqHash expected = hasher.hash(base);
    assertThat(expected.quality()).isEqualTo(100);
    for (int type : new int[] {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB,
        BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_INT_BGR}) {
      assertThat(hasher.hash(copy(base, type))).as("type %d", type).isEqualTo(expected);
    }
  }

  @Test
  void hash_subimage_equalsCopyOfRegion() {
    BufferedImage base = noise(TestRandom.random(2), 400, 300, BufferedImage.TYPE_3BYTE_BGR);
    BufferedImage sub = base.getSubimage(37, 51, 250, 180);
    assertThat(hasher.hash(sub)).isEqualTo(hasher.hash(copy(sub, BufferedImage.TYPE_3BYTE_BGR)));
    BufferedImage grey = noise(TestRandom.random(3), 400, 300, BufferedImage.TYPE_BYTE_GRAY);
    BufferedImage greySub = grey.getSubimage(5, 9, 200, 210);
    BufferedImage greyCopy = new BufferedImage(200, 210, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 210; y++) {
      for (int x = 0; x < 200; x++) {
        greyCopy.getRaster().setSample(x, y, 0, greySub.getRaster().getSample(x, y, 0));
      }
    }
    assertThat(hasher.hash(greySub)).isEqualTo(hasher.hash(greyCopy));
  }

  @Test
  void hash_sixteenBitGrey_usesHighByte() {
    BufferedImage grey8 = noise(TestRandom.random(4), 150, 170, BufferedImage.TYPE_BYTE_GRAY);
    BufferedImage grey16 = new BufferedImage(150, 170, BufferedImage.TYPE_USHORT_GRAY);
    Random low = TestRandom.random(5);
    for (int y = 0; y < 170; y++) {
      for (int x = 0; x < 150; x++) {
        int v = grey8.getRaster().getSample(x, y, 0);
        grey16.getRaster().setSample(x, y, 0, (v << 8) | low.nextInt(256));
      }
    }
    assertThat(hasher.hash(grey16)).isEqualTo(hasher.hash(grey8));
  }

  @Test
  void hash_sixteenBitRgb_usesHighBytes() {
    BufferedImage rgb8 = noise(TestRandom.random(10), 130, 90, BufferedImage.TYPE_3BYTE_BGR);
    BufferedImage rgb16 = componentImage(ColorSpace.getInstance(ColorSpace.CS_sRGB), 130, 90,
        DataBuffer.TYPE_USHORT);
    Random low = TestRandom.random(11);
    for (int y = 0; y < 90; y++) {
      for (int x = 0; x < 130; x++) {
        for (int b = 0; b < 3; b++) {
          int v = (rgb8.getRGB(x, y) >> (16 - 8 * b)) & 0xff; // b = 0, 1, 2: R, G, B
          rgb16.getRaster().setSample(x, y, b, (v << 8) | low.nextInt(256));
        }
      }
    }
    assertThat(hasher.hash(rgb16)).isEqualTo(hasher.hash(rgb8));
  }

  @Test
  void hash_rgbInOtherColourSpace_usesRawSamplesWithoutConversion() {
    // The reference ignores ICC profiles: samples tagged linear RGB hash as if they were sRGB.
    BufferedImage srgb = noise(TestRandom.random(12), 120, 100, BufferedImage.TYPE_3BYTE_BGR);
    BufferedImage linear = componentImage(ColorSpace.getInstance(ColorSpace.CS_LINEAR_RGB),
        120, 100, DataBuffer.TYPE_BYTE);
    for (int y = 0; y < 100; y++) {
      for (int x = 0; x < 120; x++) {
        int p = srgb.getRGB(x, y);
        linear.getRaster().setPixel(x, y, new int[] {(p >> 16) & 0xff, (p >> 8) & 0xff, p & 0xff});
      }
    }
    assertThat(hasher.hash(linear)).isEqualTo(hasher.hash(srgb));
  }

  @Test
  void hash_tinyImage_allZeroQualityZero() {
    PdqHash tiny = hasher.hash(noise(TestRandom.random(6), 4, 300, BufferedImage.TYPE_3BYTE_BGR));
    assertThat(tiny.hash()).containsOnly(0);
    assertThat(tiny.quality()).isZero();
    PdqHash five = hasher.hash(noise(TestRandom.random(6), 5, 5, BufferedImage.TYPE_3BYTE_BGR));
    assertThat(five.bitCount()).isPositive();
  }

  @Test
  void hash_bufferReuseAcrossSizes_sameAsFresh() throws IOException {
    BufferedImage small = hasher.decode(PdqTestData.file("q1050.jpg"));
    BufferedImage big = hasher.decode(PdqTestData.file(BRIDGE));
    BufferedImage wide = noise(TestRandom.random(8), 2000, 90, BufferedImage.TYPE_3BYTE_BGR);
    PdqHash s1 = hasher.hash(small);
    PdqHash b1 = hasher.hash(big);
    PdqHash w1 = hasher.hash(wide);
    assertThat(hasher.hash(small)).isEqualTo(s1);
    assertThat(hasher.hash(big)).isEqualTo(b1);
    assertThat(new PdqHasher().hash(wide)).isEqualTo(w1);
  }

  @Test
  void hash_concurrentThreads_sameAsSequential() throws Exception {
    List<Path> files = new ArrayList<>();
    for (String[] r : PdqTestData.tsv("expected.tsv")) {
      files.add(PdqTestData.file(r[0]));
    }
    List<PdqHash> sequential = new ArrayList<>();
    for (Path f : files) {
      sequential.add(hasher.hash(f));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<PdqHash>> futures = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        for (Path f : files) {
          futures.add(pool.submit(() -> hasher.hash(f)));
        }
      }
      for (int i = 0; i < futures.size(); i++) {
        assertThat(futures.get(i).get()).isEqualTo(sequential.get(i % files.size()));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void hash_emptyInput_throwsDecodeException() {
    assertThatThrownBy(() -> hasher.hash(new ByteArrayInputStream(new byte[0])))
        .isInstanceOf(ImageDecodeException.class).hasMessageContaining("not an image");
  }

  @Test
  void hash_textBytes_throwsDecodeException() {
    byte[] text = "hello, this is not an image\n".repeat(100).getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> hasher.hash(new ByteArrayInputStream(text)))
        .isInstanceOf(ImageDecodeException.class).hasMessageContaining("not an image");
  }

  @Test
  void hash_truncatedImages_throwDecodeException() throws IOException {
    for (String f : new String[] {BRIDGE, "c.png", "LA.png", "modes/PA.webp", "modes/CMYK.jpg"}) {
      byte[] bytes = Files.readAllBytes(PdqTestData.file(f));
      for (int cut : new int[] {bytes.length / 2, 200, 12}) {
        byte[] truncated = Arrays.copyOf(bytes, cut);
        assertThatThrownBy(() -> hasher.hash(new ByteArrayInputStream(truncated)))
            .as("%s cut at %d", f, cut).isInstanceOf(ImageDecodeException.class);
        assertThatThrownBy(() -> hasher.hash(bytes, 0, cut))
            .as("%s slice of %d", f, cut).isInstanceOf(ImageDecodeException.class);
      }
    }
  }

  @Test
  void hash_jpegMissingOnlyEoiMarker_hashesLikeOriginal() throws IOException {
    // All pixel data present: refusing it would let anyone dodge PDQ by cutting two bytes.
    byte[] bytes = Files.readAllBytes(PdqTestData.file(BRIDGE));
    assertThat(bytes[bytes.length - 2] & 0xff).isEqualTo(0xff);
    assertThat(bytes[bytes.length - 1] & 0xff).isEqualTo(0xd9); // EOI
    assertThat(hasher.hash(bytes, 0, bytes.length - 2))
        .isEqualTo(hasher.hash(PdqTestData.file(BRIDGE)));
    assertThatThrownBy(() -> hasher.hash(bytes, 0, bytes.length - 100))
        .isInstanceOf(ImageDecodeException.class).hasMessageContaining("truncated");
  }

  @Test
  void losesData_decoderWarnings_classified() {
    assertThat(ImageDecoder.losesData("Truncated File - Missing EOI marker")).isFalse();
    assertThat(ImageDecoder.losesData("Corrupt JPEG data: premature end of data segment"))
        .isTrue();
    assertThat(ImageDecoder.losesData("Premature end of JPEG file")).isTrue();
    assertThat(ImageDecoder.losesData("Image file is truncated")).isTrue();
    assertThat(ImageDecoder.losesData("Ignoring unknown ICC profile")).isFalse();
  }

  @Test
  void hash_corruptedImageBodies_throwDecodeExceptionOrHash() throws IOException {
    // Random damage after the header: decoders must either fail cleanly or produce an image;
    // never a RuntimeException, hang or OOM.
    Random random = TestRandom.random(9);
    for (String f : new String[] {"q1050.jpg", "wee.jpg", "LA.png", "square-128x128.jpg"}) {
      byte[] bytes = Files.readAllBytes(PdqTestData.file(f));
      for (int round = 0; round < 25; round++) {
        byte[] damaged = bytes.clone();
        for (int i = 0; i < 20; i++) {
          damaged[20 + random.nextInt(damaged.length - 20)] = (byte) random.nextInt(256);
        }
        try {
          PdqHash h = round % 2 == 0 ? hasher.hash(new ByteArrayInputStream(damaged))
              : hasher.hash(damaged, 0, damaged.length);
          assertThat(h.hash()).hasSize(32);
        } catch (ImageDecodeException expected) {
          assertThat(expected.getMessage()).isNotBlank();
        }
      }
    }
  }

  @Test
  void hash_pngHeaderClaimingHugeSize_refusedBeforeDecoding() throws IOException {
    byte[] png = pngHeaderOnly(100_000, 100_000);
    assertThat(png.length).isLessThan(100);
    assertThatThrownBy(() -> hasher.hash(new ByteArrayInputStream(png)))
        .isInstanceOf(ImageDecodeException.class)
        .hasMessageContaining("100000x100000")
        .hasMessageContaining("10000000000 pixels")
        .hasMessageContaining("limit of " + PdqHasher.DEFAULT_MAX_PIXELS);
  }

  @Test
  void hash_gifAndBmpHeadersClaimingHugeSize_refusedBeforeDecoding() {
    ByteBuffer gif = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
    gif.put("GIF89a".getBytes(StandardCharsets.US_ASCII)).putShort((short) 65535)
        .putShort((short) 65535).put(new byte[] {0, 0, 0})
        .put((byte) 0x2c).putShort((short) 0).putShort((short) 0).putShort((short) 65535)
        .putShort((short) 65535).put(new byte[] {0, 8, 0, 0x3b});
    ByteBuffer bmp = ByteBuffer.allocate(54).order(ByteOrder.LITTLE_ENDIAN);
    bmp.put((byte) 'B').put((byte) 'M').putInt(54).putInt(0).putInt(54) // file header
        .putInt(40).putInt(100_000).putInt(100_000).putShort((short) 1).putShort((short) 24)
        .putInt(0).putInt(0).putInt(2835).putInt(2835).putInt(0).putInt(0); // BITMAPINFOHEADER
    byte[] gifBytes = Arrays.copyOf(gif.array(), gif.position());
    assertThatThrownBy(() -> hasher.hash(new ByteArrayInputStream(gifBytes)))
        .isInstanceOf(ImageDecodeException.class)
        .hasMessageContaining("65535x65535")
        .hasMessageContaining("limit of " + PdqHasher.DEFAULT_MAX_PIXELS);
    // The JDK BMP reader already rejects this header itself (claimed size versus file size).
    byte[] bmpBytes = Arrays.copyOf(bmp.array(), bmp.position());
    assertThatThrownBy(() -> hasher.hash(new ByteArrayInputStream(bmpBytes)))
        .isInstanceOf(ImageDecodeException.class).hasMessageContaining("BMP");
  }

  @Test
  void hash_imageOverConfiguredCap_refused(@TempDir Path dir) throws IOException {
    PdqHasher capped = new PdqHasher(1600L * 1004 - 1);
    assertThatThrownBy(() -> capped.hash(PdqTestData.file(BRIDGE)))
        .isInstanceOf(ImageDecodeException.class).hasMessageContaining("1600x1004");
    assertThat(new PdqHasher(1600L * 1004).hash(PdqTestData.file(BRIDGE)).quality())
        .isEqualTo(100);
  }

  @Test
  void hash_missingFile_throwsPlainIoException(@TempDir Path dir) {
    assertThatThrownBy(() -> hasher.hash(dir.resolve("missing.jpg")))
        .isInstanceOf(IOException.class).isNotInstanceOf(ImageDecodeException.class);
    assertThatThrownBy(() -> hasher.hash(dir)).isInstanceOf(IOException.class)
        .hasMessageContaining("directory");
  }

  @Test
  void hash_gifAndBmp_decodeViaImageIo(@TempDir Path dir) throws IOException {
    BufferedImage img = hasher.decode(PdqTestData.file("q1050.jpg"));
    PdqHash jpeg = hasher.hash(img);
    for (String format : new String[] {"bmp", "png", "tiff"}) {
      Path file = dir.resolve("x." + format);
      assertThat(ImageIO.write(img, format, file.toFile())).as(format).isTrue();
      assertThat(hasher.hash(file)).as(format).isEqualTo(jpeg);
    }
    Path gif = dir.resolve("x.gif");
    assertThat(ImageIO.write(img, "gif", gif.toFile())).isTrue();
    // GIF quantises to a 256-colour palette: near, not equal. Measured 2 bits; bound 8.
    assertThat(hasher.hash(gif).distance(jpeg)).isLessThanOrEqualTo(8);
  }

  @Test
  void constructor_nonPositiveCap_throws() {
    assertThatThrownBy(() -> new PdqHasher(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxPixels");
  }

  @Test
  void pdqHash_invalidArguments_throw() {
    assertThatThrownBy(() -> new PdqHash(new byte[31], 50))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> new PdqHash(new byte[32], 101))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("quality");
  }

  @Test
  void pdqHash_hexRoundTrip_lowercase() {
    String hex = PdqTestData.tsv("expected.tsv").get(0)[1];
    PdqHash h = PdqHash.ofHex(hex.toUpperCase(java.util.Locale.ROOT), 100);
    assertThat(h.hex()).isEqualTo(hex);
    assertThat(h).isEqualTo(PdqHash.ofHex(hex, 100)).hasSameHashCodeAs(PdqHash.ofHex(hex, 100));
  }

  private int distanceAndQuality(String file, PdqHash bridge) throws IOException {
    PdqHash h = hasher.hash(PdqTestData.file(file));
    assertThat(h.quality()).as(file).isEqualTo(100);
    return h.distance(bridge);
  }

  private static BufferedImage noise(Random random, int w, int h, int type) {
    BufferedImage img = new BufferedImage(w, h, type);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, random.nextInt() | 0xff000000);
      }
    }
    return img;
  }

  private static BufferedImage copy(BufferedImage src, int type) {
    BufferedImage dst = new BufferedImage(src.getWidth(), src.getHeight(), type);
    for (int y = 0; y < src.getHeight(); y++) {
      for (int x = 0; x < src.getWidth(); x++) {
        dst.setRGB(x, y, src.getRGB(x, y));
      }
    }
    return dst;
  }

  private static BufferedImage componentImage(ColorSpace cs, int w, int h, int dataType) {
    ComponentColorModel cm =
        new ComponentColorModel(cs, false, false, Transparency.OPAQUE, dataType);
    return new BufferedImage(cm, cm.createCompatibleWritableRaster(w, h), false, null);
  }

  /** A PNG signature plus a valid IHDR chunk claiming w x h RGB pixels, then IEND. */
  static byte[] pngHeaderOnly(int w, int h) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(ihdr);
    d.writeInt(w);
    d.writeInt(h);
    d.write(new byte[] {8, 2, 0, 0, 0}); // 8-bit RGB, deflate, no filter, no interlace
    chunk(out, "IHDR", ihdr.toByteArray());
    chunk(out, "IEND", new byte[0]);
    return bytes.toByteArray();
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
