package org.hashdb.core.psi;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;

/**
 * RFC 9497 {@code modeVOPRF} (0x01) with suite {@code P256-SHA256}: the group, its
 * serialization (33-byte compressed SEC1 elements, 32-byte big-endian scalars), HashToGroup,
 * HashToScalar, DeriveKeyPair, and the DLEQ proof (batched: ComputeComposites /
 * ComputeCompositesFast). Stateless and thread-safe; the one instance is {@link #P256_SHA256}.
 */
public final class Voprf {
  /** RFC 9497 suite identifier. */
  public static final String SUITE = "P256-SHA256";
  /** RFC 9497 mode identifier of {@code modeVOPRF}. */
  public static final int MODE_VOPRF = 0x01;
  /** Serialized element length Ne. */
  public static final int ELEMENT_BYTES = 33;
  /** Serialized scalar length Ns. */
  public static final int SCALAR_BYTES = 32;
  /** Serialized proof length (c || s). */
  public static final int PROOF_BYTES = 2 * SCALAR_BYTES;
  /** Output length Nh. */
  public static final int OUTPUT_BYTES = 32;

  public static final Voprf P256_SHA256 = new Voprf();

  private static final byte[] CHALLENGE = ascii("Challenge");
  private static final byte[] COMPOSITE = ascii("Composite");
  private static final byte[] FINALIZE = ascii("Finalize");

  private final ECCurve curve;
  private final ECPoint generator;
  private final BigInteger order;
  private final BigInteger fieldPrime;
  private final HashToCurveP256 h2c;
  private final FixedPointCombMultiplier fixedBase = new FixedPointCombMultiplier();
  private final byte[] hashToGroupDst;
  private final byte[] hashToScalarDst;
  private final byte[] deriveKeyPairDst;
  private final byte[] seedDst;

  private Voprf() {
    X9ECParameters params = CustomNamedCurves.getByName("secp256r1");
    this.curve = params.getCurve();
    this.generator = params.getG().normalize();
    this.order = params.getN();
    this.fieldPrime = curve.getField().getCharacteristic();
    this.h2c = new HashToCurveP256(curve);
    byte[] context = contextString();
    this.hashToGroupDst = concat(ascii("HashToGroup-"), context);
    this.hashToScalarDst = concat(ascii("HashToScalar-"), context);
    this.deriveKeyPairDst = concat(ascii("DeriveKeyPair"), context);
    this.seedDst = concat(ascii("Seed-"), context);
  }

  /** {@code "OPRFV1-" || I2OSP(0x01, 1) || "-" || "P256-SHA256"}. */
  private static byte[] contextString() {
    return concat(ascii("OPRFV1-"), new byte[] {MODE_VOPRF}, ascii("-" + SUITE));
  }

  public ECCurve curve() {
    return curve;
  }

  public ECPoint generator() {
    return generator;
  }

  public BigInteger order() {
    return order;
  }

  // ---- group operations -------------------------------------------------------------

  /** HashToGroup with the RFC 9497 DST; the result is normalized. */
  public ECPoint hashToGroup(byte[] input) {
    return h2c.hashToCurve(input, hashToGroupDst);
  }

  /** HashToScalar with the RFC 9497 DST. */
  public BigInteger hashToScalar(byte[] input) {
    return hashToScalar(input, hashToScalarDst);
  }

  BigInteger hashToScalar(byte[] input, byte[] dst) {
    return new BigInteger(1, ExpandMessageXmd.expand(input, dst, 48)).mod(order);
  }

  /** ScalarMultGen through Bouncy Castle's fixed-base comb (precomputed once per process). */
  public ECPoint multiplyGenerator(BigInteger k) {
    return fixedBase.multiply(generator, k);
  }

  /** A uniformly random non-zero scalar. */
  public BigInteger randomScalar(SecureRandom random) {
    return BigIntegers.createRandomInRange(BigInteger.ONE, order.subtract(BigInteger.ONE), random);
  }

  /** RFC 9497 DeriveKeyPair(seed, info): the private scalar. */
  public BigInteger deriveKeyPair(byte[] seed, byte[] info) {
    byte[] deriveInput = concat(seed, i2osp2(info.length), info, new byte[1]);
    for (int counter = 0; counter <= 255; counter++) {
      deriveInput[deriveInput.length - 1] = (byte) counter;
      BigInteger sk = hashToScalar(deriveInput, deriveKeyPairDst);
      if (sk.signum() != 0) {
        return sk;
      }
    }
    throw new IllegalStateException("DeriveKeyPairError");
  }

