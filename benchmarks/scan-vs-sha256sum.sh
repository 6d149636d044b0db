#!/usr/bin/env bash
# Scan throughput: `hashdb scan --types sha256` vs GNU sha256sum over the same generated tree,
# measured side by side in one run, plus the scanner's PDQ rate on generated JPEG photos.
#
#   benchmarks/scan-vs-sha256sum.sh            # 2 GiB in 10,000 files + 300 JPEGs (defaults)
#   SIZE_MB=4096 FILES=20000 IMAGES=500 THREADS=2 KEEP=1 benchmarks/scan-vs-sha256sum.sh
#   WORK=/tmp/scanbench KEEP=1 benchmarks/scan-vs-sha256sum.sh   # keeps the tree; a rerun reuses it
#
# The jars are built through the repository's ./hashdb launcher (which builds them when missing);
# the timed runs then start the scan command directly, as the launcher would but without its
# source-freshness check:
#   java -XX:+UseG1GC -cp 'hashdb-client/target/hashdb-client-*.jar:hashdb-client/target/lib/*' \
#        org.hashdb.client.cli.ScanCommand TREE --data DIR --types sha256 --threads N
# in embedded mode (--data on an empty data directory), so the figure is walking + reading +
# hashing, without network. Its time includes JVM start-up (about 0.3-0.5 s).
# sha256sum runs as people run it: `find -type f -print0 | xargs -0 sha256sum` (one process at a
# time). The scanner is timed with --threads 1 (like for like) and with --threads $THREADS.
# The page cache is warmed first, so both read from memory: this compares hashing pipelines, not
# disks. Goal: scanner >= 0.8x sha256sum.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIZE_MB="${SIZE_MB:-2048}"
FILES="${FILES:-10000}"
IMAGES="${IMAGES:-300}"
THREADS="${THREADS:-$(nproc)}"
WORK="${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/hashdb-scanbench.XXXXXX")}"
KEEP="${KEEP:-0}"

command -v sha256sum >/dev/null || { echo "needs GNU sha256sum" >&2; exit 2; }
cleanup() { if [[ "$KEEP" != 1 ]]; then rm -rf "$WORK"; else echo "kept $WORK"; fi; }
trap cleanup EXIT

tree="$WORK/tree"
images="$WORK/images"
data="$WORK/data"
rm -rf "$data"; mkdir -p "$WORK" "$data"

# --- generate the tree and the images (Java single-file program: no other tool needed)
cat > "$WORK/Gen.java" <<'JAVA'
import java.awt.*;
import java.awt.image.BufferedImage;
import java.io.*;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.*;
import java.util.Random;
import javax.imageio.ImageIO;

