package org.hashdb.core.psi;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

/**
 * RFC 9497 appendix A.3.2, P256-SHA256 in VOPRF mode: key derivation, the two single vectors and
 * the batch of two, through server (BlindEvaluate, Evaluate) and client (Blind, Finalize).
 * Values copied from the RFC; wrapped lines joined.
 */
class Rfc9497VectorsTest {
  private static final Voprf G = Voprf.P256_SHA256;

  private static final String SEED = "a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3";
  private static final String KEY_INFO = "74657374206b6579";
  private static final String SK = "ca5d94c8807817669a51b196c34c1b7f8442fde4334a7121ae4736364312fca6";
  private static final String PK = "03e17e70604bcabe198882c0a1f27a92441e774224ed9c702e51dd17038b102462";

  private static final String BLIND1 = "3338fa65ec36e0290022b48eb562889d89dbfa691d1cde91517fa222ed7ad364";
  private static final String BLIND2 = "f9db001266677f62c095021db018cd8cbb55941d4073698ce45c405d1348b7b1";

  @Test
  void deriveKeyPair_rfcVector_matches() {
    BigInteger sk = G.deriveKeyPair(Hex.decode(SEED), Hex.decode(KEY_INFO));
    assertThat(Hex.toHexString(G.serializeScalar(sk))).isEqualTo(SK);
    assertThat(Hex.toHexString(new VoprfServer(sk).publicKey())).isEqualTo(PK);
  }

  @Test
  void vector1_batchSize1_matches() {
    check(new String[] {"00"}, new String[] {BLIND1},
        new String[] {"02dd05901038bb31a6fae01828fd8d0e49e35a486b5c5d4b4994013648c01277da"},
        new String[] {"0209f33cab60cf8fe69239b0afbcfcd261af4c1c5632624f2e9ba29b90ae83e4a2"},
        "e7c2b3c5c954c035949f1f74e6bce2ed539a3be267d1481e9ddb178533df4c26"
            + "64f69d065c604a4fd953e100b856ad83804eb3845189babfa5a702090d6fc5fa",
        "f9db001266677f62c095021db018cd8cbb55941d4073698ce45c405d1348b7b1",
        new String[] {"0412e8f78b02c415ab3a288e228978376f99927767ff37c5718d420010a645a1"});
  }

  @Test
  void vector2_batchSize1_matches() {
    check(new String[] {"5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a"}, new String[] {BLIND1},
        new String[] {"03cd0f033e791c4d79dfa9c6ed750f2ac009ec46cd4195ca6fd3800d1e9b887dbd"},
        new String[] {"030d2985865c693bf7af47ba4d3a3813176576383d19aff003ef7b0784a0d83cf1"},
        "2787d729c57e3d9512d3aa9e8708ad226bc48e0f1750b0767aaff73482c44b8d"
            + "2873d74ec88aebd3504961acea16790a05c542d9fbff4fe269a77510db00abab",
        "f9db001266677f62c095021db018cd8cbb55941d4073698ce45c405d1348b7b1",
        new String[] {"771e10dcd6bcd3664e23b8f2a710cfaaa8357747c4a8cbba03133967b5c24f18"});
  }

  @Test
  void vector3_batchSize2_matches() {
    check(new String[] {"00", "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a"}, new String[] {BLIND1, BLIND2},
        new String[] {"02dd05901038bb31a6fae01828fd8d0e49e35a486b5c5d4b4994013648c01277da",
            "03462e9ae64cae5b83ba98a6b360d942266389ac369b923eb3d557213b1922f8ab"},
        new String[] {"0209f33cab60cf8fe69239b0afbcfcd261af4c1c5632624f2e9ba29b90ae83e4a2",
            "02bb24f4d838414aef052a8f044a6771230ca69c0a5677540fff738dd31bb69771"},
        "bdcc351707d02a72ce49511c7db990566d29d6153ad6f8982fad2b435d6ce4d6"
            + "0da1e6b3fa740811bde34dd4fe0aa1b5fe6600d0440c9ddee95ea7fad7a60cf2",
        "350e8040f828bf6ceca27405420cdf3d63cb3aef005f40ba51943c8026877963",
        new String[] {"0412e8f78b02c415ab3a288e228978376f99927767ff37c5718d420010a645a1",
            "771e10dcd6bcd3664e23b8f2a710cfaaa8357747c4a8cbba03133967b5c24f18"});
  }

  private static void check(String[] inputs, String[] blinds, String[] blindedHex,
      String[] evaluatedHex, String proofHex, String proofRandom, String[] outputs) {
    VoprfServer server = new VoprfServer(new BigInteger(SK, 16));
    VoprfClient client = new VoprfClient(Hex.decode(PK));
    int n = inputs.length;
    VoprfClient.Blinded[] blinded = new VoprfClient.Blinded[n];
    ECPoint[] points = new ECPoint[n];
    byte[][] bytes = new byte[n][];
    for (int i = 0; i < n; i++) {
      blinded[i] = client.blind(Hex.decode(inputs[i]), new BigInteger(blinds[i], 16));
      bytes[i] = blinded[i].serialized();
      assertThat(Hex.toHexString(bytes[i])).as("BlindedElement %d", i).isEqualTo(blindedHex[i]);
      points[i] = G.deserializeElement(bytes[i]);
    }
    VoprfServer.Evaluation ev = server.blindEvaluate(points, bytes, new BigInteger(proofRandom, 16));
    byte[][] evaluated = new byte[n][];
    for (int i = 0; i < n; i++) {
      evaluated[i] = ev.evaluated(i);
      assertThat(Hex.toHexString(evaluated[i])).as("EvaluationElement %d", i).isEqualTo(evaluatedHex[i]);
    }
    assertThat(Hex.toHexString(ev.proof())).isEqualTo(proofHex);
    byte[][] out = client.finalizeBatch(blinded, evaluated, ev.proof());
    for (int i = 0; i < n; i++) {
      assertThat(Hex.toHexString(out[i])).as("Output %d", i).isEqualTo(outputs[i]);
      assertThat(Hex.toHexString(server.evaluate(Hex.decode(inputs[i])))).isEqualTo(outputs[i]);
    }
  }
}
