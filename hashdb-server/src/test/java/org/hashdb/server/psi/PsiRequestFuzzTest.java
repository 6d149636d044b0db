package org.hashdb.server.psi;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import org.bouncycastle.math.ec.ECPoint;
import org.hashdb.core.psi.InvalidElementException;
import org.hashdb.core.psi.Voprf;
import org.hashdb.core.psi.VoprfServer;
import org.hashdb.server.ApiException;
import org.hashdb.server.api.LookupCodec;

/**
 * A private lookup's body ({@code POST /v1/psi/lookup}): JSON, buckets and blinded elements,
 * which are points chosen by the client. Bad input is a 4xx {@link ApiException} or an {@link
 * InvalidElementException}; a point that is accepted is evaluated exactly (k times the point).
 */
class PsiRequestFuzzTest {
  private static final int BUCKET_BITS = 16;
  private static final int MAX_QUERIES = 8;
  private static final BigInteger KEY = BigInteger.valueOf(0x5eed_f00dL).shiftLeft(130).add(BigInteger.TEN);
  private static final VoprfServer SERVER = new VoprfServer(KEY);
  private static final Voprf G = Voprf.P256_SHA256;

  @FuzzTest(maxDuration = "2m")
  void privateLookup(byte[] input) {
    PsiRequest q;
    try {
      q = PsiRequest.parse(LookupCodec.JSON, new ByteArrayInputStream(input), BUCKET_BITS,
          MAX_QUERIES);
    } catch (ApiException e) {
      assertThat(e.status().code()).isBetween(400, 499);
      return;
    }
    assertThat(q.size()).isBetween(1, MAX_QUERIES);
    for (int i = 0; i < q.size(); i++) {
      assertThat(q.buckets[i]).isBetween(0L, (1L << BUCKET_BITS) - 1);
      assertThat(q.blinded[i]).hasSize(Voprf.ELEMENT_BYTES);
      ECPoint p;
      try {
        p = G.deserializeElement(q.blinded[i]);
      } catch (InvalidElementException e) {
        continue; // PsiService answers 400 naming the query
      }
      VoprfServer.Evaluation ev = SERVER.blindEvaluate(new ECPoint[] {p},
          new byte[][] {q.blinded[i]}, BigInteger.valueOf(12345));
      assertThat(ev.evaluated(0)).isEqualTo(G.serializeElement(p.multiply(KEY).normalize()));
    }
  }
}
