package org.hashdb.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.hashdb.core.pdq.PdqIndex;
import org.hashdb.server.PsiSettings;

/**
 * Settings of a server: where it listens and every bound it enforces. Immutable; build with
 * {@link #builder()} or read from a properties file ({@link #fromProperties}). The defaults are
 * the limits of the API contract.
 *
 * <p>Each setting is declared once below ({@link Setting}: name, type, default, bounds, one-line
 * description); the properties parser, the checks, {@code serve --help}, the README table
 * ({@link #markdownTable()}, kept equal by a test) and the start-up log are derived from the
 * declarations. The typed getters and builder methods, named as the settings, are one-line
 * views of them (documented on the constants). The settings of private lookups are named
 * {@code psi.*}; {@link #psi()} is their typed view ({@link PsiSettings}).
 */
public final class ServerConfig {
  /** Request body limit, bytes (contract default 16 MiB). */
  public static final int DEFAULT_MAX_BODY_BYTES = 16 << 20;

  private static final List<Setting<?>> DECLARED = new ArrayList<>();

  public static final Setting<String> BIND = textSetting("bind", "127.0.0.1", null,
      "address to listen on (0.0.0.0 or :: for all)");
  public static final Setting<Integer> PORT = intSetting("port", 8080, null, 0, 65535,
      "port to listen on (0 = any free port)");
  public static final Setting<Integer> MAX_BODY_BYTES = intSetting("maxBodyBytes", DEFAULT_MAX_BODY_BYTES, null, 1, Integer.MAX_VALUE - 8,
      "largest JSON request body, bytes");
  public static final Setting<Integer> MAX_BATCH_QUERIES = intSetting("maxBatchQueries", 10_000, null, 1, Integer.MAX_VALUE,
      "queries in one POST /v1/lookup");
  public static final Setting<Integer> MAX_BULK_HASHES = intSetting("maxBulkHashes", 1_000_000, null, 1, 64_000_000,
      "hashes in one POST /v1/lookup/bulk (64M sha256 values fill one Java array)");
  public static final Setting<Integer> MAX_HEADER_BYTES = intSetting("maxHeaderBytes", 64 << 10, null, 256, 1 << 24,
      "request line and header lines, bytes");
  public static final Setting<Integer> MAX_ADMIN_ENTRIES = intSetting("maxAdminEntries", 100_000, null, 1, Integer.MAX_VALUE,
      "entries in one POST /v1/admin/entries");
  public static final Setting<Long> MAX_IMPORT_BYTES = longSetting("maxImportBytes", 8L << 30, null, 1, Long.MAX_VALUE,
      "body of one streamed import, bytes");
  public static final Setting<Integer> DEFAULT_PDQ_DISTANCE = intSetting("defaultPdqDistance", PdqIndex.DEFAULT_MAX_DISTANCE, null, 0, PdqIndex.QUERY_DISTANCE_CEILING,
      "pdq maxDistance when a query gives none (at most maxPdqDistance)");
  public static final Setting<Integer> MAX_PDQ_DISTANCE = intSetting("maxPdqDistance", PdqIndex.QUERY_DISTANCE_CEILING, null, 0, PdqIndex.QUERY_DISTANCE_CEILING,
      "largest pdq maxDistance a query may ask for");
  public static final Setting<Integer> MAX_CHANGES_LIMIT = intSetting("maxChangesLimit", 10_000, null, 1, 1_000_000,
      "largest limit= of the change feed");
  public static final Setting<Long> MAX_CHANGES_ENTRIES = longSetting("maxChangesEntries", 100_000, null, 1, 100_000_000L,
      "entries (counted inside import batches) per change feed page");
  public static final Setting<Long> MAX_CHANGES_BYTES = longSetting("maxChangesBytes", 32L << 20, null, 4096, 1L << 30,
      "bytes per change feed page (a single larger change is still sent alone)");
  public static final Setting<Long> IDLE_TIMEOUT_MILLIS = longSetting("idleTimeoutMillis", 60_000, null, 1, Long.MAX_VALUE,
      "keep-alive connection without a request: closed");
  public static final Setting<Long> READ_TIMEOUT_MILLIS = longSetting("readTimeoutMillis", 30_000, null, 1, Long.MAX_VALUE,
      "no body byte for this long: 408 and close");
  public static final Setting<Long> SHUTDOWN_GRACE_MILLIS = longSetting("shutdownGraceMillis", 10_000, null, 1, Long.MAX_VALUE,
      "how long a stop waits for in-flight requests");
  public static final Setting<Integer> WRITE_THREADS = intSetting("writeThreads", 4, null, 1, 256,
      "threads running durable writes (group commit shares their fsyncs)");
  public static final Setting<Long> AUDIT_MAX_BYTES = longSetting("auditMaxBytes", 64L << 20, null, 4096, Long.MAX_VALUE,
      "rotate the audit log at this size, bytes");
  public static final Setting<Integer> AUDIT_FILES = intSetting("auditFiles", 10, null, 1, 1000,
      "rotated audit log files kept");
  public static final Setting<Boolean> ACCESS_LOG = booleanSetting("accessLog", true, null,
      "write DIR/access.jsonl, one line per answered request");
  public static final Setting<Long> ACCESS_MAX_BYTES = longSetting("accessMaxBytes", 128L << 20, null, 4096, Long.MAX_VALUE,
      "rotate the access log at this size, bytes");
  public static final Setting<Integer> ACCESS_FILES = intSetting("accessFiles", 10, null, 1, 1000,
      "rotated access log files kept");
  public static final Setting<Path> TLS_CERT = pathSetting("tlsCert", null, "none (cleartext)",
      "PEM certificate chain: serve HTTPS, HTTP/2 via ALPN (needs tlsKey)");
  public static final Setting<Path> TLS_KEY = pathSetting("tlsKey", null, "none",
      "PEM PKCS#8 private key of tlsCert");
  public static final Setting<Integer> IO_THREADS = intSetting("ioThreads", 0, null, 0, 1024,
      "event loop threads (0 = Netty's default, 2 x cores)");
  public static final Setting<List<Path>> TRUSTED_KEYS = pathsSetting("trustedKeys", List.of(), "none",
      "trust files of list suppliers' keys, each line naming the lists the key may sign (lists=..., see Trust file): signed releases must verify against one (comma-separated)");
  public static final Setting<Path> RELEASE_DECRYPT_KEY = pathSetting("releaseDecryptKey", null, "none (refused)",
      "x25519 private key that decrypts encrypted releases (needs trustedKeys)");
  public static final Setting<Long> HEADER_TIMEOUT_MILLIS = longSetting("headerTimeoutMillis", 60_000, null, 1, Long.MAX_VALUE,
      "request head not complete this long after the connection opened or the last answer: closed");
  public static final Setting<Integer> MIN_BODY_BYTES_PER_SECOND = intSetting("minBodyBytesPerSecond", 500, null, 0, Integer.MAX_VALUE,
      "slowest body accepted, over 10 s windows: 408 and close (0 = off)");
  public static final Setting<Long> REQUEST_TIMEOUT_MILLIS = longSetting("requestTimeoutMillis", 120_000, null, 1, Long.MAX_VALUE,
      "head to last body byte, imports excepted: 408 and close");
  public static final Setting<Long> SEND_TIMEOUT_MILLIS = longSetting("sendTimeoutMillis", 60_000, null, 1, Long.MAX_VALUE,
      "an answer the client does not read for this long: connection closed");
  public static final Setting<Integer> MAX_CONNECTIONS = intSetting("maxConnections", 10_000, null, 1, Integer.MAX_VALUE,
      "open connections in total");
  public static final Setting<Integer> MAX_CONNECTIONS_PER_ADDRESS = intSetting("maxConnectionsPerAddress", 256, null, 1, Integer.MAX_VALUE,
      "open connections from one remote address");
  public static final Setting<Integer> MAX_HEADER_FIELDS = intSetting("maxHeaderFields", 100, null, 1, Integer.MAX_VALUE,
      "header fields per request: 431 and close");
  public static final Setting<Long> MAX_BODY_BYTES_IN_FLIGHT = longSetting("maxBodyBytesInFlight", 256L << 20, null, 1, Long.MAX_VALUE,
      "request body bytes held by all requests: 503 beyond");
  public static final Setting<Long> MAX_KEY_BODY_BYTES_IN_FLIGHT = longSetting("maxKeyBodyBytesInFlight", 64L << 20, null, 1, Long.MAX_VALUE,
      "request body bytes held by one key's requests: 429 beyond");
  public static final Setting<Integer> HTTP2_MAX_CONCURRENT_STREAMS = intSetting("http2MaxConcurrentStreams", 128, null, 1, Integer.MAX_VALUE,
      "concurrent streams per HTTP/2 connection");
  public static final Setting<Integer> WARMUP_REQUESTS = intSetting("warmupRequests", 3000, null, 0, 1_000_000,
      "in-process requests per protocol at start-up, before /readyz answers 200 (0 = none)");
  public static final Setting<Integer> LOOKUP_THREADS = intSetting("lookupThreads", Math.max(2, Runtime.getRuntime().availableProcessors()), "cores (at least 2)", 1, Integer.MAX_VALUE,
      "threads for PDQ searches and large lookup batches");
  public static final Setting<Integer> MAX_KEY_LOOKUP_JOBS = intSetting("maxKeyLookupJobs", Math.max(1, Runtime.getRuntime().availableProcessors() / 2), "cores / 2 (at least 1)", 1, Integer.MAX_VALUE,
      "lookup jobs of one key running at once on the lookup threads");
  public static final Setting<Integer> WRITE_BUFFER_HIGH_BYTES = intSetting("writeBufferHighBytes", 256 << 10, null, 1, Integer.MAX_VALUE,
      "unsent answer bytes above which a connection is not read");
  public static final Setting<Integer> MAX_CHANGES_WAIT_SECONDS = intSetting("maxChangesWaitSeconds", 30, null, 0, 300,
      "longest wait= of a change feed long-poll, seconds (a longer wait is cut to this)");
  public static final Setting<Long> REPLICA_MAX_LAG_SEQUENCES = longSetting("replicaMaxLagSequences", 10_000, null, 0, Long.MAX_VALUE,
      "replica: /readyz 503 while more than this many changes behind its primary");
  public static final Setting<Integer> REPLICA_MAX_LAG_SECONDS = intSetting("replicaMaxLagSeconds", 30, null, 1, 86_400,
      "replica: /readyz 503 while not caught up with its primary for longer than this, seconds");
  public static final Setting<Integer> REPLICA_MAX_PRIMARY_LOSS_SECONDS = intSetting("replicaMaxPrimaryLossSeconds", 30, null, 1, 86_400,
      "replica: /readyz 503 when its primary has not answered for longer than this, seconds");
  public static final Setting<String> ADMIN_BIND = textSetting("adminBind", "127.0.0.1", null,
      "address of the admin listener (admin, replica, metrics routes): keep it private");
  public static final Setting<Integer> ADMIN_PORT = intSetting("adminPort", 8081, null, 0, 65535,
      "port of the admin listener (0 = any free port, logged at start-up)");
  public static final Setting<Path> ADMIN_TLS_CERT = pathSetting("adminTlsCert", null, "none (cleartext)",
      "PEM certificate chain of the admin listener: HTTPS there (needs adminTlsKey)");
  public static final Setting<Path> ADMIN_TLS_KEY = pathSetting("adminTlsKey", null, "none",
      "PEM PKCS#8 private key of adminTlsCert");
  public static final Setting<Path> ADMIN_CLIENT_CA = pathSetting("adminClientCa", null, "none (no client certificates)",
      "PEM CA certificate(s): admin clients need a certificate issued by one, its CN the name of the key they send (needs adminTlsCert)");
  public static final Setting<Path> ADMIN_CRL = pathSetting("adminCrl", null, "none (no revocation check)",
      "PEM or DER CRL(s) of adminClientCa: revoked client certificates refused, file re-read when it changes (needs adminClientCa)");
  public static final Setting<Long> KEYS_RELOAD_MILLIS = longSetting("keysReloadMillis", 2000, null, 0, 86_400_000,
      "how often keys.json is checked for changes, ms (0 = never): a revocation takes effect within it");
  public static final Setting<Boolean> PSI_ENABLED = booleanSetting("psi.enabled", true, null,
      "serve private lookups, /v1/psi/* (404 when false)");
  public static final Setting<Integer> PSI_BUCKET_BITS = intSetting("psi.bucketBits", 16, null, 0, 32,
      "private lookups: bits of SHA-256(input) that name a bucket");
  public static final Setting<Integer> PSI_BUCKET_SIZE = intSetting("psi.bucketSize", 512, null, 1, 1 << 20,
      "private lookups: values per answered bucket (raised to the largest bucket)");
  public static final Setting<Integer> PSI_MAX_QUERIES = intSetting("psi.maxQueries", 1000, null, 1, 100_000,
      "private lookups: queries per POST /v1/psi/lookup");
  public static final Setting<Long> PSI_KEY_OVERLAP_SECONDS = longSetting("psi.keyOverlapSeconds", 86_400, null, 0, Long.MAX_VALUE,
      "private lookups: how long a rotated-out OPRF key is still served, s");
  public static final Setting<Integer> PSI_THREADS = intSetting("psi.threads", 0, "0 (cores)", 0, 256,
      "private lookups: threads evaluating queries (0 = one per core)");

