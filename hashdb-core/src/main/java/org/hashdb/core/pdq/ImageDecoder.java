package org.hashdb.core.pdq;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes the first image of a stream with JDK ImageIO plus the TwelveMonkeys plugins on the
 * class path (JPEG incl. CMYK/YCCK, PNG, GIF, BMP, WebP, TIFF). The pixel cap is checked on the
 * dimensions from the header, before any pixel buffer is allocated. Metadata (EXIF orientation,
 * ICC profiles) is ignored, as the PDQ reference does.
 */
final class ImageDecoder {
  private ImageDecoder() {}

  /**
   * Decodes image 0 of {@code in}; the caller closes {@code in}.
   *
   * @throws ImageDecodeException unknown format, corrupt or truncated data, or more than
   *     {@code maxPixels} pixels
   */
  static BufferedImage decode(ImageInputStream in, long maxPixels) throws ImageDecodeException {
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
            + " pixels, more than the limit of " + maxPixels + " (not decoded)");
      }
      List<String> warnings = new ArrayList<>(0);
      reader.addIIOReadWarningListener(new Warnings(warnings));
      BufferedImage image = reader.read(0);
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
      // Decoders report corrupt data as IIOException, EOFException or assorted runtime
      // exceptions (index out of bounds, negative array size, ...): all mean "cannot decode".
      throw new ImageDecodeException("corrupt or unsupported " + format + " image: " + e, e);
    } finally {
      reader.dispose();
    }
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
