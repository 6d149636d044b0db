package org.hashdb.client.scan;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.hashdb.client.HashDbClient;
import org.hashdb.client.HashLookup;
import org.hashdb.client.LookupResult;
import org.hashdb.client.Match;
import org.hashdb.client.Query;
import org.hashdb.core.hash.HashType;

/**
 * A {@link HashLookup} that answers every query with a private lookup, for the scanner's
 * {@code --private} mode. A private answer says only whether a hash is on a visible list, so a
 * match carries the placeholder {@link #MATCH} (list {@code "(private)"}, no category or entry).
 * Exact types only: a PDQ query is an {@link IllegalArgumentException}.
 */
public final class PrivateHashLookup implements HashLookup {
  /** What a private match reports: membership, nothing else. */
  public static final Match MATCH = new Match("", "(private)", "", 0);

  private final HashDbClient client;

  public PrivateHashLookup(HashDbClient client) {
    this.client = client;
  }

  /** Videos are matched by near-duplicate frames, which a private set-membership lookup cannot do. */
  @Override
  public CompletableFuture<List<org.hashdb.client.VideoMatch>> lookupVideoAsync(
      List<org.hashdb.core.video.VpdqFrame> frames, org.hashdb.core.video.VpdqMatchOptions options) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException(
        "video lookups cannot be private: private lookups match exact hashes only"));
  }

  @Override
  public CompletableFuture<LookupResult> lookupAsync(Query query) {
    return lookupAllAsync(List.of(query)).thenApply(l -> l.get(0));
  }

  @Override
  public CompletableFuture<List<LookupResult>> lookupAllAsync(List<Query> queries) {
    return client.privateLookupAsync(queries).thenApply(bits -> {
      List<LookupResult> out = new ArrayList<>(queries.size());
      for (int i = 0; i < queries.size(); i++) {
        Query q = queries.get(i);
        out.add(new LookupResult(q.type(), q.hex(), bits.get(i) ? List.of(MATCH) : List.of()));
      }
      return out;
    });
  }

  @Override
  public CompletableFuture<BitSet> containsAsync(HashType type, List<byte[]> values) {
    return client.privateLookupAsync(type, values);
  }

  @Override
  public void close() {
    client.close();
  }
}