  /** Every setting, in declaration order. */
  public static final List<Setting<?>> SETTINGS = Collections.unmodifiableList(DECLARED);

  private static final Map<String, Setting<?>> BY_NAME =
      SETTINGS.stream().collect(Collectors.toUnmodifiableMap(Setting::name, Function.identity()));

  private final Object[] values; // by Setting.index(); never changed after construction
  private final PsiSettings psi; // private lookups: a view of the psi.* settings

  private ServerConfig(Builder b) {
    this.values = b.values.clone();
    values[DEFAULT_PDQ_DISTANCE.index()] = Math.min(b.get(DEFAULT_PDQ_DISTANCE), b.get(MAX_PDQ_DISTANCE));
    this.psi = new PsiSettings(get(PSI_ENABLED), get(PSI_BUCKET_BITS), get(PSI_BUCKET_SIZE),
        get(PSI_MAX_QUERIES), get(PSI_KEY_OVERLAP_SECONDS), get(PSI_THREADS));
  }

  private static <T> Setting<T> declare(String name, Setting.Kind kind, T def, String defText, long min, long max,
      String doc) {
    Setting<T> s = new Setting<>(DECLARED.size(), name, kind, def, defText, min, max, doc);
    DECLARED.add(s);
    return s;
  }

  private static Setting<Integer> intSetting(String name, int def, String defText, int min, int max, String doc) {
    return declare(name, Setting.Kind.INT, def, defText, min, max, doc);
  }

