package org.hashdb.core.pdq;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntPredicate;

/** Brute-force reference for PdqIndex tests: byte-array hashes, distances by PdqBits.distance. */
final class PdqIndexOracle {
  private final List<byte[]> hashes = new ArrayList<>();

  void add(byte[] hash) {
    hashes.add(hash.clone());
  }

  int size() {
    return hashes.size();
  }

  byte[] get(int ordinal) {
    return hashes.get(ordinal);
  }

  /** "ordinal:distance" of every hash in [0, limit) within maxDistance that accept admits, sorted. */
  List<String> search(byte[] query, int maxDistance, IntPredicate accept, int limit) {
    List<long[]> found = new ArrayList<>();
    for (int o = 0; o < limit; o++) {
      int d = PdqBits.distance(query, 0, hashes.get(o), 0);
      if (d <= maxDistance && accept.test(o)) {
        found.add(new long[] {d, o});
      }
    }
    found.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    List<String> out = new ArrayList<>();
    for (long[] f : found) {
      out.add(f[1] + ":" + f[0]);
    }
    return out;
  }

  List<String> search(byte[] query, int maxDistance, IntPredicate accept) {
    return search(query, maxDistance, accept, hashes.size());
  }

  static List<String> asList(PdqHits hits) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < hits.size(); i++) {
      out.add(hits.ordinal(i) + ":" + hits.distance(i));
    }
    return out;
  }

  static byte[] randomHash(Random random) {
    byte[] h = new byte[32];
    random.nextBytes(h);
    return h;
  }

  /** A copy of {@code hash} with exactly {@code k} distinct random bits flipped. */
  static byte[] flip(byte[] hash, int k, Random random) {
    byte[] out = hash.clone();
    PdqBits.flipDistinctBits(out, k, random);
    return out;
  }
}
