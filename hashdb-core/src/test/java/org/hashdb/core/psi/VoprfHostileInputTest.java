package org.hashdb.core.psi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Random;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.encoders.Hex;
import org.hashdb.core.hash.HashType;
import org.junit.jupiter.api.Test;
import org.hashdb.testing.TestRandom;

/** Malformed elements, proofs and keys are refused; bucketing and inputs are as specified. */
class VoprfHostileInputTest {
  private static final Voprf G = Voprf.P256_SHA256;
  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void deserializeElement_wrongLengthPrefixOrRange_throws() {
    byte[] good = G.serializeElement(G.generator());
    assertThatThrownBy(() -> G.deserializeElement(new byte[32])).hasMessageContaining("33 bytes");
    assertThatThrownBy(() -> G.deserializeElement(new byte[34])).hasMessageContaining("33 bytes");
    assertThatThrownBy(() -> G.deserializeElement(new byte[] {0})).hasMessageContaining("33 bytes");
    byte[] identity = new byte[33]; // all zero: prefix 00
    assertThatThrownBy(() -> G.deserializeElement(identity)).hasMessageContaining("prefix");
    byte[] uncompressed = good.clone();
    uncompressed[0] = 0x04;
    assertThatThrownBy(() -> G.deserializeElement(uncompressed)).hasMessageContaining("prefix");
    byte[] xTooBig = new byte[33];
    xTooBig[0] = 0x02;
    java.util.Arrays.fill(xTooBig, 1, 33, (byte) 0xFF);
    assertThatThrownBy(() -> G.deserializeElement(xTooBig)).hasMessageContaining("out of range");
  }

  @Test
  void deserializeElement_xNotOnCurve_throws() {
    // About half of all x have no y on P-256; find one deterministically.
    Random r = TestRandom.random(7);
    int refused = 0;
    for (int i = 0; i < 64; i++) {
      byte[] b = new byte[33];
      r.nextBytes(b);
      b[0] = 0x02;
      b[1] &= 0x7F; // keep x < p
      try {
        ECPoint p = G.deserializeElement(b);
        assertThat(p.isValid()).isTrue();
      } catch (InvalidElementException e) {
        refused++;
      }
    }
    assertThat(refused).isBetween(10, 54);
  }

  @Test
  void deserializeElement_roundTrip_returnsSamePoint() {
    ECPoint p = G.multiplyGenerator(G.randomScalar(RANDOM)).normalize();
    assertThat(G.deserializeElement(G.serializeElement(p))).isEqualTo(p);
  }

  @Test
  void finalizeBatch_tamperedProofOrElement_throws() {
    VoprfServer server = VoprfServer.generate(RANDOM);
    VoprfClient client = new VoprfClient(server.publicKey());
    int n = 5;
    VoprfClient.Blinded[] blinded = new VoprfClient.Blinded[n];
    ECPoint[] points = new ECPoint[n];
    byte[][] bytes = new byte[n][];
    for (int i = 0; i < n; i++) {
      blinded[i] = client.blind(new byte[] {(byte) i}, RANDOM);
      bytes[i] = blinded[i].serialized();
      points[i] = G.deserializeElement(bytes[i]);
    }
    VoprfServer.Evaluation ev = server.blindEvaluate(points, bytes, RANDOM);
    byte[][] evaluated = new byte[n][];
    for (int i = 0; i < n; i++) {
      evaluated[i] = ev.evaluated(i).clone();
    }
    assertThat(client.finalizeBatch(blinded, evaluated, ev.proof())).hasNumberOfRows(n);

    byte[] badProof = ev.proof();
    badProof[40] ^= 1;
    assertThatThrownBy(() -> client.finalizeBatch(blinded, evaluated, badProof))
        .isInstanceOf(ProofException.class);
    assertThatThrownBy(() -> client.finalizeBatch(blinded, evaluated, new byte[63]))
        .isInstanceOf(ProofException.class);
    byte[] scalarTooBig = ev.proof();
    java.util.Arrays.fill(scalarTooBig, 0, 32, (byte) 0xFF);
    assertThatThrownBy(() -> client.finalizeBatch(blinded, evaluated, scalarTooBig))
        .isInstanceOf(ProofException.class);

    // Swapping two evaluations (each a valid point, evaluated with the right key) breaks the proof.
    byte[][] swapped = evaluated.clone();
    swapped[0] = evaluated[1];
    swapped[1] = evaluated[0];
    assertThatThrownBy(() -> client.finalizeBatch(blinded, swapped, ev.proof()))
        .isInstanceOf(ProofException.class);

    // A different key produces a valid-looking answer that must not verify.
    VoprfServer other = VoprfServer.generate(RANDOM);
    VoprfServer.Evaluation ev2 = other.blindEvaluate(points, bytes, RANDOM);
    byte[][] evaluated2 = new byte[n][];
    for (int i = 0; i < n; i++) {
      evaluated2[i] = ev2.evaluated(i);
    }
    assertThatThrownBy(() -> client.finalizeBatch(blinded, evaluated2, ev2.proof()))
        .isInstanceOf(ProofException.class);

    byte[][] malformed = evaluated.clone();
    malformed[2] = new byte[33];
    assertThatThrownBy(() -> client.finalizeBatch(blinded, malformed, ev.proof()))
        .isInstanceOf(InvalidElementException.class).hasMessageContaining("evaluatedElements[2]");
  }