  private static Setting<Long> longSetting(String name, long def, String defText, long min, long max, String doc) {
    return declare(name, Setting.Kind.LONG, def, defText, min, max, doc);
  }

  private static Setting<Boolean> booleanSetting(String name, boolean def, String defText, String doc) {
    return declare(name, Setting.Kind.BOOLEAN, def, defText, 0, 0, doc);
  }

  private static Setting<String> textSetting(String name, String def, String defText, String doc) {
    return declare(name, Setting.Kind.TEXT, def, defText, 0, 0, doc);
  }

  private static Setting<Path> pathSetting(String name, Path def, String defText, String doc) {
    return declare(name, Setting.Kind.PATH, def, defText, 0, 0, doc);
  }

  private static Setting<List<Path>> pathsSetting(String name, List<Path> def, String defText, String doc) {
    return declare(name, Setting.Kind.PATHS, def, defText, 0, 0, doc);
  }

  public static Builder builder() {
    return new Builder();
  }

  public static ServerConfig defaults() {
    return builder().build();
  }

  /** A builder initialised with this config's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    System.arraycopy(values, 0, b.values, 0, values.length);
    return b;
  }

  /**
   * Applies a properties file over {@code base}. Keys are the setting names ({@code port},
   * {@code maxBodyBytes}, {@code idleTimeoutMillis}, ...); an unknown key or a bad value is an
   * {@link IllegalArgumentException} naming it.
   */
  public static ServerConfig fromProperties(Properties p, ServerConfig base) {
    Builder b = base.toBuilder();
    for (String k : p.stringPropertyNames()) {
      String v = p.getProperty(k).trim();
      Setting<?> s = BY_NAME.get(k);
      if (s != null) {
        b.parseAndSet(s, v);
      } else {
        throw new IllegalArgumentException("unknown setting '" + k + "'");
      }
    }
    return b.build();
  }

