package org.hashdb.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import org.hashdb.core.video.VpdqFrame;
import org.hashdb.core.video.VpdqMatchOptions;
import org.hashdb.core.hash.HashType;

/**
 * {@link HashLookup} over the HTTP API (API.md), on the JDK's {@link HttpClient} (connections are
 * pooled and reused). Thread-safe; build one per deployment and share it. With several base URLs
 * (a primary and its replicas) it uses one at a time and fails over as {@link
 * Builder#baseUrls(String...)} describes; each answer's {@code X-HashDB-Sequence} is on its {@link
 * LookupResult#sequence()}, and an answer behind one already seen is never returned.
 *
 * <p>Large inputs are split into requests within the server's limits (queries per JSON batch,
 * hashes and bytes per bulk body); up to {@code maxConcurrentRequests} of them are in flight at
 * once, and results come back in input order. If the server answers 413 anyway (it was configured
 * lower), the request is halved and the lower size kept for later calls. Every lookup is
 * idempotent, so failures are retried per the {@link RetryPolicy}.
 *
 * <pre>{@code
 * try (HashDbClient client = HashDbClient.builder()
 *     .baseUrl("https://hashdb.example.org").apiKey(System.getenv("HASHDB_API_KEY")).build()) {
 *   ContentCheck c = client.checkFile(Path.of("upload.jpg"));
 *   if (c.match()) { ... }
 * }
 * }</pre>
 */
public final class HashDbClient implements HashLookup {
  private final Endpoints endpoints;
  private final String authorization;
  private final HttpClient http;
  private final RetryingSender sender;
  private final Duration requestTimeout;
  private final int maxConcurrentRequests;
  private final long maxBodyBytes;
  // Current per-request limits; lowered when the server answers 413 to a request within them.
  private final AtomicInteger batchLimit;
  private final AtomicInteger bulkLimit;
  private final org.hashdb.client.PrivateLookups privateLookups;

