package org.hashdb.core.pdq;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SampleModel;
import java.util.Arrays;
import org.hashdb.core.Accountable;

/**
 * The PDQ pipeline of PDQ-ALGORITHM.md §2-§9 on one image, with every buffer it needs. Not
 * thread-safe: {@link PdqHasher} keeps one per thread and reuses it, so hashing allocates
 * nothing per image beyond the result.
 *
 * <p>The blur streams over the image in bands of four rows instead of filtering whole H x W
 * buffers: luminance and the first horizontal pass fill a ring of rows; the first vertical pass
 * consumes the ring as soon as the rows it needs exist; the second horizontal pass keeps only
 * the 64 columns that decimation samples, into a second ring; the last vertical pass consumes
 * that one. Memory is O(W x window) floats instead of O(W x H), whatever the image height, and
 * the working set stays in cache. Every output value still sees exactly the reference's sequence of float operations
 * (Java float arithmetic is strict: no FMA contraction), so coefficients are bit-identical to
 * the straightforward two-buffer transcription ({@code PdqWorkspaceTest} checks this).
 */
final class PdqWorkspace implements Accountable {
  /** Side of the decimated image. */
  private static final int N = 64;
  /** Side of the kept DCT block. */
  private static final int K = 16;
  /** Rows filtered together so that their independent running sums overlap in the CPU. */
  private static final int BAND = 4;
  /** Images narrower or shorter than this hash to zero with quality 0, as the C++ core. */
  static final int MIN_SIDE = 5;
  /** Rings up to this many floats are kept for the next image (16 MiB). */
  private static final int RETAINED_RING_FLOATS = 4 << 20;

  /** DCT-II basis rows 1..16 over 64 samples, row-major 16 x 64 (§6). */
  private static final float[] DCT = dctMatrix();
  /** 0.299f * v, 0.587f * v, 0.114f * v for v = 0..255: the same floats as the products. */
  private static final float[] LUMA_R = lumaTable(0.299f);
  private static final float[] LUMA_G = lumaTable(0.587f);
  private static final float[] LUMA_B = lumaTable(0.114f);

  /** How luminance is read from the current image. */
  private enum Source { BYTES_GREY, BYTES_RGB, SAMPLES_GREY, SAMPLES_RGB, PACKED_RGB }

  // Per-image state, set by compute().
  private BufferedImage image;
  private Source source;
  private int width;
  private int height;
  private int slots; // rows in each ring: a multiple of BAND, >= vertical window + BAND
  private int produced; // rows of the first horizontal pass written to the ring so far
  private int stripStep; // next step k of the last vertical pass
  private int stripCount; // its current window count
  private int nextRow; // next decimated row to fill

  private float[] lumaRows = new float[0]; // BAND x W luminance
  private float[] band = new float[0]; // BAND x W rows of the first vertical pass
  private float[] ring = new float[0]; // slots x W: first-horizontal-pass rows, row r at r % slots
  private float[] colSums = new float[0]; // W running sums of the first vertical pass
  private float[] strip = new float[0]; // slots x 64: second horizontal pass, sampled columns
  private int[] samples0 = new int[0]; // one row of band samples, or of packed ARGB
  private int[] samples1 = new int[0];
  private int[] samples2 = new int[0];
  private final int[] rowIndex = new int[N]; // decimation rows, non-decreasing
  private final int[] colIndex = new int[N + 1]; // decimation columns, then a sentinel W
  private final float[] sums64 = new float[N]; // running sums of the last vertical pass
  private final float[] decimated = new float[N * N]; // A, 64 x 64
  private final float[] dctRows = new float[K * N]; // T = D * A, 16 x 64
  /** B = D * A * D^T, 16 x 16, row u = vertical frequency u+1. Valid after {@link #compute}. */
  final float[] coeffs = new float[K * K];
  private final float[] transformed = new float[K * K]; // a dihedral variant of coeffs
  private final float[] sorted = new float[K * K]; // median scratch
  /** Quality of the last {@link #compute}, 0..100. */
  int quality;
  /** False when the last image was too small to hash (hash all zero, quality 0). */
  boolean hashable;