  /** The value of {@code setting}. */
  @SuppressWarnings("unchecked")
  public <T> T get(Setting<T> setting) {
    return (T) values[setting.index()];
  }

  /** The settings that differ from their defaults, {@code name=value, ...} (for the start-up log). */
  public String describeChanged() {
    StringBuilder sb = new StringBuilder();
    for (Setting<?> s : SETTINGS) {
      Object v = values[s.index()];
      if (!Objects.equals(v, s.defaultValue())) {
        sb.append(sb.length() == 0 ? "" : ", ").append(s.name()).append('=').append(s.format(v));
      }
    }
    return sb.toString();
  }

  /** The settings as a Markdown table: the README's, which a test keeps equal to this. */
  public static String markdownTable() {
    StringBuilder sb = new StringBuilder("| setting | type | default | bounds | what |\n|---|---|---|---|---|\n");
    for (Setting<?> s : SETTINGS) {
      sb.append("| `").append(s.name()).append("` | ").append(s.typeName()).append(" | ")
          .append(s.defaultDescription()).append(" | ").append(s.bounds()).append(" | ").append(s.doc())
          .append(" |\n");
    }
    return sb.toString();
  }

  /** The settings as help text lines: name, default, description. */
  public static List<String> helpLines() {
    List<String> lines = new ArrayList<>();
    for (Setting<?> s : SETTINGS) {
      String def = s.defaultDescription();
      lines.add(String.format(Locale.ROOT, "  %-26s %s%s", s.name(), s.doc(),
          def.isEmpty() ? "" : " (default " + def + ")"));
    }
    return lines;
  }