  private HashDbClient(Builder b, HttpClient http) {
    this.endpoints = new Endpoints(b.baseUrls);
    this.authorization = "Bearer " + b.apiKey;
    this.http = http;
    this.sender = new RetryingSender(http, b.retryPolicy, endpoints);
    this.requestTimeout = b.requestTimeout;
    this.maxConcurrentRequests = b.maxConcurrentRequests;
    this.maxBodyBytes = b.maxBodyBytes;
    this.batchLimit = new AtomicInteger(
        (int) Math.min(b.maxBatchSize, (b.maxBodyBytes - 32) / JsonCodec.maxEncodedQueryBytes()));
    this.bulkLimit = new AtomicInteger(b.maxBulkHashes);
    this.privateLookups = new org.hashdb.client.PrivateLookups(
        new org.hashdb.client.PrivateLookups.Transport() {
          @Override
          public CompletableFuture<byte[]> get(String path) {
            return sender.send(base -> request(base, path).GET().build()).thenApply(r -> r.body());
          }

          @Override
          public CompletableFuture<byte[]> postJson(String path, byte[] body) {
            return sender.send(base -> request(base, path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build())
                .thenApply(r -> r.body());
          }
        }, b.psiPublicKey, b.privateBatchSize);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The base URL requests go to now: the last one that answered (see {@link Builder#baseUrls}). */
  public URI currentBaseUrl() {
    return endpoints.current();
  }

  /**
   * The highest {@code X-HashDB-Sequence} any answer carried (the version of the list state it
   * was answered at), or -1 when no server sent one. An answer below it is never used: see
   * {@link StaleAnswerException}.
   */
  public long highestSequence() {
    return sender.highestSequence();
  }

  /** Queries per JSON batch request, as currently in force. */
  public int batchLimit() {
    return batchLimit.get();
  }

  /**
   * {@code POST /v1/lookup/video}. The frames of a long video are sent in one request: the server
   * admits up to its frame limit (3,600 by default, an hour at one frame per second).
   */
  @Override
  public CompletableFuture<List<VideoMatch>> lookupVideoAsync(List<VpdqFrame> frames, VpdqMatchOptions options) {
    Objects.requireNonNull(frames, "frames");
    byte[] body = VideoJson.encodeRequest(frames, options);
    return sender.send(base -> request(base, "/v1/lookup/video")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build()).thenApply(r -> VideoJson.decodeResponse(r.body()));
  }

  @Override
  public CompletableFuture<LookupResult> lookupAsync(Query query) {
    Objects.requireNonNull(query, "query");
    // A POST body, never the URL: a hash in a URL ends up in proxy and load-balancer logs.
    return lookupAllAsync(List.of(query)).thenApply(l -> l.get(0));
  }

  /**
   * Private lookup (API.md, "Private lookups"): the server sees neither the hashes nor whether
   * they matched; bit i is set when {@code queries.get(i)} is on a list this key may see. Exact
   * types only. Answers are verified against the pinned OPRF key ({@link
   * Builder#psiPublicKey}, else the key of the first config fetched); a failed verification is
   * a {@link PrivateLookupException}.
   */
  public BitSet privateLookup(List<Query> queries) {
    return HashLookup.join(privateLookupAsync(queries));
  }

  /** {@link #privateLookup(List)} for values of one type. */
  public BitSet privateLookup(HashType type, List<byte[]> values) {
    return HashLookup.join(privateLookupAsync(type, values));
  }

  /** Asynchronous {@link #privateLookup(List)}. */
  public CompletableFuture<BitSet> privateLookupAsync(List<Query> queries) {
    Objects.requireNonNull(queries, "queries");
    return privateLookups.lookupAsync(queries);
  }

  /** Asynchronous {@link #privateLookup(HashType, List)}. */
  public CompletableFuture<BitSet> privateLookupAsync(HashType type, List<byte[]> values) {
    Objects.requireNonNull(type, "type");
    List<Query> qs = new java.util.ArrayList<>(values.size());
    for (byte[] v : values) {
      qs.add(Query.of(type, v));
    }
    return privateLookupAsync(qs);
  }

  /** The server's private lookup configuration (fetched once). */
  public org.hashdb.client.PsiConfig privateLookupConfig() {
    return HashLookup.join(privateLookups.config());
  }

  @Override
  public CompletableFuture<List<LookupResult>> lookupAllAsync(List<Query> queries) {
    Objects.requireNonNull(queries, "queries");
    for (int i = 0; i < queries.size(); i++) {
      if (queries.get(i) == null) {
        throw new NullPointerException("queries[" + i + "] is null");
      }
    }
    int n = queries.size();
    if (n == 0) {
      return CompletableFuture.completedFuture(List.of());
    }
    LookupResult[] out = new LookupResult[n];
    int chunk = batchLimit.get();
    int chunks = (n + chunk - 1) / chunk;
    return runLanes(chunks, i -> lookupRange(queries, i * chunk, Math.min(n, (i + 1) * chunk), out))
        .thenApply(v -> List.of(out));
  }

  /** One batch request for {@code queries[from..to)}, halved on 413. */
  private CompletableFuture<Void> lookupRange(List<Query> queries, int from, int to, LookupResult[] out) {
    byte[] body = JsonCodec.encodeQueries(queries, from, to);
    return sender.send(base -> request(base, "/v1/lookup")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build())
        .thenAccept(r -> {
          List<LookupResult> rs = JsonCodec.decodeResults(r.body(), queries, from, to);
          long sequence = RetryingSender.sequenceOf(r);
          for (int i = from; i < to; i++) {
            out[i] = rs.get(i - from).withSequence(sequence);
          }
        })
        .exceptionallyCompose(e -> {
          int count = to - from;
          if (isTooLarge(e) && count > 1) {
            int half = count / 2;
            batchLimit.accumulateAndGet(half, Math::min);
            return lookupRange(queries, from, from + half, out)
                .thenCompose(v -> lookupRange(queries, from + half, to, out));
          }
          return CompletableFuture.failedFuture(e);
        });
  }

  @Override
  public CompletableFuture<BitSet> containsAsync(HashType type, List<byte[]> values) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(values, "values");
    if (!type.isExact()) {
      throw new IllegalArgumentException("type: bulk lookups take exact types (md5, sha1, sha256), got " + type);
    }
    int len = type.byteLength();
    for (int i = 0; i < values.size(); i++) {
      byte[] v = values.get(i);
      if (v == null || v.length != len) {
        throw new IllegalArgumentException(
            "values[" + i + "]: a " + type + " hash has " + len + " bytes, got " + (v == null ? "null" : v.length));
      }
    }
    int n = values.size();
    Map<Integer, BitSet> parts = new ConcurrentHashMap<>(); // range start -> its bits
    if (n == 0) {
      return CompletableFuture.completedFuture(new BitSet());
    }
    int chunk = (int) Math.max(1, Math.min(bulkLimit.get(), maxBodyBytes / len));
    int chunks = (n + chunk - 1) / chunk;
    return runLanes(chunks, i -> containsRange(type, values, i * chunk, Math.min(n, (i + 1) * chunk), parts))
        .thenApply(v -> {
          BitSet all = new BitSet(n);
          parts.forEach((from, bits) -> {
            for (int b = bits.nextSetBit(0); b >= 0; b = bits.nextSetBit(b + 1)) {
              all.set(from + b);
            }
          });
          return all;
        });
  }

  private CompletableFuture<Void> containsRange(
      HashType type, List<byte[]> values, int from, int to, Map<Integer, BitSet> parts) {
    int len = type.byteLength();
    byte[] body = new byte[(to - from) * len];
    for (int i = from; i < to; i++) {
      System.arraycopy(values.get(i), 0, body, (i - from) * len, len);
    }
    return sender.send(base -> request(base, "/v1/lookup/bulk?type=" + type.apiName())
            .header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build())
        .thenAccept(r -> {
          byte[] bits = r.body();
          int expected = (to - from + 7) / 8;
          if (bits.length != expected) {
            throw new HashDbException(
                "malformed response from server: bulk answer of " + bits.length + " bytes for " + (to - from)
                    + " hashes, expected " + expected);
          }
          BitSet b = BitSet.valueOf(bits); // little-endian bit order, as the API defines it
          if (b.length() > to - from) {
            throw new HashDbException("malformed response from server: bulk answer sets bits beyond the " + (to - from) + " hashes");
          }
          parts.put(from, b);
        })
        .exceptionallyCompose(e -> {
          int count = to - from;
          if (isTooLarge(e) && count > 1) {
            int half = count / 2;
            bulkLimit.accumulateAndGet(half, Math::min);
            return containsRange(type, values, from, from + half, parts)
                .thenCompose(v -> containsRange(type, values, from + half, to, parts));
          }
          return CompletableFuture.failedFuture(e);
        });
  }

  private static boolean isTooLarge(Throwable e) {
    Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    return c instanceof InvalidRequestException ire && ire.status() == 413;
  }

  /**
   * Runs tasks 0..count-1 on at most {@code maxConcurrentRequests} lanes, each lane one task at a
   * time; after the first failure no lane starts another task.
   */
  private CompletableFuture<Void> runLanes(int count, IntFunction<CompletableFuture<Void>> task) {
    AtomicInteger next = new AtomicInteger();
    AtomicBoolean failed = new AtomicBoolean();
    int lanes = Math.min(count, maxConcurrentRequests);
    CompletableFuture<?>[] fs = new CompletableFuture<?>[lanes];
    for (int l = 0; l < lanes; l++) {
      fs[l] = lane(next, failed, count, task);
    }
    return CompletableFuture.allOf(fs);
  }

  private static CompletableFuture<Void> lane(
      AtomicInteger next, AtomicBoolean failed, int count, IntFunction<CompletableFuture<Void>> task) {
    int i = next.getAndIncrement();
    if (i >= count || failed.get()) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> f;
    try {
      f = task.apply(i);
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    return f.whenComplete((v, e) -> {
          if (e != null) {
            failed.set(true);
          }
        })
        .thenCompose(v -> lane(next, failed, count, task));
  }

  private HttpRequest.Builder request(URI base, String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(base + pathAndQuery))
        .timeout(requestTimeout)
        .header("Authorization", authorization)
        .header("Accept", "application/json, application/octet-stream");
  }

  /** Releases the connection pool (on JDK 21+, where {@link HttpClient} is closeable). */
  @Override
  public void close() {
    Object h = http;
    if (h instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        throw new HashDbException("closing the HTTP client failed", e);
      }
    }
  }

  @Override
  public String toString() {
    return "HashDbClient[" + endpoints.current() + (endpoints.size() > 1 ? " of " + endpoints.size() + " URLs" : "") + "]";
  }

  /** Builds a {@link HashDbClient}; every setting but the URL and key has a default. */
  public static final class Builder {
    private List<URI> baseUrls;
    private String apiKey;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(60);
    private Path caPem;
    private SSLContext sslContext;
    private Path clientCertPem;
    private Path clientKeyPem;
    private Path clientKeyStore;
    private char[] clientKeyStorePassword;
    private String pin;
    private int maxBatchSize = 10_000;
    private int maxBulkHashes = 1_000_000;
    private long maxBodyBytes = 16L << 20;
    private int maxConcurrentRequests = 4;
    private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
    private Executor executor;
    private String psiPublicKey;
    private int privateBatchSize = 100;

    private Builder() {}

    /**
     * Pins the server's OPRF public key for private lookups (66 hex digits, from the operator
     * or {@code GET /v1/psi/config} over a trusted channel). Default: the key of the first
     * config fetched is pinned for the client's lifetime.
     */
    public Builder psiPublicKey(String hex) {
      this.psiPublicKey = hex;
      return this;
    }

    /** Queries per private lookup request (default 100; the server's maxQueries also bounds it). */
    public Builder privateBatchSize(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("privateBatchSize must be >= 1, got " + n);
      }
      this.privateBatchSize = n;
      return this;
    }

    /**
     * The server, e.g. {@code https://hashdb.example.org} (a path prefix is kept). Required (this
     * or {@link #baseUrls}); replaces URLs set before.
     */
    public Builder baseUrl(String url) {
      return baseUrl(URI.create(Objects.requireNonNull(url, "url").trim()));
    }

    public Builder baseUrl(URI url) {
      this.baseUrls = List.of(checkedUrl(url));
      return this;
    }

    /**
     * Several servers serving the same lists (a primary and its replicas), in order of preference,
     * for failover without a load balancer; each argument may hold several URLs separated by
     * commas. The client uses one at a time and moves to the next on a connection failure, a
     * timeout, a 502/503/504 or an answer behind the sequence it has seen (never on a 4xx), and
     * stays with the last one that answered; see README, "Several servers". Replaces URLs set
     * before; all must have the same scheme.
     */
    public Builder baseUrls(String... urls) {
      List<URI> out = new java.util.ArrayList<>();
      for (String u : Objects.requireNonNull(urls, "urls")) {
        for (String part : Objects.requireNonNull(u, "url").split(",")) {
          if (!part.isBlank()) {
            out.add(URI.create(part.trim()));
          }
        }
      }
      return baseUrls(out);
    }

    /** {@link #baseUrls(String...)} for URIs. */
    public Builder baseUrls(List<URI> urls) {
      List<URI> out = new java.util.ArrayList<>();
      for (URI u : urls) {
        URI c = checkedUrl(u);
        if (out.contains(c)) {
          throw new IllegalArgumentException("base URL " + c + " is given twice");
        }
        out.add(c);
      }
      if (out.isEmpty()) {
        throw new IllegalArgumentException("baseUrls: no URL given");
      }
      String scheme = out.get(0).getScheme();
      for (URI u : out) {
        if (!u.getScheme().equalsIgnoreCase(scheme)) {
          throw new IllegalArgumentException("base URLs must all be http or all https, got " + out);
        }
      }
      this.baseUrls = List.copyOf(out);
      return this;
    }

    private static URI checkedUrl(URI url) {
      Objects.requireNonNull(url, "url");
      String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
        throw new IllegalArgumentException("baseUrl must be an http or https URL with a host, got " + url);
      }
      if (url.getRawQuery() != null || url.getRawFragment() != null) {
        throw new IllegalArgumentException("baseUrl must not have a query or fragment, got " + url);
      }
      String s = url.toString();
      while (s.endsWith("/")) {
        s = s.substring(0, s.length() - 1);
      }
      return URI.create(s);
    }

    /**
     * The API key, sent as {@code Authorization: Bearer <key>}. Required (this or {@link
     * #apiKeyFromEnv}).
     *
     * @throws IllegalArgumentException null (typically {@code System.getenv} of an unset
     *     variable), blank, or not printable ASCII
     */
    public Builder apiKey(String key) {
      if (key == null) {
        throw new IllegalArgumentException("HashDbClient.Builder.apiKey(key): the key is null; if it comes from"
            + " System.getenv(...), that environment variable is not set (apiKeyFromEnv(\"HASHDB_API_KEY\")"
            + " names the variable in this message)");
      }
      if (key.isBlank() || key.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
        throw new IllegalArgumentException("apiKey must be non-empty printable ASCII without spaces");
      }
      this.apiKey = key;
      return this;
    }

    /**
     * The API key from an environment variable, e.g. {@code HASHDB_API_KEY} (keeps it out of
     * code and shell history).
     *
     * @throws IllegalArgumentException the variable is not set or empty (the message names it)
     */
    public Builder apiKeyFromEnv(String variable) {
      Objects.requireNonNull(variable, "variable");
      String key = System.getenv(variable);
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException("HashDbClient.Builder.apiKeyFromEnv: environment variable " + variable
            + " is not set (export " + variable + "=hdb_... with your API key)");
      }
      return apiKey(key.trim());
    }