  /** Runs §2-§6 on {@code image}: fills {@link #coeffs}, {@link #quality}, {@link #hashable}. */
  void compute(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    if (w < MIN_SIDE || h < MIN_SIDE) {
      hashable = false;
      quality = 0;
      Arrays.fill(coeffs, 0f);
      return;
    }
    hashable = true;
    int wRow = (w + 127) / 128; // window along rows
    int wCol = (h + 127) / 128; // window along columns
    begin(img, w, h, wCol);
    try {
      blur(wRow, wCol);
    } finally {
      image = null; // do not pin the caller's image to the thread
    }
    assert nextRow == N : nextRow;
    quality = quality(decimated);
    dct(decimated, dctRows, coeffs);
  }

  private void begin(BufferedImage img, int w, int h, int wCol) {
    image = img;
    width = w;
    height = h;
    source = sourceOf(img);
    slots = (wCol + BAND + BAND - 1) / BAND * BAND;
    produced = 0;
    stripStep = 0;
    stripCount = 0;
    nextRow = 0;
    Arrays.fill(sums64, 0f);
    if (colSums.length < w) {
      lumaRows = new float[BAND * w];
      band = new float[BAND * w];
      colSums = new float[w];
      samples0 = new int[w];
      samples1 = new int[w];
      samples2 = new int[w];
    }
    if (ring.length < slots * w || ring.length > RETAINED_RING_FLOATS && ring.length > slots * w) {
      ring = new float[slots * w];
    }
    if (strip.length < slots * N) {
      strip = new float[slots * N];
    }
    for (int i = 0; i < N; i++) {
      // §4 in double, truncated: the centre of cell i.
      rowIndex[i] = (int) ((i + 0.5) * h / N);
      colIndex[i] = (int) ((i + 0.5) * w / N);
    }
    colIndex[N] = w; // sentinel: never reached by a column index
  }

  /**
   * The four passes X, Y, X, Y of §3 and the decimation of §4: rows are produced into the ring
   * in bands, the vertical pass emits one row per step, and every BAND emitted rows go through
   * the second horizontal pass into the strip ring, which the last vertical pass consumes. The
   * vertical running sums follow §3 per column: add row k+R, then subtract row k-L-1, then
   * divide.
   */
  private void blur(int wRow, int wCol) {
    int w = width;
    int h = height;
    int right = wCol / 2;
    int left = wCol - 1 - right;
    float[] sums = colSums;
    Arrays.fill(sums, 0, w, 0f);
    for (int r = 0; r < right; r++) {
      produceThrough(r, wRow);
      addRow(sums, ring, (r % slots) * w, w);
    }
    int count = right;
    int bandStart = 0; // first image row held in band[]
    for (int k = 0; k < h; k++) {
      if (k + right < h) {
        produceThrough(k + right, wRow);
        addRow(sums, ring, ((k + right) % slots) * w, w);
        count++;
      }
      if (k - left - 1 >= 0) {
        int o = ((k - left - 1) % slots) * w;
        for (int x = 0; x < w; x++) {
          sums[x] -= ring[o + x];
        }
        count--;
      }
      int o = (k - bandStart) * w;
      for (int x = 0; x < w; x++) {
        band[o + x] = sums[x] / count;
      }
      if (k - bandStart + 1 == BAND || k == h - 1) {
        int rows = k - bandStart + 1;
        boxRows(band, strip, (bandStart % slots) * N, rows, wRow, colIndex);
        bandStart = k + 1;
        stripAndDecimate(bandStart, wCol);
      }
    }
  }

  /**
   * Makes sure rows up to {@code row} have been through luminance and the first horizontal
   * pass. Bands start at multiples of BAND and slots is a multiple of BAND, so a band occupies
   * consecutive ring rows. A band overwrites rows at least {@code slots} older, which the
   * vertical pass has already subtracted ({@code slots >= window + BAND}).
   */
  private void produceThrough(int row, int wRow) {
    while (produced <= row) {
      int rows = Math.min(BAND, height - produced);
      loadLuma(produced, rows, lumaRows);
      boxRows(lumaRows, ring, (produced % slots) * width, rows, wRow, null);
      produced += rows;
    }
  }

