package org.hashdb.server;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/**
 * Settings of a server: where it listens and every bound it enforces. Immutable; build with
 * {@link #builder()} or read from a properties file ({@link #fromProperties}). The defaults are
 * the limits of the API contract.
 */
public final class ServerConfig {
  /** Request body limit, bytes (contract default 16 MiB). */
  public static final int DEFAULT_MAX_BODY_BYTES = 16 << 20;

  private final String bind; // address to listen on
  private final int port; // 0 = any free port
  private final int maxBodyBytes; // JSON bodies
  private final int maxBatchQueries; // queries per POST /v1/lookup
  private final int maxBulkHashes; // hashes per POST /v1/lookup/bulk (its body may hold them all)
  private final int maxHeaderBytes; // request line + header lines
  private final int maxAdminEntries; // entries per POST /v1/admin/entries
  private final long maxImportBytes; // body of one streamed import
  private final int defaultPdqDistance; // maxDistance when a pdq query gives none
  private final int maxPdqDistance; // ceiling for maxDistance (<= 64)
  private final int maxChangesLimit; // largest limit= of the change feed
  private final long maxChangesEntries; // entries (inside import batches too) per feed page
  private final long maxChangesBytes; // bytes per feed page
  private final long idleTimeoutMillis; // keep-alive connection with no request
  private final long readTimeoutMillis; // silence in the middle of a request
  private final long shutdownGraceMillis; // how long shutdown waits for in-flight requests
  private final int writeThreads; // threads running durable writes (group commit shares fsyncs)
  private final long auditMaxBytes; // rotate the audit file at this size
  private final int auditFiles; // rotated audit files kept
  private final boolean accessLog; // write access.jsonl, one line per answered request
  private final long accessMaxBytes; // rotate the access log at this size
  private final int accessFiles; // rotated access log files kept
  private final Path tlsCert; // PEM certificate chain, null = cleartext
  private final Path tlsKey; // PEM PKCS#8 private key
  private final int ioThreads; // event loop threads, 0 = Netty's default (2 x cores)
  private final java.util.List<Path> trustedKeys; // keys signed list releases must verify against
  private final Path releaseDecryptKey; // X25519 private key for encrypted releases, null = refused
  private final long headerTimeoutMillis; // head complete within this of open/last response
  private final int minBodyBytesPerSecond; // slowest body accepted, per 10 s window
  private final long requestTimeoutMillis; // head to last body byte, imports excepted
  private final long sendTimeoutMillis; // unread response for this long closes
  private final int maxConnections; // open connections in total
  private final int maxConnectionsPerAddress; // open connections from one remote address
  private final int maxHeaderFields; // header fields per request
  private final long maxBodyBytesInFlight; // body bytes held by all requests
  private final long maxKeyBodyBytesInFlight; // body bytes held by one key's requests
  private final int http2MaxConcurrentStreams; // concurrent streams per HTTP/2 connection
  private final int warmupRequests; // in-process requests per protocol before /readyz is 200
  private final int lookupThreads; // threads for PDQ and large lookup batches
  private final int maxKeyLookupJobs; // one key's jobs on the lookup threads
  private final int writeBufferHighBytes; // outbound bytes that stop reading
  private final org.hashdb.server.psi.PsiSettings psi; // private lookups (psi.* properties)

