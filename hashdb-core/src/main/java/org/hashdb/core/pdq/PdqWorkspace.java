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

/**
 * The PDQ pipeline of PDQ-ALGORITHM.md §2-§9 on one image, with every buffer it needs. Not
 * thread-safe: {@link PdqHasher} keeps one per thread and reuses it, so hashing allocates
 * nothing per image beyond the result (the luminance buffer is kept only up to {@link
 * #RETAINED_PIXELS}, so one huge image does not pin its memory to the thread).
 *
 * <p>Arithmetic is float32 in the reference's order; Java float arithmetic is strict (no FMA
 * contraction), so the results are bit-identical to the C++ reference given the same samples.
 */
final class PdqWorkspace {
  /** Images up to this many pixels reuse the thread's luminance buffer (4 bytes per pixel). */
  static final int RETAINED_PIXELS = 16 << 20;

  /** Side of the decimated image. */
  private static final int N = 64;
  /** Side of the kept DCT block. */
  private static final int K = 16;
  /** Images narrower or shorter than this hash to zero with quality 0, as the C++ core. */
  static final int MIN_SIDE = 5;

  /** DCT-II basis rows 1..16 over 64 samples, row-major 16 x 64 (§6). */
  private static final float[] DCT = dctMatrix();
  /** 0.299f * v, 0.587f * v, 0.114f * v for v = 0..255: the same floats as the products. */
  private static final float[] LUMA_R = lumaTable(0.299f);
  private static final float[] LUMA_G = lumaTable(0.587f);
  private static final float[] LUMA_B = lumaTable(0.114f);

