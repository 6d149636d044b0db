package org.hashdb.core.pdq;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.SampleModel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes the first image of a stream with JDK ImageIO plus the TwelveMonkeys plugins on the
 * class path (JPEG incl. CMYK/YCCK, PNG, GIF, BMP, WebP, TIFF). The pixel cap is checked on the
 * dimensions from the header, before any pixel buffer is allocated. Metadata (EXIF orientation,
 * ICC profiles) is ignored, as the PDQ reference does.
 */
final class ImageDecoder {
  /**
   * Decodes that need more than this many bytes run one at a time, JVM-wide: each fits the
   * budget alone, but several at once (one per scan thread) would not.
   */
  static final long LARGE_DECODE_BYTES = 16L << 20;

  private static final Semaphore LARGE_DECODES = new Semaphore(1, true);

  private ImageDecoder() {}

  /**
   * Decodes image 0 of {@code in}; the caller closes {@code in}.
   *
   * @throws ImageDecodeException unknown format, corrupt or truncated data, or more than
   *     {@code maxPixels} pixels
   */
  static BufferedImage decode(ImageInputStream in, long maxPixels) throws ImageDecodeException {
    return decode(in, maxPixels, Long.MAX_VALUE);
  }

  /**
   * Decodes image 0 of {@code in}, refusing more than {@code maxPixels} pixels or an estimated
   * decoded size (pixels x bytes per pixel of the type the reader decodes to) above {@code
   * maxBytes}. Decodes above {@link #LARGE_DECODE_BYTES} are serialized.
   */
  static BufferedImage decode(ImageInputStream in, long maxPixels, long maxBytes)
      throws ImageDecodeException {
    Iterator<ImageReader> readers;
    try {
      readers = ImageIO.getImageReaders(in);
    } catch (RuntimeException e) {
      throw new ImageDecodeException("cannot probe image format: " + e, e);
    }
    if (!readers.hasNext()) {
      throw new ImageDecodeException(
          "not an image in a supported format (JPEG, PNG, GIF, BMP, WebP, TIFF)");
    }
    ImageReader reader = readers.next();
    String format = formatName(reader);
    try {
      reader.setInput(in, true, true);
      int w = reader.getWidth(0);
      int h = reader.getHeight(0);
      if (w <= 0 || h <= 0) {
        throw new ImageDecodeException(format + " image has invalid size " + w + "x" + h);
      }
      long pixels = (long) w * h;
      if (pixels > maxPixels) {
        throw new ImageDecodeException(format + " image is " + w + "x" + h + " = " + pixels
            + " pixels, more than the limit of " + maxPixels + " (not decoded)", null, true);
      }
      long bytes = pixels * bytesPerPixel(reader);
      if (bytes > maxBytes) {
        throw new ImageDecodeException(String.format(Locale.ROOT,
            "%s image is %dx%d and would take %.1f MiB decoded, more than the decode budget of"
                + " %.1f MiB (not decoded; a larger heap raises the budget)",
            format, w, h, bytes / 1048576.0, maxBytes / 1048576.0), null, true);
      }
      List<String> warnings = new ArrayList<>(0);
      reader.addIIOReadWarningListener(new Warnings(warnings));
      BufferedImage image = bytes > LARGE_DECODE_BYTES ? readAlone(reader) : reader.read(0);
      for (String warning : warnings) {
        if (losesData(warning)) {
          throw new ImageDecodeException(format + " image is truncated: " + warning);
        }
      }
      if (image.getWidth() != w || image.getHeight() != h) {
        throw new ImageDecodeException(format + " header says " + w + "x" + h
            + " but decoded " + image.getWidth() + "x" + image.getHeight());
      }
      return image;
    } catch (ImageDecodeException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      Error error = errorCause(e);
      if (error != null) {
        // ImageIO wraps an OutOfMemoryError into "Caught exception during read": not corrupt
        // data but an image this heap could not hold, which must not pass as checked.
        throw new ImageDecodeException(format + " image could not be decoded: " + error, e, true);
      }
      // Decoders report corrupt data as IIOException, EOFException or assorted runtime
      // exceptions (index out of bounds, negative array size, ...): all mean "cannot decode".
      throw new ImageDecodeException("corrupt or unsupported " + format + " image: " + e, e);
    } finally {
      reader.dispose();
    }
  }

  /** The first {@link Error} (such as OutOfMemoryError) in {@code e}'s cause chain, or null. */
  private static Error errorCause(Throwable e) {
    for (Throwable c = e.getCause(), prev = e; c != null && c != prev; prev = c, c = c.getCause()) {
      if (c instanceof Error err) {
        return err;
      }
    }
    return null;
  }

  private static BufferedImage readAlone(ImageReader reader) throws IOException {
    try {
      LARGE_DECODES.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageDecodeException("interrupted while waiting to decode a large image");
    }
    try {
      return reader.read(0);
    } finally {
      LARGE_DECODES.release();
    }
  }

  /**
   * Bytes per pixel of the image type the reader decodes to by default (its first type): e.g. 1
   * for grey or palette, 3 for RGB, 4 for ARGB, 6 or 8 for 16-bit samples. 4 when unknown.
   */
  static long bytesPerPixel(ImageReader reader) {
    try {
      Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
      if (types != null && types.hasNext()) {
        SampleModel sm = types.next().getSampleModel();
        long bytes = (long) DataBuffer.getDataTypeSize(sm.getDataType()) / 8 * sm.getNumDataElements();
        if (bytes > 0) {
          return bytes;
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through: assume the common 4 bytes
    }
    return 4;
  }

  /**
   * True for decoder warnings that mean pixel data is missing (the decoder filled the rest with
   * grey). A JPEG whose only fault is a missing EOI marker has all its data: TwelveMonkeys warns
   * "Truncated File - Missing EOI marker" without "premature end of data segment". Accepting it
   * matters: stripping the last two bytes must not be a way to avoid PDQ matching.
   */
  static boolean losesData(String warning) {
    String w = warning.toLowerCase(Locale.ROOT);
    return w.contains("premature end") || w.contains("truncat") && !w.contains("missing eoi");
  }

  private static String formatName(ImageReader reader) {
    try {
      String[] names = reader.getOriginatingProvider().getFormatNames();
      return names.length == 0 ? "image" : names[0].toUpperCase(Locale.ROOT);
    } catch (RuntimeException e) {
      return "image";
    }
  }

  private record Warnings(List<String> out) implements IIOReadWarningListener {
    @Override
    public void warningOccurred(ImageReader source, String warning) {
      out.add(warning);
    }
  }
}
