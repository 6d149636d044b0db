package org.hashdb.core.pdq;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Meta's MIH regression haystack (1,350 real PDQ hashes) and needles (100), with the brute-force
 * pair counts published in /work/shared/testdata/pdq/README.md ("Hash lists for index tests").
 */
class PdqIndexReferenceDataTest {
  private static final IntPredicate ALL = o -> true;

  private static List<byte[]> read(String name) throws IOException {
    List<byte[]> out = new ArrayList<>();
    try (InputStream in = PdqIndexReferenceDataTest.class.getResourceAsStream("/pdq-index/" + name);
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (!line.isBlank()) {
          out.add(Hex.decode(HashType.PDQ, line.trim()));
        }
      }
    }
    return out;
  }

  /** minIndexed 1 builds postings (the production default would scan 1,350 hashes linearly). */
  private static PdqIndex load(List<byte[]> hashes, boolean bulk) {
    PdqIndex index = new PdqIndex(bulk ? 1 : 64);
    if (bulk) {
      byte[] all = new byte[32 * hashes.size()];
      for (int i = 0; i < hashes.size(); i++) {
        System.arraycopy(hashes.get(i), 0, all, 32 * i, 32);
      }
      index.appendAll(all, 0, hashes.size());
    } else {
      hashes.forEach(h -> index.append(h, 0));
    }
    return index;
  }

  @ParameterizedTest
  @CsvSource({"0,50,50", "10,150,100", "15,151,100", "16,152,100", "31,250,100", "32,250,100",
      "47,287,100", "63,352,100"})
  void search_needlesInHaystack_matchPublishedPairCounts(int d, int pairs, int needlesMatched)
      throws IOException {
    List<byte[]> haystack = read("pdq-hashes.txt");
    List<byte[]> needles = read("pdq-needles.txt");
    assertThat(haystack).hasSize(1350);
    assertThat(needles).hasSize(100);
    PdqIndexOracle oracle = new PdqIndexOracle();
    haystack.forEach(oracle::add);
    for (boolean bulk : new boolean[] {true, false}) {
      PdqIndex index = load(haystack, bulk);
      PdqHits hits = new PdqHits();
      int mihPairs = 0;
      int linearPairs = 0;
      int matched = 0;
      for (byte[] q : needles) {
        List<String> expected = oracle.search(q, d, ALL);
        index.searchMih(q, 0, d, ALL, hits);
        assertThat(PdqIndexOracle.asList(hits)).isEqualTo(expected);
        mihPairs += hits.size();
        matched += hits.size() > 0 ? 1 : 0;
        index.searchLinear(q, 0, d, ALL, hits);
        linearPairs += hits.size();
        index.search(q, 0, d, ALL, hits);
        assertThat(PdqIndexOracle.asList(hits)).isEqualTo(expected);
      }
      assertThat(mihPairs).isEqualTo(pairs);
      assertThat(linearPairs).isEqualTo(pairs);
      assertThat(matched).isEqualTo(needlesMatched);
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void search_haystackSelfJoinAt31_finds857UnorderedPairs(boolean bulk) throws IOException {
    List<byte[]> haystack = read("pdq-hashes.txt");
    PdqIndex index = load(haystack, bulk);
    PdqHits hits = new PdqHits();
    int pairs = 0;
    for (int i = 0; i < haystack.size(); i++) {
      index.searchMih(haystack.get(i), 0, 31, ALL, hits);
      for (int k = 0; k < hits.size(); k++) {
        if (hits.ordinal(k) > i) {
          pairs++;
        }
      }
      assertThat(hits.ordinal(0)).isEqualTo(i); // distinct hashes: itself, alone at distance 0
      assertThat(hits.distance(0)).isZero();
    }
    assertThat(pairs).isEqualTo(857);
  }
}