  private ServerConfig(Builder b) {
    this.bind = b.bind;
    this.port = b.port;
    this.maxBodyBytes = b.maxBodyBytes;
    this.maxBatchQueries = b.maxBatchQueries;
    this.maxBulkHashes = b.maxBulkHashes;
    this.maxHeaderBytes = b.maxHeaderBytes;
    this.maxAdminEntries = b.maxAdminEntries;
    this.maxImportBytes = b.maxImportBytes;
    this.defaultPdqDistance = Math.min(b.defaultPdqDistance, b.maxPdqDistance);
    this.maxPdqDistance = b.maxPdqDistance;
    this.maxChangesLimit = b.maxChangesLimit;
    this.maxChangesEntries = b.maxChangesEntries;
    this.maxChangesBytes = b.maxChangesBytes;
    this.idleTimeoutMillis = b.idleTimeoutMillis;
    this.readTimeoutMillis = b.readTimeoutMillis;
    this.shutdownGraceMillis = b.shutdownGraceMillis;
    this.writeThreads = b.writeThreads;
    this.auditMaxBytes = b.auditMaxBytes;
    this.auditFiles = b.auditFiles;
    this.accessLog = b.accessLog;
    this.accessMaxBytes = b.accessMaxBytes;
    this.accessFiles = b.accessFiles;
    this.tlsCert = b.tlsCert;
    this.tlsKey = b.tlsKey;
    this.ioThreads = b.ioThreads;
    this.trustedKeys = java.util.List.copyOf(b.trustedKeys);
    this.releaseDecryptKey = b.releaseDecryptKey;
    this.headerTimeoutMillis = b.headerTimeoutMillis;
    this.minBodyBytesPerSecond = b.minBodyBytesPerSecond;
    this.requestTimeoutMillis = b.requestTimeoutMillis;
    this.sendTimeoutMillis = b.sendTimeoutMillis;
    this.maxConnections = b.maxConnections;
    this.maxConnectionsPerAddress = b.maxConnectionsPerAddress;
    this.maxHeaderFields = b.maxHeaderFields;
    this.maxBodyBytesInFlight = b.maxBodyBytesInFlight;
    this.maxKeyBodyBytesInFlight = b.maxKeyBodyBytesInFlight;
    this.http2MaxConcurrentStreams = b.http2MaxConcurrentStreams;
    this.warmupRequests = b.warmupRequests;
    this.lookupThreads = b.lookupThreads;
    this.maxKeyLookupJobs = b.maxKeyLookupJobs;
    this.writeBufferHighBytes = b.writeBufferHighBytes;
    this.psi = b.psi;
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
    b.bind = bind;
    b.port = port;
    b.maxBodyBytes = maxBodyBytes;
    b.maxBatchQueries = maxBatchQueries;
    b.maxBulkHashes = maxBulkHashes;
    b.maxHeaderBytes = maxHeaderBytes;
    b.maxAdminEntries = maxAdminEntries;
    b.maxImportBytes = maxImportBytes;
    b.defaultPdqDistance = defaultPdqDistance;
    b.maxPdqDistance = maxPdqDistance;
    b.maxChangesLimit = maxChangesLimit;
    b.maxChangesEntries = maxChangesEntries;
    b.maxChangesBytes = maxChangesBytes;
    b.idleTimeoutMillis = idleTimeoutMillis;
    b.readTimeoutMillis = readTimeoutMillis;
    b.shutdownGraceMillis = shutdownGraceMillis;
    b.writeThreads = writeThreads;
    b.auditMaxBytes = auditMaxBytes;
    b.auditFiles = auditFiles;
    b.accessLog = accessLog;
    b.accessMaxBytes = accessMaxBytes;
    b.accessFiles = accessFiles;
    b.tlsCert = tlsCert;
    b.tlsKey = tlsKey;
    b.ioThreads = ioThreads;
    b.trustedKeys = trustedKeys;
    b.releaseDecryptKey = releaseDecryptKey;
    b.headerTimeoutMillis = headerTimeoutMillis;
    b.minBodyBytesPerSecond = minBodyBytesPerSecond;
    b.requestTimeoutMillis = requestTimeoutMillis;
    b.sendTimeoutMillis = sendTimeoutMillis;
    b.maxConnections = maxConnections;
    b.maxConnectionsPerAddress = maxConnectionsPerAddress;
    b.maxHeaderFields = maxHeaderFields;
    b.maxBodyBytesInFlight = maxBodyBytesInFlight;
    b.maxKeyBodyBytesInFlight = maxKeyBodyBytesInFlight;
    b.http2MaxConcurrentStreams = http2MaxConcurrentStreams;
    b.warmupRequests = warmupRequests;
    b.lookupThreads = lookupThreads;
    b.maxKeyLookupJobs = maxKeyLookupJobs;
    b.writeBufferHighBytes = writeBufferHighBytes;
    b.psi = psi;
    return b;
  }