  private float[] luma = new float[0]; // H x W luminance, blurred in place
  private float[] line = new float[0]; // copy of 4 rows for the in-place horizontal pass
  private float[] colSums = new float[0]; // W running sums of the vertical pass
  private float[] ring = new float[0]; // (L+1) x W original rows still to be subtracted
  private int[] samples0 = new int[0]; // one row of band samples, or of packed ARGB
  private int[] samples1 = new int[0];
  private int[] samples2 = new int[0];
  private final int[] rowIndex = new int[N]; // decimation rows
  private final int[] colIndex = new int[N]; // decimation columns
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
  void compute(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    if (w < MIN_SIDE || h < MIN_SIDE) {
      hashable = false;
      quality = 0;
      Arrays.fill(coeffs, 0f);
      return;
    }
    hashable = true;
    int pixels = Math.multiplyExact(w, h);
    float[] buf = pixels <= luma.length ? luma : new float[pixels];
    if (pixels > luma.length && pixels <= RETAINED_PIXELS) {
      luma = buf;
    }
    ensureLineBuffers(w);
    loadLuma(image, buf, w, h);
    int wRow = (w + 127) / 128;
    int wCol = (h + 127) / 128;
    // Two rounds of (rows, columns): X, Y, X, then the last Y only where decimation samples.
    boxRows(buf, w, h, wRow);
    boxColumns(buf, w, h, wCol);
    boxRows(buf, w, h, wRow);
    boxColumnsAndDecimate(buf, w, h, wCol);
    quality = quality(decimated);
    dct(decimated, dctRows, coeffs);
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

  private void ensureLineBuffers(int w) {
    if (colSums.length < w) {
      line = new float[4 * w];
      colSums = new float[w];
      samples0 = new int[w];
      samples1 = new int[w];
      samples2 = new int[w];
    }
  }

  // ---- §2 luminance ----

  private void loadLuma(BufferedImage image, float[] dst, int w, int h) {
    ColorModel cm = image.getColorModel();
    Raster raster = image.getRaster();
    int csType = cm.getColorSpace().getType();
    if (cm instanceof IndexColorModel) {
      loadPacked(image, dst, w, h); // palette lookup, no colour conversion
    } else if (csType == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1) {
      if (!loadBytes(raster, dst, w, h, true)) {
        loadGreySamples(raster, dst, w, h);
      }
    } else if (csType == ColorSpace.TYPE_RGB && cm.getNumColorComponents() == 3) {
      // Raw R, G, B samples whatever the colour space says: the reference ignores ICC profiles.
      if (!loadBytes(raster, dst, w, h, false)) {
        loadRgbSamples(raster, dst, w, h);
      }
    } else {
      loadPacked(image, dst, w, h); // e.g. CMYK or YCC: the colour model converts to sRGB
    }
  }

  /** Fast path for 8-bit interleaved byte rasters (JPEG, most PNGs); false if not applicable. */
  private static boolean loadBytes(Raster raster, float[] dst, int w, int h, boolean grey) {
    SampleModel sm = raster.getSampleModel();
    DataBuffer db = raster.getDataBuffer();
    if (!(sm instanceof ComponentSampleModel csm) || !(db instanceof DataBufferByte bytes)
        || db.getNumBanks() != 1) {
      return false;
    }
    int bands = grey ? 1 : 3;
    for (int b = 0; b < bands; b++) {
      if (csm.getSampleSize(b) != 8 || csm.getBankIndices()[b] != 0) {
        return false;
      }
    }
    byte[] data = bytes.getData();
    int tx = raster.getMinX() - raster.getSampleModelTranslateX();
    int ty = raster.getMinY() - raster.getSampleModelTranslateY();
    int pixelStride = csm.getPixelStride();
    int base = db.getOffset();
    if (grey) {
      for (int y = 0; y < h; y++) {
        int p = base + csm.getOffset(tx, ty + y, 0);
        int o = y * w;
        for (int x = 0; x < w; x++, p += pixelStride) {
          dst[o + x] = data[p] & 0xff;
        }
      }
      return true;
    }
    for (int y = 0; y < h; y++) {
      int p = base + csm.getOffset(tx, ty + y, 0);
      int dg = csm.getOffset(tx, ty + y, 1) - csm.getOffset(tx, ty + y, 0);
      int db2 = csm.getOffset(tx, ty + y, 2) - csm.getOffset(tx, ty + y, 0);
      int o = y * w;
      for (int x = 0; x < w; x++, p += pixelStride) {
        dst[o + x] = LUMA_R[data[p] & 0xff] + LUMA_G[data[p + dg] & 0xff]
            + LUMA_B[data[p + db2] & 0xff];
      }
    }
    return true;
  }

  private void loadGreySamples(Raster raster, float[] dst, int w, int h) {
    int bits = raster.getSampleModel().getSampleSize(0);
    int x0 = raster.getMinX();
    int y0 = raster.getMinY();
    for (int y = 0; y < h; y++) {
      raster.getSamples(x0, y0 + y, w, 1, 0, samples0);
      int o = y * w;
      for (int x = 0; x < w; x++) {
        dst[o + x] = to8Bits(samples0[x], bits);
      }
    }
  }

  private void loadRgbSamples(Raster raster, float[] dst, int w, int h) {
    SampleModel sm = raster.getSampleModel();
    int bitsR = sm.getSampleSize(0);
    int bitsG = sm.getSampleSize(1);
    int bitsB = sm.getSampleSize(2);
    int x0 = raster.getMinX();
    int y0 = raster.getMinY();
    for (int y = 0; y < h; y++) {
      raster.getSamples(x0, y0 + y, w, 1, 0, samples0);
      raster.getSamples(x0, y0 + y, w, 1, 1, samples1);
      raster.getSamples(x0, y0 + y, w, 1, 2, samples2);
      int o = y * w;
      for (int x = 0; x < w; x++) {
        dst[o + x] = LUMA_R[to8Bits(samples0[x], bitsR)] + LUMA_G[to8Bits(samples1[x], bitsG)]
            + LUMA_B[to8Bits(samples2[x], bitsB)];
      }
    }
  }

  /** Through the colour model's sRGB conversion: palettes and non-RGB colour spaces. */
  private void loadPacked(BufferedImage image, float[] dst, int w, int h) {
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, samples0, 0, w);
      int o = y * w;
      for (int x = 0; x < w; x++) {
        int argb = samples0[x];
        dst[o + x] = LUMA_R[(argb >>> 16) & 0xff] + LUMA_G[(argb >>> 8) & 0xff]
            + LUMA_B[argb & 0xff];
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

  // ---- §3 Jarosz box filter, §4 decimation ----

  /**
   * Box filter of window {@code win} along every row, in place (via a copy of the rows). Four
   * rows run interleaved so that their independent running sums overlap in the CPU; each row
   * still sees exactly the reference's sequence of float operations. The three loops are the
   * reference's phases: only adding at the left edge, adding and subtracting, only subtracting
   * at the right edge ({@code left + 1 + right = win <= w}, so the phases do not overlap).
   */
  private void boxRows(float[] buf, int w, int h, int win) {
    int right = win / 2;
    int left = win - 1 - right;
    float[] in = line; // 4 * w, see ensureLineBuffers
    int y = 0;
    for (; y + 4 <= h; y += 4) {
      int o0 = y * w;
      int o1 = o0 + w;
      int o2 = o1 + w;
      int o3 = o2 + w;
      System.arraycopy(buf, o0, in, 0, 4 * w);
      float s0 = 0f;
      float s1 = 0f;
      float s2 = 0f;
      float s3 = 0f;
      for (int k = 0; k < right; k++) {
        s0 += in[k];
        s1 += in[w + k];
        s2 += in[2 * w + k];
        s3 += in[3 * w + k];
      }
      int count = right;
      int k = 0;
      for (; k <= left; k++) {
        int a = k + right;
        s0 += in[a];
        s1 += in[w + a];
        s2 += in[2 * w + a];
        s3 += in[3 * w + a];
        count++;
        buf[o0 + k] = s0 / count;
        buf[o1 + k] = s1 / count;
        buf[o2 + k] = s2 / count;
        buf[o3 + k] = s3 / count;
      }
      for (; k < w - right; k++) {
        int a = k + right;
        int r = k - left - 1;
        s0 += in[a];
        s0 -= in[r];
        s1 += in[w + a];
        s1 -= in[w + r];
        s2 += in[2 * w + a];
        s2 -= in[2 * w + r];
        s3 += in[3 * w + a];
        s3 -= in[3 * w + r];
        buf[o0 + k] = s0 / count;
        buf[o1 + k] = s1 / count;
        buf[o2 + k] = s2 / count;
        buf[o3 + k] = s3 / count;
      }
      for (; k < w; k++) {
        int r = k - left - 1;
        s0 -= in[r];
        s1 -= in[w + r];
        s2 -= in[2 * w + r];
        s3 -= in[3 * w + r];
        count--;
        buf[o0 + k] = s0 / count;
        buf[o1 + k] = s1 / count;
        buf[o2 + k] = s2 / count;
        buf[o3 + k] = s3 / count;
      }
    }
    for (; y < h; y++) {
      boxRow(buf, y * w, in, w, left, right);
    }
  }

  /** One row of {@link #boxRows}, in the plain form of PDQ-ALGORITHM.md §3. */
  private static void boxRow(float[] buf, int o, float[] in, int w, int left, int right) {
    System.arraycopy(buf, o, in, 0, w);
    float sum = 0f;
    int count = 0;
    for (int k = 0; k < right; k++) {
      sum += in[k];
      count++;
    }
    for (int k = 0; k < w; k++) {
      if (k + right < w) {
        sum += in[k + right];
        count++;
      }
      if (k - left - 1 >= 0) {
        sum -= in[k - left - 1];
        count--;
      }
      buf[o + k] = sum / count;
    }
  }

  /**
   * Box filter of window {@code win} along every column, in place. It sweeps whole rows so that
   * memory is read in order; each column still sees exactly the reference's sequence of float
   * operations. Rows already overwritten are kept in a ring of {@code left + 1} rows until their
   * original values have been subtracted.
   */
  private void boxColumns(float[] buf, int w, int h, int win) {
    int right = win / 2;
    int left = win - 1 - right;
    int slots = left + 1;
    if (ring.length < slots * w) {
      ring = new float[slots * w];
    }
    float[] sums = colSums;
    Arrays.fill(sums, 0, w, 0f);
    for (int k = 0; k < right; k++) {
      addRow(sums, buf, k * w, w);
    }
    int count = right;
    for (int k = 0; k < h; k++) {
      if (k + right < h) {
        addRow(sums, buf, (k + right) * w, w);
        count++;
      }
      int slot = (k % slots) * w;
      if (k - left - 1 >= 0) {
        for (int x = 0; x < w; x++) {
          sums[x] -= ring[slot + x]; // original row k - left - 1
        }
        count--;
      }
      int o = k * w;
      System.arraycopy(buf, o, ring, slot, w);
      for (int x = 0; x < w; x++) {
        buf[o + x] = sums[x] / count;
      }
    }
  }

  private static void addRow(float[] sums, float[] buf, int off, int w) {
    for (int x = 0; x < w; x++) {
      sums[x] += buf[off + x];
    }
  }

  /** The last vertical pass, computed only in the 64 sampled columns, straight into A (§4). */
  private void boxColumnsAndDecimate(float[] buf, int w, int h, int win) {
    for (int i = 0; i < N; i++) {
      rowIndex[i] = (int) ((i + 0.5) * h / N);
      colIndex[i] = (int) ((i + 0.5) * w / N);
    }
    int right = win / 2;
    int left = win - 1 - right;
    float[] sums = sums64;
    int[] cols = colIndex;
    Arrays.fill(sums, 0f);
    for (int k = 0; k < right; k++) {
      for (int j = 0; j < N; j++) {
        sums[j] += buf[k * w + cols[j]];
      }
    }
    int count = right;
    int nextRow = 0; // next decimated row to fill; rowIndex is non-decreasing
    for (int k = 0; k < h && nextRow < N; k++) {
      if (k + right < h) {
        int o = (k + right) * w;
        for (int j = 0; j < N; j++) {
          sums[j] += buf[o + cols[j]];
        }
        count++;
      }
      if (k - left - 1 >= 0) {
        int o = (k - left - 1) * w;
        for (int j = 0; j < N; j++) {
          sums[j] -= buf[o + cols[j]];
        }
        count--;
      }
      while (nextRow < N && rowIndex[nextRow] == k) {
        int o = nextRow * N;
        for (int j = 0; j < N; j++) {
          decimated[o + j] = sums[j] / count;
        }
        nextRow++;
      }
    }
    assert nextRow == N : nextRow;
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
  long ramBytesUsed() {
    return 4L * (luma.length + line.length + colSums.length + ring.length + samples0.length
        + samples1.length + samples2.length + 2 * N + N + N * N + K * N + 3 * K * K) + 256;
  }
}
