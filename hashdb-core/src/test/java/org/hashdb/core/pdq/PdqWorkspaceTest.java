package org.hashdb.core.pdq;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.hashdb.testing.TestRandom;

/**
 * Randomized cross-check of the optimised pipeline (in-place passes, interleaved rows, fused
 * last pass) against a direct transcription of PDQ-ALGORITHM.md §2-§6 with two full buffers.
 * Coefficients must agree bit for bit.
 */
class PdqWorkspaceTest {
  @Test
  void compute_randomImages_bitIdenticalToPlainTranscription() {
    Random random = TestRandom.random(20261128);
    PdqWorkspace ws = new PdqWorkspace();
    // Fixed edge shapes (narrow, flat, exactly 64, window changes at 128/129, ring wrapping
    // many times), then random sizes.
    int[][] shapes = {{5, 5}, {5, 1500}, {1500, 5}, {64, 64}, {128, 129}, {129, 257},
        {300, 4001}, {63, 65}};
    for (int round = 0; round < 60 + shapes.length; round++) {
      boolean fixed = round < shapes.length;
      int w = fixed ? shapes[round][0] : 5 + random.nextInt(round < 30 ? 140 : 700);
      int h = fixed ? shapes[round][1] : 5 + random.nextInt(round < 30 ? 140 : 700);
      BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
      int[] rgb = new int[w * h];
      for (int i = 0; i < rgb.length; i++) {
        rgb[i] = random.nextInt();
      }
      img.setRGB(0, 0, w, h, rgb, 0, w);
      ws.compute(img);
      Oracle o = new Oracle(img);
      assertThat(ws.quality).as("%dx%d", w, h).isEqualTo(o.quality);
      for (int k = 0; k < 256; k++) {
        assertThat(Float.floatToIntBits(ws.coeffs[k])).as("%dx%d coefficient %d", w, h, k)
            .isEqualTo(Float.floatToIntBits(o.coeffs[k]));
      }
    }
  }

  /** The brief's steps, literally: getRGB, two H x W buffers, X/Y/X/Y, decimate, quality, DCT. */
  private static final class Oracle {
    final float[] coeffs = new float[256];
    final int quality;

    Oracle(BufferedImage img) {
      int w = img.getWidth();
      int h = img.getHeight();
      float[] b1 = new float[w * h];
      float[] b2 = new float[w * h];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int p = img.getRGB(x, y);
          int r = (p >> 16) & 0xff;
          int g = (p >> 8) & 0xff;
          int b = p & 0xff;
          b1[y * w + x] = 0.299f * r + 0.587f * g + 0.114f * b;
        }
      }
      int wRow = (w + 127) / 128;
      int wCol = (h + 127) / 128;
      for (int pass = 0; pass < 2; pass++) {
        for (int y = 0; y < h; y++) {
          box(b1, b2, y * w, 1, w, wRow);
        }
        for (int x = 0; x < w; x++) {
          box(b2, b1, x, w, h, wCol);
        }
      }
      float[][] a = new float[64][64];
      for (int i = 0; i < 64; i++) {
        for (int j = 0; j < 64; j++) {
          a[i][j] = b1[(int) ((i + 0.5) * h / 64) * w + (int) ((j + 0.5) * w / 64)];
        }
      }
      int sum = 0;
      for (int i = 0; i < 63; i++) {
        for (int j = 0; j < 64; j++) {
          sum += Math.abs((int) (((a[i][j] - a[i + 1][j]) * 100) / 255));
        }
      }
      for (int i = 0; i < 64; i++) {
        for (int j = 0; j < 63; j++) {
          sum += Math.abs((int) (((a[i][j] - a[i][j + 1]) * 100) / 255));
        }
      }
      quality = Math.min(100, sum / 90);
      float[][] d = new float[16][64];
      float c = (float) Math.sqrt(2.0 / 64);
      for (int u = 0; u < 16; u++) {
        for (int n = 0; n < 64; n++) {
          d[u][n] = (float) (c * Math.cos(((Math.PI / 128) * (u + 1)) * (2 * n + 1)));
        }
      }
      float[][] t = new float[16][64];
      for (int u = 0; u < 16; u++) {
        for (int x = 0; x < 64; x++) {
          float s = 0f;
          for (int y = 0; y < 64; y++) {
            s += d[u][y] * a[y][x];
          }
          t[u][x] = s;
        }
      }
      for (int u = 0; u < 16; u++) {
        for (int v = 0; v < 16; v++) {
          float s = 0f;
          for (int x = 0; x < 64; x++) {
            s += t[u][x] * d[v][x];
          }
          coeffs[16 * u + v] = s;
        }
      }
    }

    /** §3 running sum over in[off + k*stride], k = 0..n-1. */
    private static void box(float[] in, float[] out, int off, int stride, int n, int win) {
      int right = win / 2;
      int left = win - 1 - right;
      float sum = 0f;
      int count = 0;
      for (int k = 0; k < right; k++) {
        sum += in[off + k * stride];
        count++;
      }
      for (int k = 0; k < n; k++) {
        if (k + right < n) {
          sum += in[off + (k + right) * stride];
          count++;
        }
        if (k - left - 1 >= 0) {
          sum -= in[off + (k - left - 1) * stride];
          count--;
        }
        out[off + k * stride] = sum / count;
      }
    }
  }
}
