package org.hashdb.core.psi;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;
import org.hashdb.testing.TestRandom;

/** The batched multiplier agrees with Bouncy Castle's own multiplication, edge scalars included. */
class BatchMultiplierTest {
  private static final Voprf G = Voprf.P256_SHA256;

  @Test
  void multiplyAndSum_randomAndEdgeScalars_equalBouncyCastle() {
    SecureRandom r = new SecureRandom();
    int n = 17;
    ECPoint[] points = new ECPoint[n];
    BigInteger[] ks = new BigInteger[n];
    BigInteger order = G.order();
    BigInteger[] edges = {BigInteger.ONE, BigInteger.TWO, BigInteger.valueOf(15),
        BigInteger.valueOf(16), order.subtract(BigInteger.ONE), order.subtract(BigInteger.TWO),
        BigInteger.ONE.shiftLeft(255), BigInteger.ONE.shiftLeft(255).subtract(BigInteger.ONE)};
    for (int i = 0; i < n; i++) {
      points[i] = G.multiplyGenerator(G.randomScalar(r)).normalize();
      ks[i] = i < edges.length ? edges[i] : G.randomScalar(r);
    }
    ECPoint[][] tables = BatchMultiplier.tables(G.curve(), points);
    byte[][] nafs = new byte[n][];
    for (int i = 0; i < n; i++) {
      nafs[i] = BatchMultiplier.naf(ks[i]);
      ECPoint mine = BatchMultiplier.multiply(G.curve(), tables[i], nafs[i]).normalize();
      assertThat(mine).as("k=%s", ks[i]).isEqualTo(points[i].multiply(ks[i]).normalize());
    }
    ECPoint sum = BatchMultiplier.sumOfMultiplies(G.curve(), tables, nafs).normalize();
    assertThat(sum).isEqualTo(ECAlgorithms.sumOfMultiplies(points, ks).normalize());
  }

  @Test
  void evaluateAll_equalsEvaluateOneByOne() {
    VoprfServer server = VoprfServer.generate(new SecureRandom());
    java.util.Random r = TestRandom.random(3);
    byte[][] inputs = new byte[40][];
    for (int i = 0; i < inputs.length; i++) {
      inputs[i] = new byte[r.nextInt(40)];
      r.nextBytes(inputs[i]);
    }
    byte[][] all = server.evaluateAll(inputs);
    for (int i = 0; i < inputs.length; i++) {
      assertThat(all[i]).isEqualTo(server.evaluate(inputs[i]));
    }
  }
}