  public String bind() {
    return get(BIND);
  }

  public int port() {
    return get(PORT);
  }

  public int maxBodyBytes() {
    return get(MAX_BODY_BYTES);
  }

  public int maxBatchQueries() {
    return get(MAX_BATCH_QUERIES);
  }

  public int maxBulkHashes() {
    return get(MAX_BULK_HASHES);
  }

  public int maxHeaderBytes() {
    return get(MAX_HEADER_BYTES);
  }

  public int maxAdminEntries() {
    return get(MAX_ADMIN_ENTRIES);
  }

  public long maxImportBytes() {
    return get(MAX_IMPORT_BYTES);
  }

  public int defaultPdqDistance() {
    return get(DEFAULT_PDQ_DISTANCE);
  }

  public int maxPdqDistance() {
    return get(MAX_PDQ_DISTANCE);
  }

  public int maxChangesLimit() {
    return get(MAX_CHANGES_LIMIT);
  }

  public long maxChangesEntries() {
    return get(MAX_CHANGES_ENTRIES);
  }

  public long maxChangesBytes() {
    return get(MAX_CHANGES_BYTES);
  }

  public long idleTimeoutMillis() {
    return get(IDLE_TIMEOUT_MILLIS);
  }

  public long readTimeoutMillis() {
    return get(READ_TIMEOUT_MILLIS);
  }

  public long shutdownGraceMillis() {
    return get(SHUTDOWN_GRACE_MILLIS);
  }

  public int writeThreads() {
    return get(WRITE_THREADS);
  }

  public long auditMaxBytes() {
    return get(AUDIT_MAX_BYTES);
  }

  public int auditFiles() {
    return get(AUDIT_FILES);
  }

  public boolean accessLog() {
    return get(ACCESS_LOG);
  }

  public long accessMaxBytes() {
    return get(ACCESS_MAX_BYTES);
  }

  public int accessFiles() {
    return get(ACCESS_FILES);
  }