  /**
   * Applies a properties file over {@code base}. Keys are the builder's method names
   * ({@code port}, {@code maxBodyBytes}, {@code idleTimeoutMillis}, ...); an unknown key or a
   * bad value is an {@link IllegalArgumentException} naming it.
   */
  public static ServerConfig fromProperties(Properties p, ServerConfig base) {
    Builder b = base.toBuilder();
    for (String k : p.stringPropertyNames()) {
      String v = p.getProperty(k).trim();
      try {
        switch (k) {
          case "bind" -> b.bind(v);
          case "port" -> b.port(Integer.parseInt(v));
          case "maxBodyBytes" -> b.maxBodyBytes(Integer.parseInt(v));
          case "maxBatchQueries" -> b.maxBatchQueries(Integer.parseInt(v));
          case "maxBulkHashes" -> b.maxBulkHashes(Integer.parseInt(v));
          case "maxHeaderBytes" -> b.maxHeaderBytes(Integer.parseInt(v));
          case "maxAdminEntries" -> b.maxAdminEntries(Integer.parseInt(v));
          case "maxImportBytes" -> b.maxImportBytes(Long.parseLong(v));
          case "defaultPdqDistance" -> b.defaultPdqDistance(Integer.parseInt(v));
          case "maxPdqDistance" -> b.maxPdqDistance(Integer.parseInt(v));
          case "maxChangesLimit" -> b.maxChangesLimit(Integer.parseInt(v));
          case "maxChangesEntries" -> b.maxChangesEntries(Long.parseLong(v));
          case "maxChangesBytes" -> b.maxChangesBytes(Long.parseLong(v));
          case "idleTimeoutMillis" -> b.idleTimeoutMillis(Long.parseLong(v));
          case "readTimeoutMillis" -> b.readTimeoutMillis(Long.parseLong(v));
          case "shutdownGraceMillis" -> b.shutdownGraceMillis(Long.parseLong(v));
          case "writeThreads" -> b.writeThreads(Integer.parseInt(v));
          case "auditMaxBytes" -> b.auditMaxBytes(Long.parseLong(v));
          case "auditFiles" -> b.auditFiles(Integer.parseInt(v));
          case "accessLog" -> b.accessLog(parseBoolean(k, v));
          case "accessMaxBytes" -> b.accessMaxBytes(Long.parseLong(v));
          case "accessFiles" -> b.accessFiles(Integer.parseInt(v));
          case "ioThreads" -> b.ioThreads(Integer.parseInt(v));
          case "tlsCert" -> b.tlsCert = Path.of(v);
          case "tlsKey" -> b.tlsKey = Path.of(v);
          case "trustedKeys" -> b.trustedKeys(java.util.Arrays.stream(v.split(","))
              .map(String::trim).filter(x -> !x.isEmpty()).map(Path::of).toList());
          case "releaseDecryptKey" -> b.releaseDecryptKey(Path.of(v));
          case "headerTimeoutMillis" -> b.headerTimeoutMillis(Long.parseLong(v));
          case "minBodyBytesPerSecond" -> b.minBodyBytesPerSecond(Integer.parseInt(v));
          case "requestTimeoutMillis" -> b.requestTimeoutMillis(Long.parseLong(v));
          case "sendTimeoutMillis" -> b.sendTimeoutMillis(Long.parseLong(v));
          case "maxConnections" -> b.maxConnections(Integer.parseInt(v));
          case "maxConnectionsPerAddress" -> b.maxConnectionsPerAddress(Integer.parseInt(v));
          case "maxHeaderFields" -> b.maxHeaderFields(Integer.parseInt(v));
          case "maxBodyBytesInFlight" -> b.maxBodyBytesInFlight(Long.parseLong(v));
          case "maxKeyBodyBytesInFlight" -> b.maxKeyBodyBytesInFlight(Long.parseLong(v));
          case "http2MaxConcurrentStreams" -> b.http2MaxConcurrentStreams(Integer.parseInt(v));
          case "warmupRequests" -> b.warmupRequests(Integer.parseInt(v));
          case "lookupThreads" -> b.lookupThreads(Integer.parseInt(v));
          case "maxKeyLookupJobs" -> b.maxKeyLookupJobs(Integer.parseInt(v));
          case "writeBufferHighBytes" -> b.writeBufferHighBytes(Integer.parseInt(v));
          default -> {
            if (!k.startsWith("psi.")) {
              throw new IllegalArgumentException("unknown setting '" + k + "'");
            }
            b.psi(b.psi.with(k.substring(4), v));
          }
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("setting " + k + ": not a number: '" + v + "'", e);
      }
    }
    return b.build();
  }

  private static boolean parseBoolean(String key, String v) {
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(
          "setting " + key + ": not true or false: '" + v + "'");
    };
  }