  // ---- serialization ----------------------------------------------------------------

  /** SerializeElement: compressed SEC1; the identity has no encoding here. */
  public byte[] serializeElement(ECPoint p) {
    if (p.isInfinity()) {
      throw new IllegalArgumentException("the identity element cannot be serialized");
    }
    return p.getEncoded(true);
  }

  /**
   * DeserializeElement with the RFC 9497 checks: exactly 33 bytes, prefix 02/03, x < p, on the
   * curve, not the identity.
   *
   * @throws InvalidElementException naming what is wrong
   */
  public ECPoint deserializeElement(byte[] buf) {
    if (buf == null || buf.length != ELEMENT_BYTES) {
      throw new InvalidElementException(
          "expected " + ELEMENT_BYTES + " bytes, got " + (buf == null ? 0 : buf.length));
    }
    if (buf[0] != 0x02 && buf[0] != 0x03) {
      throw new InvalidElementException("not a compressed point (prefix must be 02 or 03)");
    }
    BigInteger x = new BigInteger(1, java.util.Arrays.copyOfRange(buf, 1, ELEMENT_BYTES));
    if (x.compareTo(fieldPrime) >= 0) {
      throw new InvalidElementException("x coordinate out of range");
    }
    ECPoint point;
    try {
      point = curve.decodePoint(buf);
    } catch (IllegalArgumentException e) {
      throw new InvalidElementException("not a point on P-256");
    }
    if (point.isInfinity() || !point.isValid()) {
      throw new InvalidElementException("not a valid P-256 element");
    }
    return point.normalize();
  }

  public byte[] serializeScalar(BigInteger s) {
    return BigIntegers.asUnsignedByteArray(SCALAR_BYTES, s);
  }

  /** DeserializeScalar: exactly 32 bytes, value below the group order. */
  public BigInteger deserializeScalar(byte[] buf) {
    if (buf == null || buf.length != SCALAR_BYTES) {
      throw new IllegalArgumentException("a scalar is " + SCALAR_BYTES + " bytes");
    }
    BigInteger s = new BigInteger(1, buf);
    if (s.compareTo(order) >= 0) {
      throw new IllegalArgumentException("scalar out of range");
    }
    return s;
  }

  // ---- PRF output -------------------------------------------------------------------

  /** Hash(I2OSP(len(input),2) || input || I2OSP(33,2) || element || "Finalize"). */
  public byte[] finalizeHash(byte[] input, byte[] serializedElement) {
    MessageDigest h = ExpandMessageXmd.sha256();
    h.update(i2osp2(input.length));
    h.update(input);
    h.update(i2osp2(serializedElement.length));
    h.update(serializedElement);
    return h.digest(FINALIZE);
  }

  // ---- DLEQ proofs ------------------------------------------------------------------

  /**
   * The composite scalars d_i of ComputeComposites(Fast) for public key {@code pk} and the
   * serialized elements {@code c[i]}, {@code d[i]}.
   */
  BigInteger[] compositeScalars(byte[] pk, byte[][] c, byte[][] d) {
    MessageDigest h = ExpandMessageXmd.sha256();
    h.update(i2osp2(pk.length));
    h.update(pk);
    h.update(i2osp2(seedDst.length));
    byte[] seed = h.digest(seedDst);
    BigInteger[] out = new BigInteger[c.length];
    byte[] transcript = new byte[2 + seed.length + 2 + 2 + ELEMENT_BYTES + 2 + ELEMENT_BYTES
        + COMPOSITE.length];
    int pos = 0;
    pos = put(transcript, pos, i2osp2(seed.length));
    pos = put(transcript, pos, seed);
    int indexPos = pos;
    for (int i = 0; i < c.length; i++) {
      int q = indexPos;
      q = put(transcript, q, i2osp2(i));
      q = put(transcript, q, i2osp2(ELEMENT_BYTES));
      q = put(transcript, q, c[i]);
      q = put(transcript, q, i2osp2(ELEMENT_BYTES));
      q = put(transcript, q, d[i]);
      put(transcript, q, COMPOSITE);
      out[i] = hashToScalar(transcript);
    }
    return out;
  }

