package org.hashdb.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import org.bouncycastle.util.encoders.Hex;
import org.hashdb.core.psi.VoprfClient;
import org.junit.jupiter.api.Test;

/** The benchmark's lookups compute the right answers: hits match, misses do not. */
class PrivateLookupBenchmarkTest {
  @Test
  void lookupBatch_answersFinalizeToTheExpectedMatches() throws Exception {
    PrivateLookupBenchmark b = new PrivateLookupBenchmark();
    b.entries = 3000;
    b.setUp();
    try {
      assertThat(b.lookupBatch()).isEqualTo(PrivateLookupBenchmark.BATCH);
      assertThat(b.evaluateBatch().size()).isEqualTo(PrivateLookupBenchmark.BATCH);
      assertThat(b.floorScalarMult().isValid()).isTrue();
      assertThat(b.precomputeEntry()).hasNumberOfRows(PrivateLookupBenchmark.PRECOMPUTE_BATCH);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      b.lookup(0, out);
      JsonNode a = new ObjectMapper().readTree(out.toByteArray());
      int n = PrivateLookupBenchmark.BATCH;
      byte[][] ev = new byte[n][];
      for (int i = 0; i < n; i++) {
        ev[i] = Hex.decode(a.get("evaluatedElements").get(i).asText());
      }
      VoprfClient client = new VoprfClient(Hex.decode(a.get("publicKey").asText()));
      byte[][] outputs = client.finalizeBatch(b.blinds[0], ev, Hex.decode(a.get("proof").asText()));
      java.util.Set<String> stored = new java.util.HashSet<>();
      b.stored.forEach(e -> stored.add(e.type().apiName() + ":" + Hex.toHexString(e.value())));
      int hits = 0;
      for (int i = 0; i < n; i++) {
        byte[] in = b.inputs[0][i];
        int colon = new String(in, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf(':');
        String id = new String(in, 0, colon, java.nio.charset.StandardCharsets.US_ASCII) + ":"
            + Hex.toHexString(java.util.Arrays.copyOfRange(in, colon + 1, in.length));
        long bucket = org.hashdb.core.psi.PsiInput.bucket(in, 16);
        boolean found = false;
        for (JsonNode v : a.get("buckets").get(Long.toString(bucket))) {
          found |= v.asText().equals(Hex.toHexString(outputs[i]));
        }
        assertThat(found).as("query %d", i).isEqualTo(stored.contains(id));
        hits += found ? 1 : 0;
      }
      assertThat(hits).isBetween(20, 80);
    } finally {
      b.tearDown();
    }
  }
}