  public String bind() {
    return bind;
  }

  public int port() {
    return port;
  }

  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  public int maxBatchQueries() {
    return maxBatchQueries;
  }

  public int maxBulkHashes() {
    return maxBulkHashes;
  }

  public int maxHeaderBytes() {
    return maxHeaderBytes;
  }

  public int maxAdminEntries() {
    return maxAdminEntries;
  }

  public long maxImportBytes() {
    return maxImportBytes;
  }

  public int defaultPdqDistance() {
    return defaultPdqDistance;
  }

  public int maxPdqDistance() {
    return maxPdqDistance;
  }

  public int maxChangesLimit() {
    return maxChangesLimit;
  }

  /** Most entries (counted inside import batches) in one page of the change feed. */
  public long maxChangesEntries() {
    return maxChangesEntries;
  }

  /** Most bytes in one page of the change feed (a single larger change is still sent alone). */
  public long maxChangesBytes() {
    return maxChangesBytes;
  }

  public long idleTimeoutMillis() {
    return idleTimeoutMillis;
  }

  public long readTimeoutMillis() {
    return readTimeoutMillis;
  }

  public long shutdownGraceMillis() {
    return shutdownGraceMillis;
  }

  public int writeThreads() {
    return writeThreads;
  }

  public long auditMaxBytes() {
    return auditMaxBytes;
  }

  public int auditFiles() {
    return auditFiles;
  }

  /** Whether the server writes the access log ({@code access.jsonl} in the data directory). */
  public boolean accessLog() {
    return accessLog;
  }

  public long accessMaxBytes() {
    return accessMaxBytes;
  }

  public int accessFiles() {
    return accessFiles;
  }

  public Path tlsCert() {
    return tlsCert;
  }

  public Path tlsKey() {
    return tlsKey;
  }

  public boolean tls() {
    return tlsCert != null;
  }

  public int ioThreads() {
    return ioThreads;
  }

  /** Public key files that signed list releases (import format=release) must verify against. */
  public java.util.List<Path> trustedKeys() {
    return trustedKeys;
  }

  /**
   * Private key file (x25519, from {@code hashdb release keygen-encryption}) that decrypts
   * encrypted releases sent to import format=release; null: encrypted releases are refused.
   */
  /** Settings of private lookups ({@code psi.*} properties). */
  public org.hashdb.server.psi.PsiSettings psi() {
    return psi;
  }

  public Path releaseDecryptKey() {
    return releaseDecryptKey;
  }

  /** Time for a complete request head, from connection open or the last response. */
  public long headerTimeoutMillis() {
    return headerTimeoutMillis;
  }

  /** Slowest body accepted, measured over 10 s windows (0 = off). */
  public int minBodyBytesPerSecond() {
    return minBodyBytesPerSecond;
  }

  /** Head to last body byte, imports excepted. */
  public long requestTimeoutMillis() {
    return requestTimeoutMillis;
  }

  /** A response the client does not read for this long closes the connection. */
  public long sendTimeoutMillis() {
    return sendTimeoutMillis;
  }

  /** Open connections in total. */
  public int maxConnections() {
    return maxConnections;
  }

  /** Open connections from one remote address. */
  public int maxConnectionsPerAddress() {
    return maxConnectionsPerAddress;
  }