  public Path tlsCert() {
    return get(TLS_CERT);
  }

  public Path tlsKey() {
    return get(TLS_KEY);
  }

  public int ioThreads() {
    return get(IO_THREADS);
  }

  public List<Path> trustedKeys() {
    return get(TRUSTED_KEYS);
  }

  public Path releaseDecryptKey() {
    return get(RELEASE_DECRYPT_KEY);
  }

  public long headerTimeoutMillis() {
    return get(HEADER_TIMEOUT_MILLIS);
  }

  public int minBodyBytesPerSecond() {
    return get(MIN_BODY_BYTES_PER_SECOND);
  }

  public long requestTimeoutMillis() {
    return get(REQUEST_TIMEOUT_MILLIS);
  }

  public long sendTimeoutMillis() {
    return get(SEND_TIMEOUT_MILLIS);
  }

  public int maxConnections() {
    return get(MAX_CONNECTIONS);
  }

  public int maxConnectionsPerAddress() {
    return get(MAX_CONNECTIONS_PER_ADDRESS);
  }

  public int maxHeaderFields() {
    return get(MAX_HEADER_FIELDS);
  }

  public long maxBodyBytesInFlight() {
    return get(MAX_BODY_BYTES_IN_FLIGHT);
  }

  public long maxKeyBodyBytesInFlight() {
    return get(MAX_KEY_BODY_BYTES_IN_FLIGHT);
  }

  public int http2MaxConcurrentStreams() {
    return get(HTTP2_MAX_CONCURRENT_STREAMS);
  }

  /**
   * Requests the server sends itself in-process at start-up, per protocol (HTTP/1.1, and
   * HTTP/2 over TLS when TLS is on), so its request path is compiled before {@code /readyz}
   * answers 200; 0: none.
   */
  public int warmupRequests() {
    return get(WARMUP_REQUESTS);
  }

  public int lookupThreads() {
    return get(LOOKUP_THREADS);
  }

  public int maxKeyLookupJobs() {
    return get(MAX_KEY_LOOKUP_JOBS);
  }

  public int writeBufferHighBytes() {
    return get(WRITE_BUFFER_HIGH_BYTES);
  }

  public boolean tls() {
    return tlsCert() != null;
  }

  public int maxChangesWaitSeconds() {
    return get(MAX_CHANGES_WAIT_SECONDS);
  }

  public long replicaMaxLagSequences() {
    return get(REPLICA_MAX_LAG_SEQUENCES);
  }

  public int replicaMaxLagSeconds() {
    return get(REPLICA_MAX_LAG_SECONDS);
  }

  public int replicaMaxPrimaryLossSeconds() {
    return get(REPLICA_MAX_PRIMARY_LOSS_SECONDS);
  }

  /** Settings of private lookups ({@code psi.*} properties). */
  public PsiSettings psi() {
    return psi;
  }

  public String adminBind() {
    return get(ADMIN_BIND);
  }

  public int adminPort() {
    return get(ADMIN_PORT);
  }

  public Path adminTlsCert() {
    return get(ADMIN_TLS_CERT);
  }

  public Path adminTlsKey() {
    return get(ADMIN_TLS_KEY);
  }

  /** CA certificates that issue admin client certificates; null: none asked for. */
  public Path adminClientCa() {
    return get(ADMIN_CLIENT_CA);
  }

  public Path adminCrl() {
    return get(ADMIN_CRL);
  }

  public boolean adminTls() {
    return adminTlsCert() != null;
  }

  public long keysReloadMillis() {
    return get(KEYS_RELOAD_MILLIS);
  }

  /** Mutable builder; each setter checks its bounds, {@link #build()} the cross-field rules. */
  public static final class Builder {
    private final Object[] values = new Object[SETTINGS.size()];

    private Builder() {
      for (Setting<?> s : SETTINGS) {
        values[s.index()] = s.defaultValue();
      }
    }

    /** Sets {@code setting} to {@code v} after checking its bounds. */
    public <T> Builder set(Setting<T> setting, T v) {
      values[setting.index()] = setting.check(v);
      return this;
    }

