package org.hashdb.server.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.pdq.PdqHasher;
import org.hashdb.core.disk.PrivateFiles;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.NewEntry;

/**
 * The demo list of {@code serve --demo}: a few benign images drawn with Java2D (gradients and
 * shapes), written as PNG files so a user can hash them, with their MD5, SHA-1, SHA-256 and PDQ
 * hashes on list {@value #LIST}; plus seeded random
 * SHA-256 values on list {@value #SYNTHETIC_LIST} to give the index a realistic size.
 */
final class DemoData {
  static final String LIST = "demo";
  static final String SYNTHETIC_LIST = "synthetic";
  private static final int SIZE = 256;
  private static final int BATCH = 50_000;

  private DemoData() {}

  /** A demo image file and its hashes. */
  record DemoImage(String name, Path file, byte[] md5, byte[] sha1, byte[] sha256, byte[] pdq) {}

  /** Draws the demo images into {@code dir} (created if needed) and hashes them. */
  static List<DemoImage> writeImages(Path dir) throws IOException {
    PrivateFiles.createDirectories(dir); // inside the data directory: private like the rest
    List<DemoImage> out = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      BufferedImage img = draw(i);
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      ImageIO.write(img, "png", png);
      byte[] bytes = png.toByteArray();
      String name = new String[] {"sunset", "circles", "stripes", "checkers"}[i] + ".png";
      Path file = dir.resolve(name);
      try (java.io.OutputStream o = PrivateFiles.newOutputStream(file,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE,
          java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
        o.write(bytes);
      }
      out.add(new DemoImage(name, file, digest("MD5", bytes), digest("SHA-1", bytes),
          digest("SHA-256", bytes), pdq(img)));
    }
    return out;
  }

  private static BufferedImage draw(int kind) {
    BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    switch (kind) {
      case 0 -> { // sunset: vertical gradient with a sun
        g.setPaint(new GradientPaint(0, 0, new Color(255, 140, 0), 0, SIZE, new Color(60, 0, 120)));
        g.fillRect(0, 0, SIZE, SIZE);
        g.setColor(new Color(255, 230, 120));
        g.fillOval(88, 140, 80, 80);
      }
      case 1 -> { // concentric circles
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, SIZE, SIZE);
        for (int r = 120, c = 0; r > 0; r -= 15, c++) {
          g.setColor(c % 2 == 0 ? new Color(20, 90, 200) : new Color(240, 240, 250));
          g.fillOval(128 - r, 128 - r, 2 * r, 2 * r);
        }
      }
      case 2 -> { // diagonal stripes
        g.setColor(new Color(250, 250, 235));
        g.fillRect(0, 0, SIZE, SIZE);
        g.setColor(new Color(0, 140, 90));
        g.setStroke(new BasicStroke(14));
        for (int x = -SIZE; x < 2 * SIZE; x += 40) {
          g.drawLine(x, 0, x + SIZE, SIZE);
        }
      }
      default -> { // checkerboard with a horizontal gradient
        g.setPaint(new GradientPaint(0, 0, Color.BLACK, SIZE, 0, new Color(200, 30, 30)));
        g.fillRect(0, 0, SIZE, SIZE);
        g.setColor(new Color(255, 255, 255, 180));
        for (int y = 0; y < 8; y++) {
          for (int x = (y & 1); x < 8; x += 2) {
            g.fillRect(x * 32, y * 32, 32, 32);
          }
        }
      }
    }
    g.dispose();
    return img;
  }

  /** PDQ of an image (the core's hasher). */
  static byte[] pdq(BufferedImage img) {
    return new PdqHasher().hash(img).hash();
  }

  private static byte[] digest(String alg, byte[] bytes) {
    try {
      return MessageDigest.getInstance(alg).digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(alg + " is required by the JDK", e);
    }
  }

  /** Adds the images' hashes to list {@value #LIST}; returns the entries added. */
  static int addImages(HashDatabase db, List<DemoImage> images) throws IOException {
    List<NewEntry> batch = new ArrayList<>();
    for (DemoImage i : images) {
      String src = "demo image " + i.name();
      batch.add(new NewEntry(HashType.MD5, i.md5(), LIST, "demo", src));
      batch.add(new NewEntry(HashType.SHA1, i.sha1(), LIST, "demo", src));
      batch.add(new NewEntry(HashType.SHA256, i.sha256(), LIST, "demo", src));
      batch.add(new NewEntry(HashType.PDQ, i.pdq(), LIST, "demo", src));
    }
    return db.add(batch).added();
  }

  /** The {@code i}-th synthetic SHA-256 value of {@code seed}, into {@code out[off..off+32)}. */
  static void synthetic(SplittableRandom r, byte[] out, int off) {
    for (int k = 0; k < 4; k++) {
      long v = r.nextLong();
      for (int b = 0; b < 8; b++) {
        out[off + 8 * k + b] = (byte) (v >>> (8 * b));
      }
    }
  }

  /** Adds {@code count} seeded random SHA-256 values to list {@value #SYNTHETIC_LIST}. */
  static long addSynthetic(HashDatabase db, long count, long seed) throws IOException {
    SplittableRandom r = new SplittableRandom(seed);
    long added = 0;
    List<NewEntry> batch = new ArrayList<>(BATCH);
    for (long i = 0; i < count; i++) {
      byte[] v = new byte[32];
      synthetic(r, v, 0);
      batch.add(new NewEntry(HashType.SHA256, v, SYNTHETIC_LIST, "synthetic", ""));
      if (batch.size() == BATCH) {
        added += db.add(batch).added();
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      added += db.add(batch).added();
    }
    return added;
  }
}