  private static void addRow(float[] sums, float[] src, int off, int w) {
    for (int x = 0; x < w; x++) {
      sums[x] += src[off + x];
    }
  }

  /**
   * Box filter of window {@code win} along {@code rows} (at most BAND) consecutive rows of
   * {@code in} (stride W, from 0) into {@code out}. With {@code cols == null}, full rows are
   * written at {@code out[outOff + r*W + k]}; otherwise only the sampled columns, at {@code
   * out[outOff + r*64 + j]} for {@code k == cols[j]}. Four rows run interleaved; the three
   * loops are the reference's phases: adding only at the left edge, adding and subtracting,
   * subtracting only at the right edge ({@code left + 1 + right = win <= W}).
   */
  private void boxRows(float[] in, float[] out, int outOff, int rows, int win, int[] cols) {
    int w = width;
    int right = win / 2;
    int left = win - 1 - right;
    if (rows < BAND) {
      for (int r = 0; r < rows; r++) {
        boxRow(in, r * w, out, cols == null ? outOff + r * w : outOff + r * N, w, left, right,
            cols);
      }
      return;
    }
    int stride = cols == null ? w : N;
    int o0 = outOff;
    int o1 = o0 + stride;
    int o2 = o1 + stride;
    int o3 = o2 + stride;
    int i1 = w;
    int i2 = 2 * w;
    int i3 = 3 * w;
    float s0 = 0f;
    float s1 = 0f;
    float s2 = 0f;
    float s3 = 0f;
    for (int k = 0; k < right; k++) {
      s0 += in[k];
      s1 += in[i1 + k];
      s2 += in[i2 + k];
      s3 += in[i3 + k];
    }
    int count = right;
    int j = 0; // next sampled column (cols != null)
    int next = cols == null ? -1 : cols[0];
    int k = 0;
    for (; k <= left; k++) {
      int a = k + right;
      s0 += in[a];
      s1 += in[i1 + a];
      s2 += in[i2 + a];
      s3 += in[i3 + a];
      count++;
      if (cols == null) {
        out[o0 + k] = s0 / count;
        out[o1 + k] = s1 / count;
        out[o2 + k] = s2 / count;
        out[o3 + k] = s3 / count;
      } else {
        for (; next == k; next = cols[++j]) {
          out[o0 + j] = s0 / count;
          out[o1 + j] = s1 / count;
          out[o2 + j] = s2 / count;
          out[o3 + j] = s3 / count;
        }
      }
    }
    for (; k < w - right; k++) {
      int a = k + right;
      int r = k - left - 1;
      s0 += in[a];
      s0 -= in[r];
      s1 += in[i1 + a];
      s1 -= in[i1 + r];
      s2 += in[i2 + a];
      s2 -= in[i2 + r];
      s3 += in[i3 + a];
      s3 -= in[i3 + r];
      if (cols == null) {
        out[o0 + k] = s0 / count;
        out[o1 + k] = s1 / count;
        out[o2 + k] = s2 / count;
        out[o3 + k] = s3 / count;
      } else {
        for (; next == k; next = cols[++j]) {
          out[o0 + j] = s0 / count;
          out[o1 + j] = s1 / count;
          out[o2 + j] = s2 / count;
          out[o3 + j] = s3 / count;
        }
      }
    }
    for (; k < w; k++) {
      int r = k - left - 1;
      s0 -= in[r];
      s1 -= in[i1 + r];
      s2 -= in[i2 + r];
      s3 -= in[i3 + r];
      count--;
      if (cols == null) {
        out[o0 + k] = s0 / count;
        out[o1 + k] = s1 / count;
        out[o2 + k] = s2 / count;
        out[o3 + k] = s3 / count;
      } else {
        for (; next == k; next = cols[++j]) {
          out[o0 + j] = s0 / count;
          out[o1 + j] = s1 / count;
          out[o2 + j] = s2 / count;
          out[o3 + j] = s3 / count;
        }
      }
    }
    assert cols == null || j == N : j;
  }