    /** Sets {@code setting} from its properties-file (or command-line) text. */
    public <T> Builder parseAndSet(Setting<T> setting, String text) {
      return set(setting, setting.parse(text.trim()));
    }

    @SuppressWarnings("unchecked")
    private <T> T get(Setting<T> setting) {
      return (T) values[setting.index()];
    }

    /** Sets the six {@code psi.*} settings at once. */
    public Builder psi(PsiSettings v) {
      set(PSI_ENABLED, v.enabled());
      set(PSI_BUCKET_BITS, v.bucketBits());
      set(PSI_BUCKET_SIZE, v.bucketSize());
      set(PSI_MAX_QUERIES, v.maxQueries());
      set(PSI_KEY_OVERLAP_SECONDS, v.keyOverlapSeconds());
      return set(PSI_THREADS, v.threads());
    }

    /** Admin listener address and port (0: any free port). */
    public Builder admin(String bind, int port) {
      set(ADMIN_BIND, bind);
      return set(ADMIN_PORT, port);
    }

    public Builder adminPort(int v) {
      return set(ADMIN_PORT, v);
    }

    /** HTTPS on the admin listener; with {@code clientCa} client certificates are required. */
    public Builder adminTls(Path cert, Path key, Path clientCa, Path crl) {
      set(ADMIN_TLS_CERT, cert);
      set(ADMIN_TLS_KEY, key);
      set(ADMIN_CLIENT_CA, clientCa);
      return set(ADMIN_CRL, crl);
    }

    public Builder keysReloadMillis(long v) {
      return set(KEYS_RELOAD_MILLIS, v);
    }

    /** Serve HTTPS (HTTP/1.1 and HTTP/2 via ALPN) with this PEM certificate chain and PKCS#8 key. */
    public Builder tls(Path cert, Path key) {
      set(TLS_CERT, cert);
      return set(TLS_KEY, key);
    }

    /** Public key files of release signers (empty: signed releases are refused). */
    public Builder trustedKeys(List<Path> files) {
      return set(TRUSTED_KEYS, List.copyOf(files));
    }

    public Builder bind(String v) {
      return set(BIND, v);
    }

    public Builder port(int v) {
      return set(PORT, v);
    }

    public Builder maxBodyBytes(int v) {
      return set(MAX_BODY_BYTES, v);
    }

    public Builder maxBatchQueries(int v) {
      return set(MAX_BATCH_QUERIES, v);
    }

    public Builder maxBulkHashes(int v) {
      return set(MAX_BULK_HASHES, v);
    }

    public Builder maxHeaderBytes(int v) {
      return set(MAX_HEADER_BYTES, v);
    }

    public Builder maxAdminEntries(int v) {
      return set(MAX_ADMIN_ENTRIES, v);
    }

    public Builder maxImportBytes(long v) {
      return set(MAX_IMPORT_BYTES, v);
    }

    public Builder defaultPdqDistance(int v) {
      return set(DEFAULT_PDQ_DISTANCE, v);
    }

    public Builder maxPdqDistance(int v) {
      return set(MAX_PDQ_DISTANCE, v);
    }

    public Builder maxChangesLimit(int v) {
      return set(MAX_CHANGES_LIMIT, v);
    }

    public Builder maxChangesEntries(long v) {
      return set(MAX_CHANGES_ENTRIES, v);
    }

    public Builder maxChangesBytes(long v) {
      return set(MAX_CHANGES_BYTES, v);
    }

    public Builder idleTimeoutMillis(long v) {
      return set(IDLE_TIMEOUT_MILLIS, v);
    }

    public Builder readTimeoutMillis(long v) {
      return set(READ_TIMEOUT_MILLIS, v);
    }

    public Builder shutdownGraceMillis(long v) {
      return set(SHUTDOWN_GRACE_MILLIS, v);
    }

    public Builder writeThreads(int v) {
      return set(WRITE_THREADS, v);
    }

    public Builder auditMaxBytes(long v) {
      return set(AUDIT_MAX_BYTES, v);
    }

    public Builder auditFiles(int v) {
      return set(AUDIT_FILES, v);
    }