  /** Header fields per request. */
  public int maxHeaderFields() {
    return maxHeaderFields;
  }

  /** Request body bytes held by all requests together. */
  public long maxBodyBytesInFlight() {
    return maxBodyBytesInFlight;
  }

  /** Request body bytes held by the requests of one key. */
  public long maxKeyBodyBytesInFlight() {
    return maxKeyBodyBytesInFlight;
  }

  /** Concurrent streams per HTTP/2 connection. */
  public int http2MaxConcurrentStreams() {
    return http2MaxConcurrentStreams;
  }

  /**
   * Requests the server sends itself in-process at start-up, per protocol (HTTP/1.1, and
   * HTTP/2 over TLS when TLS is on), so its request path is compiled before {@code /readyz}
   * answers 200; 0: none.
   */
  public int warmupRequests() {
    return warmupRequests;
  }

  /** Threads running PDQ searches and large lookup batches. */
  public int lookupThreads() {
    return lookupThreads;
  }

  /** Lookup jobs of one key on the lookup threads at once. */
  public int maxKeyLookupJobs() {
    return maxKeyLookupJobs;
  }

  /** Outbound bytes above which a connection stops being read. */
  public int writeBufferHighBytes() {
    return writeBufferHighBytes;
  }

  /** Mutable builder; {@link #build()} checks cross-field rules. */
  public static final class Builder {
    private String bind = "127.0.0.1";
    private int port = 8080;
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private int maxBatchQueries = 10_000;
    private int maxBulkHashes = 1_000_000;
    private int maxHeaderBytes = 64 << 10;
    private int maxAdminEntries = 100_000;
    private long maxImportBytes = 8L << 30;
    private int defaultPdqDistance = 31;
    private int maxPdqDistance = 64;
    private int maxChangesLimit = 10_000;
    private long maxChangesEntries = 100_000;
    private long maxChangesBytes = 32L << 20;
    private long idleTimeoutMillis = 60_000;
    private long readTimeoutMillis = 30_000;
    private long shutdownGraceMillis = 10_000;
    private int writeThreads = 4;
    private long auditMaxBytes = 64L << 20;
    private int auditFiles = 10;
    private boolean accessLog = true;
    private long accessMaxBytes = 128L << 20;
    private int accessFiles = 10;
    private Path tlsCert;
    private Path tlsKey;
    private int ioThreads;
    private java.util.List<Path> trustedKeys = java.util.List.of();
    private Path releaseDecryptKey;
    private long headerTimeoutMillis = 60_000;
    private int minBodyBytesPerSecond = 500;
    private long requestTimeoutMillis = 120_000;
    private long sendTimeoutMillis = 60_000;
    private int maxConnections = 10_000;
    private int maxConnectionsPerAddress = 256;
    private int maxHeaderFields = 100;
    private long maxBodyBytesInFlight = 256L << 20;
    private long maxKeyBodyBytesInFlight = 64L << 20;
    private int http2MaxConcurrentStreams = 128;
    private int warmupRequests = 3000;
    private int lookupThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
    private int maxKeyLookupJobs = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    private int writeBufferHighBytes = 256 << 10;
    private org.hashdb.server.psi.PsiSettings psi = org.hashdb.server.psi.PsiSettings.defaults();

    public Builder psi(org.hashdb.server.psi.PsiSettings v) {
      this.psi = java.util.Objects.requireNonNull(v, "psi");
      return this;
    }

    private Builder() {}

    /**
     * Private key file that decrypts encrypted releases (null: they are refused). Read at each
     * encrypted import; needs {@link #trustedKeys}, since a decrypted release is still verified.
     */
    public Builder releaseDecryptKey(Path file) {
      releaseDecryptKey = file;
      return this;
    }

    /** Public key files of release signers (empty: signed releases are refused). */
    public Builder trustedKeys(java.util.List<Path> files) {
      trustedKeys = java.util.List.copyOf(files);
      return this;
    }

    public Builder bind(String v) {
      bind = v;
      return this;
    }

    public Builder port(int v) {
      port = check("port", v, 0, 65535);
      return this;
    }

