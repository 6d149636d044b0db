package org.hashdb.server.e2e;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.hashdb.core.content.FileHasher;
import org.hashdb.core.content.FileHashes;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.db.NewEntry;

/**
 * A generated storage tree with known answers: "listed" originals (benign generated pictures and
 * random files) whose hashes form a list, and a tree holding exact copies and near-duplicates
 * (resized, recompressed, slightly cropped) of some of them among unrelated pictures and files.
 * {@link #planted} holds exactly the tree files a scan must report.
 */
final class PlantedTree {
  final Path tree;
  final List<NewEntry> entries = new ArrayList<>();
  final Set<Path> planted = new HashSet<>();
  final Set<Path> unrelated = new HashSet<>();
  /** PDQ distance of each planted near-duplicate to its original, by file name. */
  final java.util.Map<String, Integer> distances = new java.util.TreeMap<>();
  /** The server's default PDQ match distance. */
  static final int MAX_NEAR_DISTANCE = 31;
  private final Random random;

  PlantedTree(Path base, long seed) throws IOException {
    this.random = new Random(seed);
    Path listed = Files.createDirectories(base.resolve("listed"));
    tree = Files.createDirectories(base.resolve("tree"));
    FileHasher hasher = new FileHasher(EnumSet.allOf(HashType.class));

    List<BufferedImage> originals = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      BufferedImage img = picture(640, 480);
      originals.add(img);
      Path f = listed.resolve("orig" + i + ".jpg");
      writeJpeg(img, f, 0.9f);
      FileHashes h = hasher.hash(f);
      entries.add(new NewEntry(HashType.PDQ, h.pdq(), "test", "img", "generated"));
    }
    List<Path> listedFiles = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Path f = listed.resolve("doc" + i + ".bin");
      Files.write(f, bytes(1000 + random.nextInt(50_000)));
      listedFiles.add(f);
      FileHashes h = hasher.hash(f);
      HashType t = i % 2 == 0 ? HashType.MD5 : HashType.SHA256;
      entries.add(new NewEntry(t, h.get(t), "test", "doc", "generated"));
    }

    // Planted: exact copies of listed files and images, near-duplicates of listed images.
    Path a = Files.createDirectories(tree.resolve("users/alice/photos"));
    Path b = Files.createDirectories(tree.resolve("users/bob/uploads/2026"));
    plant(Files.copy(listed.resolve("orig0.jpg"), a.resolve("holiday.jpg")));
    plant(Files.copy(listedFiles.get(0), b.resolve("archive.dat")));
    plant(Files.copy(listedFiles.get(1), a.resolve("notes.bin")));
    plantNear(hasher, 1, writeJpeg(scale(originals.get(1), 320, 240), b.resolve("small.jpg"), 0.85f));
    plantNear(hasher, 2, writeJpeg(originals.get(2), a.resolve("recompressed.jpg"), 0.4f));
    plantNear(hasher, 3, writeJpeg(crop(originals.get(3), 0.01), b.resolve("cropped.jpg"), 0.85f));
    plantNear(hasher, 4, writePng(scale(originals.get(4), 800, 600), b.resolve("bigger.png")));

    // Unrelated: other pictures and files, also in nested folders.
    for (int i = 0; i < 10; i++) {
      Path dir = Files.createDirectories(tree.resolve("users/u" + (i % 3) + "/misc"));
      unrelated.add(writeJpeg(picture(640, 480), dir.resolve("other" + i + ".jpg"), 0.85f));
      Path f = dir.resolve("file" + i + ".bin");
      Files.write(f, bytes(random.nextInt(200_000)));
      unrelated.add(f);
    }
  }

  private void plant(Path p) {
    planted.add(p);
  }

  /** Plants a near-duplicate of original {@code i}; the generator's own check that it is one. */
  private void plantNear(FileHasher hasher, int i, Path p) throws IOException {
    byte[] original = entries.get(i).value();
    FileHashes h = hasher.hash(p);
    if (h.pdqQuality() < 50) {
      throw new IllegalStateException(p.getFileName() + " has PDQ quality " + h.pdqQuality() + ": the scanner skips it");
    }
    byte[] near = h.pdq();
    int d = 0;
    for (int k = 0; k < original.length; k++) {
      d += Integer.bitCount((original[k] ^ near[k]) & 0xff);
    }
    distances.put(p.getFileName().toString(), d);
    if (d > MAX_NEAR_DISTANCE) {
      throw new IllegalStateException(p.getFileName() + " is at PDQ distance " + d + " from its original, over "
          + MAX_NEAR_DISTANCE + ": choose another seed or a milder edit");
    }
    planted.add(p);
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /** A benign picture: a coloured background with random shapes, different for every call. */
  BufferedImage picture(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(new Color(random.nextInt(0xffffff)));
    g.fillRect(0, 0, w, h);
    for (int k = 0; k < 25; k++) {
      g.setColor(new Color(random.nextInt(0xffffff)));
      int x = random.nextInt(w);
      int y = random.nextInt(h);
      int s = 40 + random.nextInt(w / 2);
      switch (random.nextInt(3)) {
        case 0 -> g.fillOval(x - s / 2, y - s / 2, s, s * 2 / 3);
        case 1 -> g.fillRect(x - s / 2, y - s / 3, s, s / 2);
        default -> {
          g.setStroke(new BasicStroke(4 + random.nextInt(20)));
          g.drawLine(random.nextInt(w), random.nextInt(h), random.nextInt(w), random.nextInt(h));
        }
      }
    }
    g.dispose();
    return img;
  }

  static BufferedImage scale(BufferedImage src, int w, int h) {
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(src, 0, 0, w, h, null);
    g.dispose();
    return out;
  }

  /** Cuts {@code fraction} of the width and height off each side. */
  static BufferedImage crop(BufferedImage src, double fraction) {
    int dx = (int) (src.getWidth() * fraction);
    int dy = (int) (src.getHeight() * fraction);
    BufferedImage sub = src.getSubimage(dx, dy, src.getWidth() - 2 * dx, src.getHeight() - 2 * dy);
    return scale(sub, sub.getWidth(), sub.getHeight());
  }

  static Path writeJpeg(BufferedImage img, Path file, float quality) throws IOException {
    ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (OutputStream out = Files.newOutputStream(file); ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      w.setOutput(ios);
      ImageWriteParam p = w.getDefaultWriteParam();
      p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      p.setCompressionQuality(quality);
      w.write(null, new IIOImage(img, null, null), p);
    } finally {
      w.dispose();
    }
    return file;
  }

  static Path writePng(BufferedImage img, Path file) throws IOException {
    ImageIO.write(img, "png", file.toFile());
    return file;
  }
}
