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
# in embedded mode (--data on an empty database), so the figure is walking + reading +
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
bytes=$(find "$tree" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%.0f", s}')
nfiles=$(find "$tree" -type f | wc -l)

# --- build the launcher's jars outside the timed runs
(cd "$root" && ./hashdb --version >/dev/null)

# measure VAR CMD...: runs CMD, sets VAR_s (wall seconds) and VAR_cpu (user+sys CPU seconds of
# CMD and its children). CPU seconds are the fairer figure on a shared machine: sha256sum is one
# process, the scanner several threads, so under load their wall-clock shares of the cores differ.
measure() {
  local var=$1; shift
  local t
  t=$( { TIMEFORMAT='%R %U %S'; time "$@" > /dev/null; } 2>&1 | tail -1 )
  printf -v "${var}_s" '%s' "$(awk '{print $1}' <<< "$t")"
  printf -v "${var}_cpu" '%s' "$(awk '{printf "%.3f", $2 + $3}' <<< "$t")"
}

# Warm the page cache so every run below reads from memory.
find "$tree" "$images" -type f -print0 | xargs -0 cat > /dev/null

sha256sum_all() { find "$tree" -type f -print0 | xargs -0 sha256sum > /dev/null; }
measure sum sha256sum_all

cp="$(ls "$root"/hashdb-client/target/hashdb-client-*.jar | grep -v -e sources -e javadoc | head -1):$root/hashdb-client/target/lib/*"
# scan --data needs an existing database: an empty one, made by importing an empty list
server_cp="$(ls "$root"/hashdb-server/target/hashdb-server-*.jar | grep -v -e sources -e javadoc | head -1):$root/hashdb-server/target/lib/*"
[[ -n "$(ls "$data")" ]] || java -cp "$server_cp" org.hashdb.server.cli.HashDbCommand import --data "$data" \
  --list bench --format hex --type sha256 - < /dev/null > /dev/null

scan() { # threads, types, dir
  java -XX:+UseG1GC -cp "$cp" org.hashdb.client.cli.ScanCommand "$3" --data "$data" --types "$2" --threads "$1" \
    --progress never --quiet > "$WORK/scan.out" 2> "$WORK/scan.err" || { cat "$WORK/scan.err" >&2; exit 1; }
}
checked() { awk '/Files checked:/ {gsub(",", "", $3); print $3}' "$WORK/scan.out"; }
measure scan1 scan 1 sha256 "$tree"
[[ "$(checked)" == "$nfiles" ]] || { echo "scanner checked $(checked) files, expected $nfiles" >&2; exit 1; }
measure scanN scan "$THREADS" sha256 "$tree"
[[ "$(checked)" == "$nfiles" ]] || { echo "scanner checked $(checked) files, expected $nfiles" >&2; exit 1; }
measure pdq scan "$THREADS" pdq "$images"
pdq_checked=$(checked)

mib() { awk -v b="$bytes" -v s="$1" 'BEGIN {printf "%.1f", b / 1048576 / s}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", b / a}'; }
java_version=$(java -version 2>&1 | head -1)
echo
echo "tree: $nfiles files, $bytes bytes; cores: $(nproc); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$java_version; $(sha256sum --version | head -1)"
printf '%-42s %8s %10s %12s %10s %14s\n' "" "wall s" "MiB/s" "x sha256sum" "CPU s" "MiB/CPU-s (x)"
row() { # label, wall, cpu
  printf '%-42s %8s %10s %12s %10s %8s (%sx)\n' "$1" "$2" "$(mib "$2")" "$(ratio "$2" "$sum_s")" "$3" \
    "$(mib "$3")" "$(ratio "$3" "$sum_cpu")"
}
row "sha256sum (find | xargs -0 sha256sum)" "$sum_s" "$sum_cpu"
row "hashdb scan --types sha256 --threads 1" "$scan1_s" "$scan1_cpu"
row "hashdb scan --types sha256 --threads $THREADS" "$scanN_s" "$scanN_cpu"
awk -v n="$IMAGES" -v s="$pdq_s" -v cpu="$pdq_cpu" -v t="$THREADS" -v c="$pdq_checked" \
  'BEGIN {printf "%-42s %8.3f s wall, %.1f images/s; %.3f CPU s, %.1f images/CPU-s (%s of %d 1024x768 JPEGs checked)\n", "hashdb scan --types pdq --threads " t, s, n / s, cpu, n / cpu, c, n}'