    public Builder maxBodyBytes(int v) {
      maxBodyBytes = check("maxBodyBytes", v, 1, Integer.MAX_VALUE - 8);
      return this;
    }

    public Builder maxBatchQueries(int v) {
      maxBatchQueries = check("maxBatchQueries", v, 1, Integer.MAX_VALUE);
      return this;
    }

    public Builder maxBulkHashes(int v) {
      // 64M sha256 values would be 2 GiB: the body must fit one Java array
      maxBulkHashes = check("maxBulkHashes", v, 1, 64_000_000);
      return this;
    }

    public Builder maxHeaderBytes(int v) {
      maxHeaderBytes = check("maxHeaderBytes", v, 256, 1 << 24);
      return this;
    }

    public Builder maxAdminEntries(int v) {
      maxAdminEntries = check("maxAdminEntries", v, 1, Integer.MAX_VALUE);
      return this;
    }

    public Builder maxImportBytes(long v) {
      if (v < 1) {
        throw new IllegalArgumentException("maxImportBytes must be >= 1, got " + v);
      }
      maxImportBytes = v;
      return this;
    }

    public Builder defaultPdqDistance(int v) {
      defaultPdqDistance = check("defaultPdqDistance", v, 0, 64);
      return this;
    }

    public Builder maxPdqDistance(int v) {
      maxPdqDistance = check("maxPdqDistance", v, 0, 64);
      return this;
    }

    public Builder maxChangesLimit(int v) {
      maxChangesLimit = check("maxChangesLimit", v, 1, 1_000_000);
      return this;
    }

    public Builder maxChangesEntries(long v) {
      maxChangesEntries = check("maxChangesEntries", v, 1, 100_000_000L);
      return this;
    }

    public Builder maxChangesBytes(long v) {
      maxChangesBytes = check("maxChangesBytes", v, 4096, 1L << 30);
      return this;
    }

    public Builder idleTimeoutMillis(long v) {
      idleTimeoutMillis = checkPositive("idleTimeoutMillis", v);
      return this;
    }

    public Builder readTimeoutMillis(long v) {
      readTimeoutMillis = checkPositive("readTimeoutMillis", v);
      return this;
    }

    public Builder shutdownGraceMillis(long v) {
      shutdownGraceMillis = checkPositive("shutdownGraceMillis", v);
      return this;
    }

    public Builder writeThreads(int v) {
      writeThreads = check("writeThreads", v, 1, 256);
      return this;
    }

    public Builder auditMaxBytes(long v) {
      if (v < 4096) {
        throw new IllegalArgumentException("auditMaxBytes must be >= 4096, got " + v);
      }
      auditMaxBytes = v;
      return this;
    }

    public Builder auditFiles(int v) {
      auditFiles = check("auditFiles", v, 1, 1000);
      return this;
    }

    /** Write the access log (default on). */
    public Builder accessLog(boolean v) {
      accessLog = v;
      return this;
    }

    /** Rotate the access log at this size (default 128 MiB, >= 4096). */
    public Builder accessMaxBytes(long v) {
      if (v < 4096) {
        throw new IllegalArgumentException("accessMaxBytes must be >= 4096, got " + v);
      }
      accessMaxBytes = v;
      return this;
    }

    /** Rotated access log files kept (default 10). */
    public Builder accessFiles(int v) {
      accessFiles = check("accessFiles", v, 1, 1000);
      return this;
    }

    public Builder ioThreads(int v) {
      ioThreads = check("ioThreads", v, 0, 1024);
      return this;
    }

    /** Serve HTTPS (HTTP/1.1 and HTTP/2 via ALPN) with this PEM certificate chain and PKCS#8 key. */
    public Builder tls(Path cert, Path key) {
      tlsCert = cert;
      tlsKey = key;
      return this;
    }

    /** Time for a complete request head, from connection open or the last response. */
    public Builder headerTimeoutMillis(long v) {
      headerTimeoutMillis = checkPositive("headerTimeoutMillis", v);
      return this;
    }