  /** One row of {@link #boxRows}, in the plain form of PDQ-ALGORITHM.md §3. */
  private static void boxRow(float[] in, int inOff, float[] out, int outOff, int w, int left,
      int right, int[] cols) {
    float sum = 0f;
    int count = 0;
    for (int k = 0; k < right; k++) {
      sum += in[inOff + k];
      count++;
    }
    int j = 0;
    for (int k = 0; k < w; k++) {
      if (k + right < w) {
        sum += in[inOff + k + right];
        count++;
      }
      if (k - left - 1 >= 0) {
        sum -= in[inOff + k - left - 1];
        count--;
      }
      if (cols == null) {
        out[outOff + k] = sum / count;
      } else {
        for (; cols[j] == k; j++) {
          out[outOff + j] = sum / count;
        }
      }
    }
  }

  /**
   * Runs the last vertical pass (§3) on the strip ring as far as the {@code available} strip
   * rows allow, emitting the sampled rows into A (§4). A band of strip rows overwrites rows at
   * least {@code slots} older; by then this pass has advanced past needing them (it needs rows
   * from k-L-1 = available-window on, and slots >= window + BAND).
   */
  private void stripAndDecimate(int available, int win) {
    int h = height;
    int right = win / 2;
    int left = win - 1 - right;
    float[] sums = sums64;
    float[] s = strip;
    for (int k = stripStep; k < h && nextRow < N && (k + right < available || available == h);
        k++) {
      if (k == 0) {
        for (int r = 0; r < right; r++) {
          int o = (r % slots) * N;
          for (int j = 0; j < N; j++) {
            sums[j] += s[o + j];
          }
        }
        stripCount = right;
      }
      if (k + right < h) {
        int o = ((k + right) % slots) * N;
        for (int j = 0; j < N; j++) {
          sums[j] += s[o + j];
        }
        stripCount++;
      }
      if (k - left - 1 >= 0) {
        int o = ((k - left - 1) % slots) * N;
        for (int j = 0; j < N; j++) {
          sums[j] -= s[o + j];
        }
        stripCount--;
      }
      for (; nextRow < N && rowIndex[nextRow] == k; nextRow++) {
        int o = nextRow * N;
        for (int j = 0; j < N; j++) {
          decimated[o + j] = sums[j] / stripCount;
        }
      }
      stripStep = k + 1;
    }
  }

  // ---- §2 luminance ----

  private static Source sourceOf(BufferedImage image) {
    ColorModel cm = image.getColorModel();
    int csType = cm.getColorSpace().getType();
    if (cm instanceof IndexColorModel) {
      return Source.PACKED_RGB; // palette lookup, no colour conversion
    }
    if (csType == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1) {
      return isByteInterleaved(image.getRaster(), 1) ? Source.BYTES_GREY : Source.SAMPLES_GREY;
    }
    if (csType == ColorSpace.TYPE_RGB && cm.getNumColorComponents() == 3) {
      // Raw R, G, B samples whatever the colour space says: the reference ignores ICC profiles.
      return isByteInterleaved(image.getRaster(), 3) ? Source.BYTES_RGB : Source.SAMPLES_RGB;
    }
    return Source.PACKED_RGB; // e.g. CMYK or YCC: the colour model converts to sRGB
  }

  /** 8-bit samples in one byte array (JPEG, most PNGs): read directly. */
  private static boolean isByteInterleaved(Raster raster, int bands) {
    if (!(raster.getSampleModel() instanceof ComponentSampleModel csm)
        || !(raster.getDataBuffer() instanceof DataBufferByte)
        || raster.getDataBuffer().getNumBanks() != 1) {
      return false;
    }
    for (int b = 0; b < bands; b++) {
      if (csm.getSampleSize(b) != 8 || csm.getBankIndices()[b] != 0) {
        return false;
      }
    }
    return true;
  }

