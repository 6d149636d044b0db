package org.hashdb.core.psi;

import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.WNafUtil;

/**
 * Width-5 wNAF multiplication of many fresh points, sharing work across the batch: the tables of
 * odd multiples (P, 3P, ..., 15P) of all points are normalized together (one field inversion
 * per batch instead of one per point, as {@code ECPoint.multiply} does), and the same tables
 * serve both the evaluation {@code k·Cᵢ} of each point and the multi-scalar multiplication
 * {@code Σ dᵢ·Cᵢ} of the batched DLEQ proof (interleaved, one shared chain of doublings).
 * Bouncy Castle's point arithmetic throughout; stateless.
 */
final class BatchMultiplier {
  static final int WIDTH = 5;
  private static final int TABLE = 1 << (WIDTH - 2); // odd multiples 1..15

  private BatchMultiplier() {}

  /** The wNAF digits of {@code k} (least significant first), for {@link #multiply}. */
  static byte[] naf(java.math.BigInteger k) {
    return WNafUtil.generateWindowNaf(WIDTH, k);
  }

  /** Per point: odd multiples then their negations ({@code 2 * TABLE} normalized points). */
  static ECPoint[][] tables(ECCurve curve, ECPoint[] points) {
    ECPoint[] all = new ECPoint[points.length * TABLE];
    for (int i = 0; i < points.length; i++) {
      ECPoint p = points[i];
      ECPoint twice = p.twice();
      int base = i * TABLE;
      all[base] = p;
      for (int j = 1; j < TABLE; j++) {
        all[base + j] = all[base + j - 1].add(twice);
      }
    }
    curve.normalizeAll(all);
    ECPoint[][] out = new ECPoint[points.length][2 * TABLE];
    for (int i = 0; i < points.length; i++) {
      for (int j = 0; j < TABLE; j++) {
        ECPoint q = all[i * TABLE + j];
        out[i][j] = q;
        out[i][TABLE + j] = q.negate(); // still affine
      }
    }
    return out;
  }

  private static ECPoint entry(ECPoint[] table, int digit) {
    return digit > 0 ? table[digit >>> 1] : table[TABLE + ((-digit) >>> 1)];
  }

  /** {@code k·P} from P's table and k's digits; not normalized. */
  static ECPoint multiply(ECCurve curve, ECPoint[] table, byte[] naf) {
    ECPoint r = curve.getInfinity();
    int top = naf.length - 1;
    while (top >= 0 && naf[top] == 0) {
      top--;
    }
    for (int bit = top; bit >= 0; bit--) {
      r = r.twice();
      int d = naf[bit];
      if (d != 0) {
        r = r.add(entry(table, d));
      }
    }
    return r;
  }

  /** {@code Σ dᵢ·Pᵢ} from the points' tables and the scalars' digits; not normalized. */
  static ECPoint sumOfMultiplies(ECCurve curve, ECPoint[][] tables, byte[][] nafs) {
    int top = 0;
    for (byte[] n : nafs) {
      top = Math.max(top, n.length);
    }
    ECPoint r = curve.getInfinity();
    for (int bit = top - 1; bit >= 0; bit--) {
      r = r.twice();
      for (int i = 0; i < nafs.length; i++) {
        byte[] n = nafs[i];
        if (bit < n.length && n[bit] != 0) {
          r = r.add(entry(tables[i], n[bit]));
        }
      }
    }
    return r;
  }
}
