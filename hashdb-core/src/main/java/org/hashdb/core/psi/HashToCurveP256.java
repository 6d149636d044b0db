package org.hashdb.core.psi;

import java.math.BigInteger;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECFieldElement;
import org.bouncycastle.math.ec.ECPoint;

/**
 * RFC 9380 {@code P256_XMD:SHA-256_SSWU_RO_}: hash_to_field (L = 48, two elements) and the
 * simplified SWU map (Z = -10), then the sum of both mapped points (P-256 has cofactor 1).
 * Branches on the input: fine for the server's public entries; a client hashing a secret
 * input leaks timing only to its own machine.
 */
final class HashToCurveP256 {
  private static final int L = 48;

  private final ECCurve curve;
  private final BigInteger p;
  private final ECFieldElement a;
  private final ECFieldElement b;
  private final ECFieldElement z;
  private final ECFieldElement minusBOverA;
  private final ECFieldElement bOverZA;

  HashToCurveP256(ECCurve curve) {
    this.curve = curve;
    this.p = curve.getField().getCharacteristic();
    this.a = curve.getA();
    this.b = curve.getB();
    this.z = curve.fromBigInteger(p.subtract(BigInteger.TEN));
    this.minusBOverA = b.negate().divide(a);
    this.bOverZA = b.divide(z.multiply(a));
  }

  /** hash_to_curve(msg) with the given DST; the result is normalized and never the identity in practice. */
  public ECPoint hashToCurve(byte[] msg, byte[] dst) {
    byte[] uniform = ExpandMessageXmd.expand(msg, dst, 2 * L);
    ECPoint q0 = mapToCurve(fieldElement(uniform, 0));
    ECPoint q1 = mapToCurve(fieldElement(uniform, L));
    return q0.add(q1).normalize();
  }

  private ECFieldElement fieldElement(byte[] uniform, int off) {
    byte[] chunk = new byte[L];
    System.arraycopy(uniform, off, chunk, 0, L);
    return curve.fromBigInteger(new BigInteger(1, chunk).mod(p));
  }

  /** RFC 9380 section 6.6.2, straight-line version. */
  ECPoint mapToCurve(ECFieldElement u) {
    ECFieldElement u2 = u.square();
    ECFieldElement zu2 = z.multiply(u2);
    ECFieldElement den = zu2.square().add(zu2); // Z^2 u^4 + Z u^2
    ECFieldElement x1 = den.isZero() ? bOverZA : minusBOverA.multiply(den.invert().addOne());
    ECFieldElement gx1 = g(x1);
    ECFieldElement y = gx1.sqrt();
    ECFieldElement x = x1;
    if (y == null) {
      x = zu2.multiply(x1);
      y = g(x).sqrt();
      if (y == null) {
        throw new IllegalStateException("SSWU: neither g(x1) nor g(x2) is square");
      }
    }
    if (sgn0(u) != sgn0(y)) {
      y = y.negate();
    }
    return curve.createPoint(x.toBigInteger(), y.toBigInteger());
  }

  private ECFieldElement g(ECFieldElement x) {
    return x.square().add(a).multiply(x).add(b);
  }

  private static boolean sgn0(ECFieldElement e) {
    return e.testBitZero();
  }
}