    public Builder accessLog(boolean v) {
      return set(ACCESS_LOG, v);
    }

    public Builder accessMaxBytes(long v) {
      return set(ACCESS_MAX_BYTES, v);
    }

    public Builder accessFiles(int v) {
      return set(ACCESS_FILES, v);
    }

    public Builder ioThreads(int v) {
      return set(IO_THREADS, v);
    }

    public Builder releaseDecryptKey(Path v) {
      return set(RELEASE_DECRYPT_KEY, v);
    }

    public Builder headerTimeoutMillis(long v) {
      return set(HEADER_TIMEOUT_MILLIS, v);
    }

    public Builder minBodyBytesPerSecond(int v) {
      return set(MIN_BODY_BYTES_PER_SECOND, v);
    }

    public Builder requestTimeoutMillis(long v) {
      return set(REQUEST_TIMEOUT_MILLIS, v);
    }

    public Builder sendTimeoutMillis(long v) {
      return set(SEND_TIMEOUT_MILLIS, v);
    }

    public Builder maxConnections(int v) {
      return set(MAX_CONNECTIONS, v);
    }

    public Builder maxConnectionsPerAddress(int v) {
      return set(MAX_CONNECTIONS_PER_ADDRESS, v);
    }

    public Builder maxHeaderFields(int v) {
      return set(MAX_HEADER_FIELDS, v);
    }

    public Builder maxBodyBytesInFlight(long v) {
      return set(MAX_BODY_BYTES_IN_FLIGHT, v);
    }

    public Builder maxKeyBodyBytesInFlight(long v) {
      return set(MAX_KEY_BODY_BYTES_IN_FLIGHT, v);
    }

    public Builder http2MaxConcurrentStreams(int v) {
      return set(HTTP2_MAX_CONCURRENT_STREAMS, v);
    }

    /** In-process requests per protocol at start-up before {@code /readyz} answers 200. */
    public Builder warmupRequests(int v) {
      return set(WARMUP_REQUESTS, v);
    }

    public Builder lookupThreads(int v) {
      return set(LOOKUP_THREADS, v);
    }

    public Builder maxKeyLookupJobs(int v) {
      return set(MAX_KEY_LOOKUP_JOBS, v);
    }

    public Builder writeBufferHighBytes(int v) {
      return set(WRITE_BUFFER_HIGH_BYTES, v);
    }

    public ServerConfig build() {
      if ((get(TLS_CERT) == null) != (get(TLS_KEY) == null)) {
        throw new IllegalArgumentException("TLS needs both a certificate and a key");
      }
      if ((get(ADMIN_TLS_CERT) == null) != (get(ADMIN_TLS_KEY) == null)) {
        throw new IllegalArgumentException("admin TLS needs both adminTlsCert and adminTlsKey");
      }
      if (get(ADMIN_CLIENT_CA) != null && get(ADMIN_TLS_CERT) == null) {
        throw new IllegalArgumentException("adminClientCa needs adminTlsCert and adminTlsKey:"
            + " client certificates are only asked for over TLS");
      }
      if (get(ADMIN_CRL) != null && get(ADMIN_CLIENT_CA) == null) {
        throw new IllegalArgumentException("adminCrl needs adminClientCa");
      }
      if (get(PORT) != 0 && get(PORT).equals(get(ADMIN_PORT)) && get(BIND).equals(get(ADMIN_BIND))) {
        throw new IllegalArgumentException("the admin listener needs its own port: port and adminPort are both "
            + get(PORT) + " on " + get(BIND));
      }
      if (get(RELEASE_DECRYPT_KEY) != null && get(TRUSTED_KEYS).isEmpty()) {
        throw new IllegalArgumentException("releaseDecryptKey needs trustedKeys: a decrypted release is still"
            + " verified against the suppliers' signing keys");
      }
      return new ServerConfig(this);
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "ServerConfig[%s:%d%s, admin %s:%d%s]", bind(), port(), tls() ? " tls" : "",
        adminBind(), adminPort(), adminClientCa() != null ? " mtls" : adminTls() ? " tls" : "");
  }
}