    public Builder connectTimeout(Duration d) {
      this.connectTimeout = positive(d, "connectTimeout");
      return this;
    }

    /** Time limit of one attempt (each retry gets its own). */
    public Builder requestTimeout(Duration d) {
      this.requestTimeout = positive(d, "requestTimeout");
      return this;
    }

    /** Trust the CA certificate(s) in this PEM file instead of the JDK's default CAs. */
    public Builder caCertificates(Path pemFile) {
      this.caPem = Objects.requireNonNull(pemFile, "pemFile");
      return this;
    }

    /**
     * Present this client certificate for mutual TLS: {@code certPem} holds the certificate (then
     * any intermediates), {@code keyPem} its unencrypted PKCS#8 key ({@code BEGIN PRIVATE KEY}).
     * Keep the key file readable by its owner only; for an encrypted key use {@link
     * #clientKeyStore}.
     */
    public Builder clientCertificate(Path certPem, Path keyPem) {
      this.clientCertPem = Objects.requireNonNull(certPem, "certPem");
      this.clientKeyPem = Objects.requireNonNull(keyPem, "keyPem");
      this.clientKeyStore = null;
      return this;
    }

    /**
     * Present the client certificate and key of this PKCS#12 keystore for mutual TLS. The password
     * is copied (clear your array afterwards); read it from a file or the environment, never from
     * a command line.
     */
    public Builder clientKeyStore(Path pkcs12, char[] password) {
      this.clientKeyStore = Objects.requireNonNull(pkcs12, "pkcs12");
      this.clientKeyStorePassword = Objects.requireNonNull(password, "password").clone();
      this.clientCertPem = null;
      this.clientKeyPem = null;
      return this;
    }