    /** Slowest body accepted, measured over 10 s windows (0 = off). */
    public Builder minBodyBytesPerSecond(int v) {
      minBodyBytesPerSecond = check("minBodyBytesPerSecond", v, 0, Integer.MAX_VALUE);
      return this;
    }

    /** Head to last body byte, imports excepted. */
    public Builder requestTimeoutMillis(long v) {
      requestTimeoutMillis = checkPositive("requestTimeoutMillis", v);
      return this;
    }

    /** A response the client does not read for this long closes the connection. */
    public Builder sendTimeoutMillis(long v) {
      sendTimeoutMillis = checkPositive("sendTimeoutMillis", v);
      return this;
    }

    /** Open connections in total. */
    public Builder maxConnections(int v) {
      maxConnections = check("maxConnections", v, 1, Integer.MAX_VALUE);
      return this;
    }

    /** Open connections from one remote address. */
    public Builder maxConnectionsPerAddress(int v) {
      maxConnectionsPerAddress = check("maxConnectionsPerAddress", v, 1, Integer.MAX_VALUE);
      return this;
    }

    /** Header fields per request. */
    public Builder maxHeaderFields(int v) {
      maxHeaderFields = check("maxHeaderFields", v, 1, Integer.MAX_VALUE);
      return this;
    }

    /** Request body bytes held by all requests together. */
    public Builder maxBodyBytesInFlight(long v) {
      maxBodyBytesInFlight = checkPositive("maxBodyBytesInFlight", v);
      return this;
    }

    /** Request body bytes held by the requests of one key. */
    public Builder maxKeyBodyBytesInFlight(long v) {
      maxKeyBodyBytesInFlight = checkPositive("maxKeyBodyBytesInFlight", v);
      return this;
    }

    /** Concurrent streams per HTTP/2 connection. */
    public Builder http2MaxConcurrentStreams(int v) {
      http2MaxConcurrentStreams = check("http2MaxConcurrentStreams", v, 1, Integer.MAX_VALUE);
      return this;
    }

    /** In-process requests per protocol at start-up before {@code /readyz} answers 200. */
    public Builder warmupRequests(int v) {
      warmupRequests = check("warmupRequests", v, 0, 1_000_000);
      return this;
    }

    /** Threads running PDQ searches and large lookup batches. */
    public Builder lookupThreads(int v) {
      lookupThreads = check("lookupThreads", v, 1, Integer.MAX_VALUE);
      return this;
    }

    /** Lookup jobs of one key on the lookup threads at once. */
    public Builder maxKeyLookupJobs(int v) {
      maxKeyLookupJobs = check("maxKeyLookupJobs", v, 1, Integer.MAX_VALUE);
      return this;
    }

    /** Outbound bytes above which a connection stops being read. */
    public Builder writeBufferHighBytes(int v) {
      writeBufferHighBytes = check("writeBufferHighBytes", v, 1, Integer.MAX_VALUE);
      return this;
    }

    public ServerConfig build() {
      if ((tlsCert == null) != (tlsKey == null)) {
        throw new IllegalArgumentException("TLS needs both a certificate and a key");
      }
      if (releaseDecryptKey != null && trustedKeys.isEmpty()) {
        throw new IllegalArgumentException("releaseDecryptKey needs trustedKeys: a decrypted release is still"
            + " verified against the suppliers' signing keys");
      }
      return new ServerConfig(this);
    }

    private static int check(String name, int v, int min, int max) {
      if (v < min || v > max) {
        throw new IllegalArgumentException(
            name + " must be in " + min + ".." + max + ", got " + v);
      }
      return v;
    }

    private static long check(String name, long v, long min, long max) {
      if (v < min || v > max) {
        throw new IllegalArgumentException(
            name + " must be in " + min + ".." + max + ", got " + v);
      }
      return v;
    }

    private static long checkPositive(String name, long v) {
      if (v < 1) {
        throw new IllegalArgumentException(name + " must be >= 1, got " + v);
      }
      return v;
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "ServerConfig[%s:%d%s]", bind, port, tls() ? " tls" : "");
  }
}
