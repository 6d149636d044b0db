package org.hashdb.client;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.psi.InvalidElementException;
import org.hashdb.core.psi.ProofException;
import org.hashdb.core.psi.PsiInput;
import org.hashdb.core.psi.VoprfClient;

/**
 * Private lookups against one server: fetches and pins its configuration, splits queries into
 * requests of at most {@code batchSize}, and for each request blinds, sends, verifies the
 * batched proof against the pinned key, finalizes and compares locally. Thread-safe.
 *
 * <p>Key pinning: with a configured key, only that key is accepted (also while the server still
 * serves it as its previous key, which this class then asks for explicitly). Without one, the
 * key of the first config fetched is pinned for this object's lifetime; when an answer names
 * another key, the config is fetched again once and the request retried only if the new key is
 * still the pinned one.
 */
final class PrivateLookups {
  /** What the client needs of the HTTP layer. */
  public interface Transport {
    CompletableFuture<byte[]> get(String path);

    CompletableFuture<byte[]> postJson(String path, byte[] body);
  }

  private final Transport transport;
  private final String configuredKey; // lowercase hex, or null (trust on first use)
  private final int batchSize;
  private final SecureRandom random = new SecureRandom();
  private final AtomicReference<Session> session = new AtomicReference<>();

  /**
   * @param pinnedKey the server's OPRF public key (66 hex digits), or null to pin the first one
   * @param batchSize queries per request at most (the server's maxQueries also bounds it)
   */
  public PrivateLookups(Transport transport, String pinnedKey, int batchSize) {
    this.transport = Objects.requireNonNull(transport, "transport");
    if (pinnedKey != null) {
      OptionalDependencies.requireBouncyCastle("a pinned private lookup key (psiPublicKey)");
      try {
        new VoprfClient(decodeHex(pinnedKey.toLowerCase(Locale.ROOT), 33, "pinned OPRF key"));
      } catch (PrivateLookupException | InvalidElementException e) {
        throw new IllegalArgumentException("pinned OPRF key: " + e.getMessage());
      }
    }
    this.configuredKey = pinnedKey == null ? null : pinnedKey.toLowerCase(Locale.ROOT);
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    }
    this.batchSize = batchSize;
  }

  /** The session in force (config + verified key), fetching the config the first time. */
  private CompletableFuture<Session> session() {
    Session s = session.get();
    return s != null ? CompletableFuture.completedFuture(s) : refresh();
  }

  private CompletableFuture<Session> refresh() {
    return transport.get("/v1/psi/config").thenApply(body -> {
      PsiConfig c = PsiCodec.decodeConfig(body);
      Session old = session.get();
      String pin = configuredKey != null ? configuredKey : old != null ? old.key : null;
      String use;
      boolean explicit;
      if (pin == null || pin.equals(c.publicKey())) {
        use = c.publicKey();
        explicit = false;
      } else if (pin.equals(c.previousPublicKey())) {
        use = pin; // still served during a rotation: ask for it by name
        explicit = true;
      } else {
        throw new PrivateLookupException("the server's OPRF key " + c.publicKey()
            + " is not the pinned key " + pin);
      }
      VoprfClient client;
      try {
        client = new VoprfClient(decodeHex(use, 33, "publicKey"));
      } catch (InvalidElementException e) {
        throw new PrivateLookupException("the server's OPRF public key is invalid: " + e.getMessage());
      }
      Session s = new Session(c, use, explicit, client);
      session.compareAndSet(old, s);
      return s;
    });
  }

  /** The server's configuration (fetched once, then cached). */
  public CompletableFuture<PsiConfig> config() {
    OptionalDependencies.requireBouncyCastle("privateLookupConfig");
    return session().thenApply(s -> s.config);
  }

  /**
   * Private membership of each query (exact types only): bit i is set when queries[i] is on a
   * list this key may see.
   *
   * @throws IllegalArgumentException for a PDQ query
   */
  public CompletableFuture<BitSet> lookupAsync(List<Query> queries) {
    OptionalDependencies.requireBouncyCastle("privateLookup");
    for (int i = 0; i < queries.size(); i++) {
      if (!queries.get(i).type().isExact()) {
        throw new IllegalArgumentException("queries[" + i + "]: private lookups are for exact "
            + "types (md5, sha1, sha256), not " + queries.get(i).type().apiName());
      }
    }
    BitSet out = new BitSet(queries.size());
    if (queries.isEmpty()) {
      return CompletableFuture.completedFuture(out);
    }
    return session().thenCompose(s -> {
      int chunk = Math.min(batchSize, s.config.maxQueries());
      List<CompletableFuture<Void>> parts = new ArrayList<>();
      for (int from = 0; from < queries.size(); from += chunk) {
        int f = from;
        int to = Math.min(queries.size(), from + chunk);
        parts.add(batch(s, queries, f, to, out, true));
      }
      return CompletableFuture.allOf(parts.toArray(new CompletableFuture[0]))
          .thenApply(v -> out);
    });
  }

  private CompletableFuture<Void> batch(Session s, List<Query> queries, int from, int to,
      BitSet out, boolean mayRefresh) {
    int n = to - from;
    VoprfClient.Blinded[] blinded = new VoprfClient.Blinded[n];
    long[] buckets = new long[n];
    StringBuilder body = new StringBuilder(32 + n * 100).append("{\"queries\":[");
    for (int i = 0; i < n; i++) {
      Query q = queries.get(from + i);
      byte[] input = PsiInput.of(q.type(), q.value());
      buckets[i] = PsiInput.bucket(input, s.config.bucketBits());
      blinded[i] = s.client.blind(input, random);
      body.append(i == 0 ? "" : ",").append("{\"bucket\":").append(buckets[i])
          .append(",\"blindedElement\":\"").append(Hex.encode(blinded[i].serialized()))
          .append("\"}");
    }
    body.append(']');
    if (s.explicitKey) {
      body.append(",\"publicKey\":\"").append(s.key).append('"');
    }
    body.append('}');
    byte[] json = body.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    return transport.postJson("/v1/psi/lookup", json).thenCompose(resp -> {
      PsiCodec.Answer a = PsiCodec.decodeAnswer(resp, Math.max(s.config.bucketSize(), 1 << 20));
      if (!a.publicKey().equals(s.key)) {
        if (!mayRefresh) {
          throw new PrivateLookupException("the server answered with OPRF key " + a.publicKey()
              + ", not the pinned key " + s.key);
        }
        return refresh().thenCompose(s2 -> batch(s2, queries, from, to, out, false));
      }
      finish(s, a, blinded, buckets, from, out);
      return CompletableFuture.completedFuture(null);
    });
  }

  /** Verifies, finalizes and compares one answer; sets the matching bits of {@code out}. */
  private static void finish(Session s, PsiCodec.Answer a, VoprfClient.Blinded[] blinded,
      long[] buckets, int from, BitSet out) {
    int n = blinded.length;
    if (a.evaluated().size() != n) {
      throw new PrivateLookupException("expected " + n + " evaluated elements, got "
          + a.evaluated().size());
    }
    byte[][] evaluated = new byte[n][];
    for (int i = 0; i < n; i++) {
      evaluated[i] = decodeHex(a.evaluated().get(i), 33, "evaluatedElements[" + i + "]");
    }
    byte[] proof = decodeHex(a.proof(), 64, "proof");
    byte[][] outputs;
    try {
      outputs = s.client.finalizeBatch(blinded, evaluated, proof);
    } catch (ProofException | InvalidElementException e) {
      throw new PrivateLookupException("private lookup answer rejected: " + e.getMessage(), e);
    }
    Set<Long> asked = new LinkedHashSet<>();
    for (long b : buckets) {
      asked.add(b);
    }
    if (!a.buckets().keySet().equals(asked)) {
      throw new PrivateLookupException("the answer's buckets are not the ones asked for");
    }
    Map<Long, Set<String>> sets = new java.util.HashMap<>();
    for (Map.Entry<Long, List<String>> e : a.buckets().entrySet()) {
      sets.put(e.getKey(), new HashSet<>(e.getValue()));
    }
    for (int i = 0; i < n; i++) {
      if (sets.get(buckets[i]).contains(Hex.encode(outputs[i]))) {
        synchronized (out) {
          out.set(from + i);
        }
      }
    }
  }

  private static byte[] decodeHex(String hex, int bytes, String what) {
    if (hex.length() != 2 * bytes) {
      throw new PrivateLookupException(what + ": expected " + 2 * bytes + " hex digits, got "
          + hex.length());
    }
    if (!Hex.isHex(hex)) {
      throw new PrivateLookupException(what + ": not hexadecimal");
    }
    return Hex.decode(hex);
  }

  /** A fetched config with the key in use for it. */
  private static final class Session {
    final PsiConfig config;
    final String key; // lowercase hex of the key answers must carry
    final boolean explicitKey; // send "publicKey" (the pinned key is the server's previous one)
    final VoprfClient client;

    Session(PsiConfig config, String key, boolean explicitKey, VoprfClient client) {
      this.config = config;
      this.key = key;
      this.explicitKey = explicitKey;
      this.client = client;
    }
  }
}