    /** Use this SSLContext as is (cannot be combined with {@link #caCertificates}, a pin or a client certificate). */
    public Builder sslContext(SSLContext ctx) {
      this.sslContext = Objects.requireNonNull(ctx, "ctx");
      return this;
    }

    /**
     * Accept only a server whose certificate hashes to {@code sha256}: the SHA-256 of its
     * SubjectPublicKeyInfo (survives renewals with the same key) or of its DER encoding; hex or
     * base64, {@code sha256//} prefix allowed. The chain is still validated.
     */
    public Builder pinnedCertificate(String sha256) {
      Tls.parsePin(Objects.requireNonNull(sha256, "sha256"));
      this.pin = sha256;
      return this;
    }

    /** Queries per JSON batch request (default 10,000, the server's default limit). */
    public Builder maxBatchSize(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxBatchSize must be >= 1, got " + n);
      }
      this.maxBatchSize = n;
      return this;
    }

    /** Hashes per bulk request (default 1,000,000, the server's default limit). */
    public Builder maxBulkHashes(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxBulkHashes must be >= 1, got " + n);
      }
      this.maxBulkHashes = n;
      return this;
    }

    /** Request body size limit (default 16 MiB, the server's default). */
    public Builder maxBodyBytes(long n) {
      if (n < 1024) {
        throw new IllegalArgumentException("maxBodyBytes must be >= 1024, got " + n);
      }
      this.maxBodyBytes = n;
      return this;
    }

    /** Requests one split call keeps in flight (default 4). */
    public Builder maxConcurrentRequests(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxConcurrentRequests must be >= 1, got " + n);
      }
      this.maxConcurrentRequests = n;
      return this;
    }

    public Builder retryPolicy(RetryPolicy p) {
      this.retryPolicy = Objects.requireNonNull(p, "retryPolicy");
      return this;
    }

    /** Executor for the HTTP client's asynchronous work (default: the JDK's own). */
    public Builder executor(Executor e) {
      this.executor = Objects.requireNonNull(e, "executor");
      return this;
    }

    /**
     * Builds the client.
     *
     * @throws IllegalStateException when the URL or key is missing or the TLS settings conflict
     * @throws HashDbException when the CA file or the client certificate cannot be read
     */
    public HashDbClient build() {
      if (baseUrls == null) {
        throw new IllegalStateException("a server URL is required: HashDbClient.Builder.baseUrl(\"https://...\")");
      }
      if (apiKey == null) {
        throw new IllegalStateException("an API key is required: HashDbClient.Builder.apiKey(key) or"
            + " .apiKeyFromEnv(\"HASHDB_API_KEY\")");
      }
      boolean clientCert = clientCertPem != null || clientKeyStore != null;
      boolean https = baseUrls.get(0).getScheme().equalsIgnoreCase("https");
      if (sslContext != null && (caPem != null || pin != null || clientCert)) {
        throw new IllegalStateException(
            "sslContext cannot be combined with caCertificates, pinnedCertificate or a client certificate");
      }
      if (clientCert && !https) {
        throw new IllegalStateException("a client certificate needs https base URLs, got " + baseUrls);
      }
      HttpClient.Builder hb = HttpClient.newBuilder()
          .connectTimeout(connectTimeout)
          .followRedirects(HttpClient.Redirect.NEVER)
          // h2c upgrade on plain HTTP is not part of the API; HTTP/2 only over TLS (ALPN).
          .version(https ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1);
      if (executor != null) {
        hb.executor(executor);
      }
      if (sslContext != null) {
        hb.sslContext(sslContext);
      } else if (caPem != null || pin != null || clientCert) {
        hb.sslContext(tlsContext());
      }
      return new HashDbClient(this, hb.build());
    }

    private SSLContext tlsContext() {
      KeyManager[] keyManagers = null;
      try {
        if (clientKeyStore != null) {
          keyManagers = ClientCertificate.fromPkcs12(clientKeyStore, clientKeyStorePassword);
        } else if (clientCertPem != null) {
          keyManagers = ClientCertificate.fromPem(clientCertPem, clientKeyPem);
        }
      } catch (IOException | GeneralSecurityException e) {
        Path from = clientKeyStore != null ? clientKeyStore : clientCertPem;
        throw new HashDbException("cannot read the client certificate " + from + ": " + e.getMessage(), e);
      }
      try {
        return Tls.context(caPem, pin, keyManagers);
      } catch (IOException | GeneralSecurityException e) {
        throw new HashDbException("cannot set up TLS trust" + (caPem == null ? "" : " from " + caPem) + ": " + e.getMessage(), e);
      }
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be > 0, got " + d);
      }
      return d;
    }
  }
}