public class Gen {
  public static void main(String[] a) throws Exception {
    Path tree = Path.of(a[0]);
    int files = Integer.parseInt(a[1]);
    long total = Long.parseLong(a[2]);
    Path imgDir = Path.of(a[3]);
    int images = Integer.parseInt(a[4]);
    Random r = new Random(42);
    // Log-normal sizes (many small files, a few large ones) scaled to the exact total.
    double[] w = new double[files];
    double sum = 0;
    for (int i = 0; i < files; i++) { w[i] = Math.exp(r.nextGaussian() * 1.5); sum += w[i]; }
    long[] size = new long[files];
    long assigned = 0;
    for (int i = 0; i < files; i++) { size[i] = (long) (w[i] / sum * total); assigned += size[i]; }
    size[files - 1] += total - assigned;
    byte[] pool = new byte[32 << 20];
    r.nextBytes(pool);
    for (int i = 0; i < files; i++) {
      Path dir = tree.resolve(String.format("d%03d", i % 100)).resolve(String.format("s%02d", (i / 100) % 10));
      Files.createDirectories(dir);
      try (FileChannel ch = FileChannel.open(dir.resolve("f" + i + ".bin"),
          StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        long left = size[i];
        int off = r.nextInt(pool.length);
        ByteBuffer stamp = ByteBuffer.allocate(8).putLong(0, i); // every file distinct
        if (left >= 8) { ch.write(stamp); left -= 8; }
        while (left > 0) {
          int n = (int) Math.min(left, pool.length - off);
          ch.write(ByteBuffer.wrap(pool, off, n));
          left -= n;
          off = 0;
        }
      }
    }
    Files.createDirectories(imgDir);
    for (int i = 0; i < images; i++) {
      BufferedImage img = new BufferedImage(1024, 768, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = img.createGraphics();
      g.setPaint(new GradientPaint(0, 0, new Color(r.nextInt()), 1024, 768, new Color(r.nextInt())));
      g.fillRect(0, 0, 1024, 768);
      for (int k = 0; k < 40; k++) {
        g.setColor(new Color(r.nextInt(), true));
        g.fillOval(r.nextInt(1024), r.nextInt(768), 20 + r.nextInt(300), 20 + r.nextInt(300));
      }
      g.dispose();
      ImageIO.write(img, "jpg", imgDir.resolve(String.format("i%04d.jpg", i)).toFile());
    }
  }
}
JAVA
stamp="$WORK/.generated-$FILES-$SIZE_MB-$IMAGES"
if [[ -f "$stamp" ]]; then
  echo "reusing the tree in $WORK" >&2
else
  echo "generating $FILES files ($SIZE_MB MiB) and $IMAGES JPEGs in $WORK ..." >&2
  rm -rf "$tree" "$images"
  java "$WORK/Gen.java" "$tree" "$FILES" "$((SIZE_MB * 1024 * 1024))" "$images" "$IMAGES"
  touch "$stamp"
fi
bytes=$(find "$tree" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%d", s}')
nfiles=$(find "$tree" -type f | wc -l)

# --- build the launcher's jars outside the timed runs
(cd "$root" && ./hashdb --version >/dev/null)

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", b - a}'; }

# Warm the page cache so every run below reads from memory.
find "$tree" "$images" -type f -print0 | xargs -0 cat > /dev/null

t0=$(now); find "$tree" -type f -print0 | xargs -0 sha256sum > /dev/null; t1=$(now)
sum_s=$(elapsed "$t0" "$t1")

cp="$(ls "$root"/hashdb-client/target/hashdb-client-*.jar | grep -v -e sources -e javadoc | head -1):$root/hashdb-client/target/lib/*"
scan() { # threads, types, dir
  java -XX:+UseG1GC -cp "$cp" org.hashdb.client.cli.ScanCommand "$3" --data "$data" --types "$2" --threads "$1" \
    --progress never --quiet > "$WORK/scan.out" 2> "$WORK/scan.err" || { cat "$WORK/scan.err" >&2; exit 1; }
}
t0=$(now); scan 1 sha256 "$tree"; t1=$(now)
scan1_s=$(elapsed "$t0" "$t1")
checked() { awk '/Files checked:/ {gsub(",", "", $3); print $3}' "$WORK/scan.out"; }
[[ "$(checked)" == "$nfiles" ]] || { echo "scanner checked $(checked) files, expected $nfiles" >&2; exit 1; }
t0=$(now); scan "$THREADS" sha256 "$tree"; t1=$(now)
scanN_s=$(elapsed "$t0" "$t1")
t0=$(now); scan "$THREADS" pdq "$images"; t1=$(now)
pdq_s=$(elapsed "$t0" "$t1")
pdq_checked=$(checked)

mib() { awk -v b="$bytes" -v s="$1" 'BEGIN {printf "%.1f", b / 1048576 / s}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", b / a}'; }
java_version=$(java -version 2>&1 | head -1)
echo
echo "tree: $nfiles files, $bytes bytes; cores: $(nproc); $java_version; $(sha256sum --version | head -1)"
printf '%-44s %8s s %9s MiB/s\n' "sha256sum (find | xargs -0 sha256sum)" "$sum_s" "$(mib "$sum_s")"
printf '%-44s %8s s %9s MiB/s  %sx sha256sum\n' "hashdb scan --types sha256 --threads 1" "$scan1_s" "$(mib "$scan1_s")" "$(ratio "$scan1_s" "$sum_s")"
printf '%-44s %8s s %9s MiB/s  %sx sha256sum\n' "hashdb scan --types sha256 --threads $THREADS" "$scanN_s" "$(mib "$scanN_s")" "$(ratio "$scanN_s" "$sum_s")"
awk -v n="$IMAGES" -v s="$pdq_s" -v t="$THREADS" -v c="$pdq_checked" \
  'BEGIN {printf "%-44s %8.3f s %9.1f images/s (%s of %d images checked, 1024x768 JPEG)\n", "hashdb scan --types pdq --threads " t, s, n / s, c, n}'
