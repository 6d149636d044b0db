package org.hashdb.core.psi;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The server side of RFC 9497 modeVOPRF for one private key: BlindEvaluate over a batch with
 * one batched DLEQ proof, and Evaluate (the PRF output for an input the server knows).
 * Immutable and thread-safe.
 */
public final class VoprfServer {
  private static final Voprf G = Voprf.P256_SHA256;

  private final BigInteger sk;
  private final byte[] skNaf; // sk's width-5 wNAF digits, computed once
  private final byte[] publicKey;

  /** @param sk the private scalar, 1 <= sk < order */
  public VoprfServer(BigInteger sk) {
    if (sk.signum() <= 0 || sk.compareTo(G.order()) >= 0) {
      throw new IllegalArgumentException("private key out of range");
    }
    this.sk = sk;
    this.skNaf = BatchMultiplier.naf(sk);
    this.publicKey = G.serializeElement(G.multiplyGenerator(sk).normalize());
  }

  /** A new key from 32 bytes of the given random source (RFC 9497 DeriveKeyPair on a fresh seed). */
  public static VoprfServer generate(SecureRandom random) {
    byte[] seed = new byte[Voprf.SCALAR_BYTES];
    random.nextBytes(seed);
    return new VoprfServer(G.deriveKeyPair(seed, Voprf.ascii("HashDB OPRF key")));
  }

  /** The serialized private key (32 bytes); for the key file only. */
  public byte[] privateKeyBytes() {
    return G.serializeScalar(sk);
  }

  /** The serialized public key pkS (33 bytes, a fresh copy). */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** RFC 9497 Evaluate(skS, input): the 32-byte PRF output. */
  public byte[] evaluate(byte[] input) {
    ECPoint p = G.hashToGroup(input);
    if (p.isInfinity()) {
      throw new IllegalArgumentException("input hashes to the identity");
    }
    return G.finalizeHash(input, p.multiply(sk).normalize().getEncoded(true));
  }

  /**
   * Evaluate for many inputs at once: the same outputs as {@link #evaluate} each, with the
   * multiplications' tables normalized together (for the background precomputation).
   */
  public byte[][] evaluateAll(byte[][] inputs) {
    int n = inputs.length;
    ECPoint[] points = new ECPoint[n];
    for (int i = 0; i < n; i++) {
      points[i] = G.hashToGroup(inputs[i]);
      if (points[i].isInfinity()) {
        throw new IllegalArgumentException("input " + i + " hashes to the identity");
      }
    }
    ECPoint[][] tables = BatchMultiplier.tables(G.curve(), points);
    ECPoint[] evaluated = new ECPoint[n];
    for (int i = 0; i < n; i++) {
      evaluated[i] = BatchMultiplier.multiply(G.curve(), tables[i], skNaf);
    }
    G.curve().normalizeAll(evaluated);
    byte[][] out = new byte[n][];
    for (int i = 0; i < n; i++) {
      out[i] = G.finalizeHash(inputs[i], evaluated[i].getEncoded(true));
    }
    return out;
  }

  /**
   * BlindEvaluate for a batch of already deserialized (validated) blinded elements.
   *
   * @param blinded the points (from {@link Voprf#deserializeElement})
   * @param blindedBytes their serializations, same order
   */
  public Evaluation blindEvaluate(ECPoint[] blinded, byte[][] blindedBytes, SecureRandom random) {
    return blindEvaluate(blinded, blindedBytes, G.randomScalar(random));
  }

  /** As above with the proof's random scalar given (RFC test vectors). */
  public Evaluation blindEvaluate(ECPoint[] blinded, byte[][] blindedBytes, BigInteger proofRandom) {
    if (blinded.length == 0 || blinded.length != blindedBytes.length) {
      throw new IllegalArgumentException("batch must be non-empty and consistent");
    }
    ECPoint[][] tables = BatchMultiplier.tables(G.curve(), blinded);
    ECPoint[] evaluated = new ECPoint[blinded.length];
    for (int i = 0; i < blinded.length; i++) {
      evaluated[i] = BatchMultiplier.multiply(G.curve(), tables[i], skNaf);
    }
    G.curve().normalizeAll(evaluated);
    byte[][] evaluatedBytes = new byte[evaluated.length][];
    for (int i = 0; i < evaluated.length; i++) {
      evaluatedBytes[i] = evaluated[i].getEncoded(true);
    }
    byte[] proof = G.generateProof(sk, publicKey, tables, blindedBytes, evaluatedBytes,
        proofRandom);
    return new Evaluation(evaluatedBytes, proof);
  }

  /** Evaluated elements (33 bytes each, in request order) and one batched proof (64 bytes). */
  public static final class Evaluation {
    private final byte[][] evaluated;
    private final byte[] proof;

    Evaluation(byte[][] evaluated, byte[] proof) {
      this.evaluated = evaluated;
      this.proof = proof;
    }

    public int size() {
      return evaluated.length;
    }

    /** The serialized evaluated element i (not copied: do not modify). */
    public byte[] evaluated(int i) {
      return evaluated[i];
    }

    public byte[] proof() {
      return proof.clone();
    }
  }
}