  /** Luminance of image rows {@code [y0, y0+rows)} into {@code dst} (stride W, from 0). */
  private void loadLuma(int y0, int rows, float[] dst) {
    switch (source) {
      case BYTES_GREY, BYTES_RGB -> loadBytes(y0, rows, dst, source == Source.BYTES_GREY);
      case SAMPLES_GREY -> loadGreySamples(y0, rows, dst);
      case SAMPLES_RGB -> loadRgbSamples(y0, rows, dst);
      case PACKED_RGB -> loadPacked(y0, rows, dst);
    }
  }

  private void loadBytes(int y0, int rows, float[] dst, boolean grey) {
    Raster raster = image.getRaster();
    ComponentSampleModel csm = (ComponentSampleModel) raster.getSampleModel();
    DataBuffer db = raster.getDataBuffer();
    byte[] data = ((DataBufferByte) db).getData();
    int w = width;
    int tx = raster.getMinX() - raster.getSampleModelTranslateX();
    int ty = raster.getMinY() - raster.getSampleModelTranslateY();
    int pixelStride = csm.getPixelStride();
    int base = db.getOffset();
    for (int r = 0; r < rows; r++) {
      int y = ty + y0 + r;
      int p = base + csm.getOffset(tx, y, 0);
      int o = r * w;
      if (grey) {
        for (int x = 0; x < w; x++, p += pixelStride) {
          dst[o + x] = data[p] & 0xff;
        }
      } else {
        int dg = csm.getOffset(tx, y, 1) - csm.getOffset(tx, y, 0);
        int dbl = csm.getOffset(tx, y, 2) - csm.getOffset(tx, y, 0);
        for (int x = 0; x < w; x++, p += pixelStride) {
          dst[o + x] = LUMA_R[data[p] & 0xff] + LUMA_G[data[p + dg] & 0xff]
              + LUMA_B[data[p + dbl] & 0xff];
        }
      }
    }
  }

  private void loadGreySamples(int y0, int rows, float[] dst) {
    Raster raster = image.getRaster();
    int bits = raster.getSampleModel().getSampleSize(0);
    int w = width;
    for (int r = 0; r < rows; r++) {
      raster.getSamples(raster.getMinX(), raster.getMinY() + y0 + r, w, 1, 0, samples0);
      int o = r * w;
      for (int x = 0; x < w; x++) {
        dst[o + x] = to8Bits(samples0[x], bits);
      }
    }
  }

  private void loadRgbSamples(int y0, int rows, float[] dst) {
    Raster raster = image.getRaster();
    SampleModel sm = raster.getSampleModel();
    int bitsR = sm.getSampleSize(0);
    int bitsG = sm.getSampleSize(1);
    int bitsB = sm.getSampleSize(2);
    int w = width;
    int x0 = raster.getMinX();
    for (int r = 0; r < rows; r++) {
      int y = raster.getMinY() + y0 + r;
      raster.getSamples(x0, y, w, 1, 0, samples0);
      raster.getSamples(x0, y, w, 1, 1, samples1);
      raster.getSamples(x0, y, w, 1, 2, samples2);
      int o = r * w;
      for (int x = 0; x < w; x++) {
        dst[o + x] = LUMA_R[to8Bits(samples0[x], bitsR)] + LUMA_G[to8Bits(samples1[x], bitsG)]
            + LUMA_B[to8Bits(samples2[x], bitsB)];
      }
    }
  }

  /** Through the colour model's sRGB conversion: palettes and non-RGB colour spaces. */
  private void loadPacked(int y0, int rows, float[] dst) {
    int w = width;
    for (int r = 0; r < rows; r++) {
      image.getRGB(0, y0 + r, w, 1, samples0, 0, w);
      int o = r * w;
      for (int x = 0; x < w; x++) {
        int argb = samples0[x];
        dst[o + x] = LUMA_R[(argb >>> 16) & 0xff] + LUMA_G[(argb >>> 8) & 0xff]
            + LUMA_B[argb & 0xff];
      }
    }
  }

  /** Thresholds {@link #coeffs} transformed by dihedral variant {@code d} into {@code out}. */
  void hashVariant(Dihedral d, byte[] out) {
    Arrays.fill(out, (byte) 0);
    if (!hashable) {
      return;
    }
    float[] b = d == Dihedral.ORIGINAL ? coeffs : transform(d);
    threshold(b, out);
  }

