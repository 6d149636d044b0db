package org.hashdb.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.hashdb.core.pdq.PdqHasher;
import org.hashdb.core.db.HashDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hashdb.testing.TestRandom;

/**
 * Image bombs under a small heap (issue 9): the scan finishes, reports every other file, and
 * lists each bomb as an error (exit 2), whether the decode budget refuses it or the decoder runs
 * out of memory.
 */
@Tag("slow")
class ImageBombScanTest {
  @TempDir static Path tmp;

  private static final List<String> BOMBS = List.of("bomb-rgb.png", "bomb-rgba.png", "bomb-rgba16.png", "bomb-wide.png");

  private static Path tree() throws Exception {
    Path root = tmp.resolve("tree");
    if (Files.isDirectory(root)) {
      return root;
    }
    Files.createDirectories(root);
    PngBomb.write(root.resolve("bomb-rgb.png"), 10_000, 10_000, 2, 8); // 300 MB decoded
    PngBomb.write(root.resolve("bomb-rgba.png"), 10_000, 10_000, 6, 8); // 400 MB
    PngBomb.write(root.resolve("bomb-rgba16.png"), 10_000, 10_000, 6, 16); // 800 MB
    PngBomb.write(root.resolve("bomb-wide.png"), 16_000, 6_000, 2, 8); // 288 MB
    Random rnd = TestRandom.random(9);
    for (int i = 0; i < 8; i++) {
      BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < 48; y++) {
        for (int x = 0; x < 64; x++) {
          img.setRGB(x, y, rnd.nextInt());
        }
      }
      ImageIO.write(img, "png", root.resolve("ok-" + i + ".png").toFile());
      byte[] b = new byte[1000 + rnd.nextInt(5000)];
      rnd.nextBytes(b);
      Files.write(root.resolve("data-" + i + ".bin"), b);
    }
    Path data = tmp.resolve("data");
    try (HashDatabase db = HashDatabase.open(data)) {
      // an existing, empty database: nothing matches, so the exit code shows the errors
    }
    return root;
  }

  /** Every file checked, the given bombs listed as errors (and nothing else), exit 2. */
  private static void assertBombsAreErrorsAndTheRestIsChecked(ChildScan scan, Path report, List<String> bombs)
      throws Exception {
    int exit = scan.await(300);
    String out = scan.out();
    assertThat(exit).as(out + scan.err()).isEqualTo(2);
    assertThat(out).contains("Files checked: 20").contains("Errors: " + bombs.size()).doesNotContain("Incomplete");
    String json = Files.readString(report);
    for (String bomb : bombs) {
      assertThat(scan.err()).contains(bomb + ": ERROR");
      assertThat(json).contains(bomb);
    }
    assertThat(json).contains("\"errors\" : " + bombs.size()).contains("\"exitCode\" : 2").contains("\"complete\" : true");
    assertThat(scan.err()).doesNotContain("ok-").doesNotContain("data-");
  }

  @Test
  void scan_bombsUnder384MiBHeap_decodeBudgetRefusesThem() throws Exception {
    Path root = tree();
    Path report = tmp.resolve("budget.json");
    ChildScan scan = ChildScan.start(tmp, List.of("-Xmx384m"), Map.of(), root.toString(), "--data",
        tmp.resolve("data").toString(), "--threads", "2", "--progress", "never", "--report", report.toString());
    assertBombsAreErrorsAndTheRestIsChecked(scan, report, BOMBS);
    assertThat(scan.err()).contains("decode budget");
  }

  @Test
  void scan_bombsUnder384MiBHeap_withoutBudget_outOfMemoryIsTheFilesError() throws Exception {
    Path root = tree();
    Path report = tmp.resolve("oom.json");
    ChildScan scan = ChildScan.start(tmp, List.of("-Xmx384m", "-D" + PdqHasher.MAX_DECODE_BYTES_PROPERTY + "=4000000000"),
        Map.of(), root.toString(), "--data", tmp.resolve("data").toString(), "--threads", "2", "--progress", "never",
        "--report", report.toString());
    // With the budget lifted, bombs larger than the heap fail with OutOfMemoryError; the 300 MB
    // ones may still fit (large decodes run one at a time), so they are not asserted either way.
    List<String> overHeap = List.of("bomb-rgba.png", "bomb-rgba16.png");
    int exit = scan.await(300);
    assertThat(exit).as(scan.out() + scan.err()).isEqualTo(2);
    assertThat(scan.out()).contains("Files checked: 20").doesNotContain("Incomplete");
    for (String bomb : overHeap) {
      assertThat(scan.err()).containsPattern(bomb + ": ERROR .*OutOfMemoryError");
    }
    assertThat(Files.readString(report)).contains("\"exitCode\" : 2").contains("\"complete\" : true");
    assertThat(scan.err()).doesNotContain("ok-").doesNotContain("data-");
  }
}
