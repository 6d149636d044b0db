package org.hashdb.core.pdq;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Computes PDQ hashes bit-compatibly with Meta's reference (PDQ-ALGORITHM.md): full resolution,
 * float32, raw samples (grey images by their grey value), no EXIF rotation, no ICC conversion,
 * alpha ignored, first frame only. Images with a side under 5 pixels hash to all zeros with
 * quality 0, as the C++ core does.
 *
 * <p>Thread-safe: each thread uses its own reusable buffers, so hashing an image allocates
 * only the result (plus the decoder's own allocations). The blur streams over the image, so
 * those buffers hold a few rows (about 4 x width x (height/128 + 8) bytes), not the image.
 *
 * <p>Decoding refuses images whose header claims more than {@link #maxPixels()} pixels, or whose
 * decoded size (pixels x bytes per pixel of the decoded type) is over {@link #maxDecodeBytes()},
 * before allocating anything for them; decodes over 16 MiB run one at a time in the JVM.
 */
public final class PdqHasher {
  /** Default cap on decoded pixels: 100 megapixels (about 0.3-0.4 GB decoded). */
  public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

  private static final ThreadLocal<PdqWorkspace> WORKSPACE =
      ThreadLocal.withInitial(PdqWorkspace::new);

  private final long maxPixels;
  private final long maxDecodeBytes;

  public PdqHasher() {
    this(DEFAULT_MAX_PIXELS);
  }

  /** @param maxPixels largest width x height that will be decoded, at least 1 */
  public PdqHasher(long maxPixels) {
    this(maxPixels, defaultMaxDecodeBytes());
  }

  /**
   * @param maxPixels largest width x height that will be decoded, at least 1
   * @param maxDecodeBytes largest decoded size (pixels x bytes per pixel of the decoded type),
   *     at least 1
   */
  public PdqHasher(long maxPixels, long maxDecodeBytes) {
    if (maxPixels < 1) {
      throw new IllegalArgumentException("maxPixels must be >= 1, got " + maxPixels);
    }
    if (maxDecodeBytes < 1) {
      throw new IllegalArgumentException("maxDecodeBytes must be >= 1, got " + maxDecodeBytes);
    }
    this.maxPixels = maxPixels;
    this.maxDecodeBytes = maxDecodeBytes;
  }

  /**
   * The default decode budget: a quarter of the maximum heap, at most 1 GiB. An image of 10,000
   * x 10,000 RGB pixels (300 MB decoded) passes with a heap of 1.2 GB and is refused, rather
   * than failing with OutOfMemoryError, under {@code -Xmx384m}.
   */
  public static long defaultMaxDecodeBytes() {
    String set = System.getProperty(MAX_DECODE_BYTES_PROPERTY);
    if (set != null) {
      try {
        long v = Long.parseLong(set.trim());
        if (v >= 1) {
          return v;
        }
      } catch (NumberFormatException e) {
        // fall through to the default
      }
      throw new IllegalArgumentException(MAX_DECODE_BYTES_PROPERTY + " must be a number of bytes >= 1, got '" + set + "'");
    }
    return Math.max(1, Math.min(Runtime.getRuntime().maxMemory() / 4, 1L << 30));
  }

  /** System property that overrides {@link #defaultMaxDecodeBytes()} (bytes). */
  public static final String MAX_DECODE_BYTES_PROPERTY = "hashdb.maxDecodeBytes";

  /** Largest decoded size in bytes this hasher decodes. */
  public long maxDecodeBytes() {
    return maxDecodeBytes;
  }

  /** Largest number of pixels this hasher decodes. */
  public long maxPixels() {
    return maxPixels;
  }

  /** Hashes a decoded image (any size; the pixel cap applies to decoding only). */
  public PdqHash hash(BufferedImage image) {
    Objects.requireNonNull(image, "image");
    PdqWorkspace ws = WORKSPACE.get();
    ws.compute(image);
    byte[] out = new byte[32];
    ws.hashVariant(Dihedral.ORIGINAL, out);
    return new PdqHash(out, ws.quality);
  }

  /** Decodes and hashes an image file. */
  public PdqHash hash(Path imageFile) throws IOException {
    return hash(decode(imageFile));
  }

  /** Decodes and hashes an image from a stream (read to its end or the image's end; not closed). */
  public PdqHash hash(InputStream image) throws IOException {
    return hash(decode(image));
  }

  /** Decodes and hashes an image held in {@code data[off..off+len)} (not copied). */
  public PdqHash hash(byte[] data, int off, int len) throws IOException {
    return hash(decode(data, off, len));
  }

  /**
   * The hashes of the 8 rotations and flips, in {@link Dihedral} order: orig, rot90, rot180,
   * rot270, flipx, flipy, flipplus1, flipminus1. Element 0 equals {@link #hash(BufferedImage)};
   * all share its quality.
   */
  public PdqHash[] hashDihedral(BufferedImage image) {
    Objects.requireNonNull(image, "image");
    PdqWorkspace ws = WORKSPACE.get();
    ws.compute(image);
    Dihedral[] all = Dihedral.values();
    PdqHash[] result = new PdqHash[all.length];
    for (Dihedral d : all) {
      byte[] out = new byte[32];
      ws.hashVariant(d, out);
      result[d.ordinal()] = new PdqHash(out, ws.quality);
    }
    return result;
  }

  /** Decodes an image file and returns its 8 dihedral hashes (see {@link #hashDihedral(BufferedImage)}). */
  public PdqHash[] hashDihedral(Path imageFile) throws IOException {
    return hashDihedral(decode(imageFile));
  }

  /**
   * Decodes the first image of a file as the hasher does, refusing more than {@link
   * #maxPixels()} pixels.
   *
   * @throws ImageDecodeException not a decodable image, or too many pixels
   * @throws IOException the file cannot be read
   */
  public BufferedImage decode(Path imageFile) throws IOException {
    Objects.requireNonNull(imageFile, "imageFile");
    if (imageFile.getFileSystem() != FileSystems.getDefault()) {
      try (InputStream in = Files.newInputStream(imageFile)) {
        return decode(in);
      }
    }
    if (Files.isDirectory(imageFile)) {
      throw new IOException(imageFile + " is a directory");
    }
    try (ImageInputStream in = new FileImageInputStream(imageFile.toFile())) {
      return ImageDecoder.decode(in, maxPixels, maxDecodeBytes);
    }
  }

  /** Decodes the first image in {@code data[off..off+len)}; see {@link #decode(Path)}. */
  public BufferedImage decode(byte[] data, int off, int len) throws IOException {
    Objects.requireNonNull(data, "data");
    try (ImageInputStream in = new ByteArrayImageInputStream(data, off, len)) {
      return ImageDecoder.decode(in, maxPixels, maxDecodeBytes);
    }
  }

  /** Decodes the first image of a stream (not closed); see {@link #decode(Path)}. */
  public BufferedImage decode(InputStream image) throws IOException {
    Objects.requireNonNull(image, "image");
    // Memory cache, not ImageIO's default temp-file cache: no disk I/O, no global state.
    try (ImageInputStream in = new MemoryCacheImageInputStream(image)) {
      return ImageDecoder.decode(in, maxPixels, maxDecodeBytes);
    }
  }
}