  private float[] transform(Dihedral d) {
    float[] a = coeffs;
    float[] t = transformed;
    for (int u = 0; u < K; u++) {
      for (int v = 0; v < K; v++) {
        float x = a[u * K + v];
        boolean negate = switch (d) {
          case ORIGINAL, FLIP_PLUS_1 -> false;
          case ROTATE_90, FLIP_Y -> (v & 1) == 0;
          case ROTATE_180, FLIP_MINUS_1 -> ((u + v) & 1) == 1;
          case ROTATE_270, FLIP_X -> (u & 1) == 0;
        };
        int dst = d.transposes() ? v * K + u : u * K + v;
        t[dst] = negate ? -x : x;
      }
    }
    return t;
  }

  /** §7: bit k = 16u+v is set iff b[k] > the 128th smallest value; big-endian bytes. */
  private void threshold(float[] b, byte[] out) {
    System.arraycopy(b, 0, sorted, 0, K * K);
    Arrays.sort(sorted);
    float median = sorted[K * K / 2 - 1];
    for (int k = 0; k < K * K; k++) {
      if (b[k] > median) {
        out[31 - (k >>> 3)] |= (byte) (1 << (k & 7));
      }
    }
  }

  /** A sample of {@code bits} bits as 0..255: the high byte of wider samples (§2.4). */
  private static int to8Bits(int sample, int bits) {
    if (bits == 8) {
      return sample;
    }
    if (bits > 8) {
      return sample >>> (bits - 8);
    }
    return sample * 255 / ((1 << bits) - 1);
  }

  // ---- §5 quality, §6 DCT ----

  private static int quality(float[] a) {
    int sum = 0;
    for (int i = 0; i < N - 1; i++) {
      for (int j = 0; j < N; j++) {
        float d = a[i * N + j] - a[(i + 1) * N + j];
        sum += Math.abs((int) ((d * 100) / 255));
      }
    }
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < N - 1; j++) {
        float d = a[i * N + j] - a[i * N + j + 1];
        sum += Math.abs((int) ((d * 100) / 255));
      }
    }
    return Math.min(100, sum / 90);
  }

  /**
   * B = D * A * D^T as two float matrix products. Every sum starts at 0 and runs over increasing
   * index, as in the reference; the loop order of the first product differs but each element
   * sees the same additions in the same order.
   */
  private static void dct(float[] a, float[] t, float[] b) {
    Arrays.fill(t, 0f);
    for (int u = 0; u < K; u++) {
      int tu = u * N;
      for (int y = 0; y < N; y++) {
        float d = DCT[u * N + y];
        int ay = y * N;
        for (int x = 0; x < N; x++) {
          t[tu + x] += d * a[ay + x];
        }
      }
    }
    for (int u = 0; u < K; u++) {
      for (int v = 0; v < K; v++) {
        float s = 0f;
        for (int x = 0; x < N; x++) {
          s += t[u * N + x] * DCT[v * N + x];
        }
        b[u * K + v] = s;
      }
    }
  }

  private static float[] dctMatrix() {
    float[] d = new float[K * N];
    float scale = (float) Math.sqrt(2.0 / N);
    for (int u = 0; u < K; u++) {
      for (int n = 0; n < N; n++) {
        d[u * N + n] = (float) (scale * Math.cos(((Math.PI / 128) * (u + 1)) * (2 * n + 1)));
      }
    }
    return d;
  }

  private static float[] lumaTable(float coefficient) {
    float[] t = new float[256];
    for (int v = 0; v < 256; v++) {
      t[v] = coefficient * v;
    }
    return t;
  }

  /** Heap held by this workspace's buffers. */
  @Override
  public long ramBytesUsed() {
    return 4L * (lumaRows.length + band.length + ring.length + colSums.length + strip.length + samples0.length
        + samples1.length + samples2.length + 2 * N + 1 + N + N * N + K * N + 3 * K * K) + 256;
  }
}