  /** The challenge scalar over (B, M, Z, t2, t3), all serialized. */
  BigInteger challenge(byte[] bm, byte[] a0, byte[] a1, byte[] a2, byte[] a3) {
    byte[] transcript = concat(i2osp2(bm.length), bm, i2osp2(a0.length), a0, i2osp2(a1.length),
        a1, i2osp2(a2.length), a2, i2osp2(a3.length), a3, CHALLENGE);
    return hashToScalar(transcript);
  }

  /**
   * GenerateProof(k, G, pk, C, D) with ComputeCompositesFast; {@code r} is the proof's random
   * scalar (a parameter for the RFC test vectors). Elements C are given serialized and as
   * {@link BatchMultiplier} tables.
   */
  byte[] generateProof(BigInteger k, byte[] pk, ECPoint[][] cTables, byte[][] c, byte[][] d,
      BigInteger r) {
    BigInteger[] di = compositeScalars(pk, c, d);
    byte[][] nafs = new byte[di.length][];
    for (int i = 0; i < di.length; i++) {
      nafs[i] = BatchMultiplier.naf(di[i]);
    }
    ECPoint m = BatchMultiplier.sumOfMultiplies(curve, cTables, nafs);
    ECPoint z = m.multiply(k);
    ECPoint t2 = multiplyGenerator(r);
    ECPoint t3 = m.multiply(r);
    ECPoint[] batch = {m, z, t2, t3};
    curve.normalizeAll(batch);
    BigInteger ch = challenge(pk, batch[0].getEncoded(true), batch[1].getEncoded(true),
        batch[2].getEncoded(true), batch[3].getEncoded(true));
    BigInteger s = r.subtract(ch.multiply(k)).mod(order);
    return concat(serializeScalar(ch), serializeScalar(s));
  }

  /** VerifyProof(G, pk, C, D, proof) with ComputeComposites; false on any mismatch. */
  boolean verifyProof(ECPoint pkPoint, byte[] pk, ECPoint[] cPoints, ECPoint[] dPoints,
      byte[][] c, byte[][] d, byte[] proof) {
    if (proof == null || proof.length != PROOF_BYTES) {
      return false;
    }
    BigInteger ch;
    BigInteger s;
    try {
      ch = deserializeScalar(java.util.Arrays.copyOfRange(proof, 0, SCALAR_BYTES));
      s = deserializeScalar(java.util.Arrays.copyOfRange(proof, SCALAR_BYTES, PROOF_BYTES));
    } catch (IllegalArgumentException e) {
      return false;
    }
    BigInteger[] di = compositeScalars(pk, c, d);
    ECPoint m = ECAlgorithms.sumOfMultiplies(cPoints, di);
    ECPoint z = ECAlgorithms.sumOfMultiplies(dPoints, di);
    if (m.isInfinity() || z.isInfinity()) {
      return false;
    }
    ECPoint t2 = ECAlgorithms.sumOfTwoMultiplies(generator, s, pkPoint, ch);
    ECPoint t3 = ECAlgorithms.sumOfTwoMultiplies(m, s, z, ch);
    if (t2.isInfinity() || t3.isInfinity()) {
      return false;
    }
    ECPoint[] batch = {m, z, t2, t3};
    curve.normalizeAll(batch);
    BigInteger expected = challenge(pk, batch[0].getEncoded(true), batch[1].getEncoded(true),
        batch[2].getEncoded(true), batch[3].getEncoded(true));
    return MessageDigest.isEqual(serializeScalar(expected), serializeScalar(ch));
  }

  // ---- byte helpers -----------------------------------------------------------------

  static byte[] i2osp2(int v) {
    if (v < 0 || v > 0xFFFF) {
      throw new IllegalArgumentException("length does not fit in two bytes: " + v);
    }
    return new byte[] {(byte) (v >>> 8), (byte) v};
  }

  private static int put(byte[] dst, int pos, byte[] src) {
    System.arraycopy(src, 0, dst, pos, src.length);
    return pos + src.length;
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int pos = 0;
    for (byte[] p : parts) {
      pos = put(out, pos, p);
    }
    return out;
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