  @Test
  void finalizeBatch_equalsServerEvaluate_forRandomInputs() {
    VoprfServer server = VoprfServer.generate(RANDOM);
    VoprfClient client = new VoprfClient(server.publicKey());
    Random r = TestRandom.random(11);
    for (int round = 0; round < 3; round++) {
      int n = 1 + r.nextInt(8);
      VoprfClient.Blinded[] blinded = new VoprfClient.Blinded[n];
      byte[][] inputs = new byte[n][];
      ECPoint[] points = new ECPoint[n];
      byte[][] bytes = new byte[n][];
      for (int i = 0; i < n; i++) {
        byte[] raw = new byte[32];
        r.nextBytes(raw);
        inputs[i] = PsiInput.of(HashType.SHA256, raw);
        blinded[i] = client.blind(inputs[i], RANDOM);
        bytes[i] = blinded[i].serialized();
        points[i] = G.deserializeElement(bytes[i]);
      }
      VoprfServer.Evaluation ev = server.blindEvaluate(points, bytes, RANDOM);
      byte[][] evaluated = new byte[n][];
      for (int i = 0; i < n; i++) {
        evaluated[i] = ev.evaluated(i);
      }
      byte[][] out = client.finalizeBatch(blinded, evaluated, ev.proof());
      for (int i = 0; i < n; i++) {
        assertThat(out[i]).isEqualTo(server.evaluate(inputs[i]));
      }
    }
  }

  @Test
  void psiInput_layoutAndBucket_asSpecified() {
    byte[] raw = Hex.decode("d41d8cd98f00b204e9800998ecf8427e");
    byte[] in = PsiInput.of(HashType.MD5, raw);
    assertThat(new String(in, 0, 4, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("md5:");
    assertThat(java.util.Arrays.copyOfRange(in, 4, in.length)).isEqualTo(raw);
    byte[] sha = sha256(in);
    long first32 = new BigInteger(1, java.util.Arrays.copyOf(sha, 4)).longValue();
    assertThat(PsiInput.bucket(in, 16)).isEqualTo(first32 >>> 16);
    assertThat(PsiInput.bucket(in, 32)).isEqualTo(first32);
    assertThat(PsiInput.bucket(in, 1)).isEqualTo(first32 >>> 31);
    assertThat(PsiInput.bucket(in, 0)).isZero();
    assertThatThrownBy(() -> PsiInput.bucket(in, 33)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PsiInput.of(HashType.PDQ, new byte[32]))
        .hasMessageContaining("pdq");
    assertThatThrownBy(() -> PsiInput.of(HashType.SHA1, new byte[16]))
        .hasMessageContaining("20 bytes");
  }

  private static byte[] sha256(byte[] in) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(in);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
