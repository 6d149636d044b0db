package org.hashdb.core.psi;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The client side of RFC 9497 modeVOPRF against one pinned server public key: Blind, then
 * Finalize over a batch after checking the batched DLEQ proof. Immutable and thread-safe; a
 * {@link Blinded} value belongs to one request.
 */
public final class VoprfClient {
  private static final Voprf G = Voprf.P256_SHA256;

  private final ECPoint publicKeyPoint;
  private final byte[] publicKey;

  /**
   * @param publicKey the server's serialized public key (33 bytes)
   * @throws InvalidElementException if it is not a valid element
   */
  public VoprfClient(byte[] publicKey) {
    this.publicKeyPoint = G.deserializeElement(publicKey);
    this.publicKey = publicKey.clone();
  }

  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** Blind(input) with a fresh random blind. */
  public Blinded blind(byte[] input, SecureRandom random) {
    return blind(input, G.randomScalar(random));
  }

  /** Blind(input) with the given blind (RFC test vectors). */
  public Blinded blind(byte[] input, BigInteger blind) {
    ECPoint p = G.hashToGroup(input);
    if (p.isInfinity()) {
      throw new IllegalArgumentException("input hashes to the identity");
    }
    ECPoint blinded = p.multiply(blind).normalize();
    return new Blinded(input.clone(), blind, blinded, blinded.getEncoded(true));
  }

  /**
   * Verifies the batched proof over all pairs, then finalizes each: the 32-byte PRF outputs in
   * order.
   *
   * @throws InvalidElementException if an evaluated element is malformed
   * @throws ProofException if the proof does not verify
   */
  public byte[][] finalizeBatch(Blinded[] blinded, byte[][] evaluatedBytes, byte[] proof) {
    if (blinded.length == 0 || blinded.length != evaluatedBytes.length) {
      throw new IllegalArgumentException("expected " + blinded.length + " evaluated elements, got "
          + evaluatedBytes.length);
    }
    int n = blinded.length;
    ECPoint[] c = new ECPoint[n];
    ECPoint[] d = new ECPoint[n];
    byte[][] cBytes = new byte[n][];
    for (int i = 0; i < n; i++) {
      c[i] = blinded[i].point;
      cBytes[i] = blinded[i].serialized;
      try {
        d[i] = G.deserializeElement(evaluatedBytes[i]);
      } catch (InvalidElementException e) {
        throw new InvalidElementException("evaluatedElements[" + i + "]: " + e.getMessage());
      }
    }
    if (!G.verifyProof(publicKeyPoint, publicKey, c, d, cBytes, evaluatedBytes, proof)) {
      throw new ProofException("the server's DLEQ proof does not verify against the pinned key");
    }
    byte[][] out = new byte[n][];
    BigInteger order = G.order();
    for (int i = 0; i < n; i++) {
      ECPoint unblinded = d[i].multiply(blinded[i].blind.modInverse(order)).normalize();
      out[i] = G.finalizeHash(blinded[i].input, unblinded.getEncoded(true));
    }
    return out;
  }

  /** One blinded input: the blind stays with the client, {@link #serialized()} is sent. */
  public static final class Blinded {
    private final byte[] input;
    private final BigInteger blind;
    private final ECPoint point;
    private final byte[] serialized;

    Blinded(byte[] input, BigInteger blind, ECPoint point, byte[] serialized) {
      this.input = input;
      this.blind = blind;
      this.point = point;
      this.serialized = serialized;
    }

    /** The blinded element, serialized (33 bytes, a fresh copy). */
    public byte[] serialized() {
      return serialized.clone();
    }
  }
}
