package org.hashdb.server.service;

import org.hashdb.server.ServerConfig;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.db.DatabaseOptions;
import org.hashdb.core.db.DatabaseStats;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.server.api.ApiService;
import org.hashdb.server.logs.AccessLog;
import org.hashdb.server.audit.AuditLog;
import org.hashdb.server.auth.KeyRing;
import org.hashdb.server.http.HashDbServer;
import org.hashdb.server.psi.PsiService;
import org.hashdb.server.replica.ReplicaFollower;

/**
 * A whole HashDB server: keys, audit and access logs, the HTTP listener, the database loaded on
 * a background thread ({@code /readyz} answers 503 until then), private lookups, the reload of
 * {@code keys.json}, and a graceful stop (optionally on SIGTERM/SIGINT). {@code hashdb serve}
 * only turns its options into a {@link #builder()}; a test or another program embeds a server
 * with the same call:
 *
 * <pre>{@code
 * try (HashDbService s = HashDbService.builder().dataDir(dir).config(cfg).start()) {
 *   s.awaitDatabase(Duration.ofMinutes(1));
 *   ... http://127.0.0.1:s.port() ...
 * }
 * }</pre>
 */
public final class HashDbService implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(HashDbService.class.getName());

  /** Opens the database of a data directory (on the loader thread). */
  @FunctionalInterface
  public interface DatabaseOpener {
    HashDatabase open(Path dataDir) throws IOException;
  }

  /** Work on the freshly opened database before it is served (demo data, for example). */
  @FunctionalInterface
  public interface DatabaseStep {
    void apply(HashDatabase db) throws IOException;
  }

  private final Path dataDir;
  private final org.hashdb.core.disk.MasterKeys masterKeys; // also seals the PSI key file
  private final ServerConfig config;
  private final KeyRing keys;
  private final ApiService api;
  private final HashDbServer server;
  private final Thread loader;
  private final Thread keyPoller;
  private final ReplicaFollower replica; // null on a primary

  private HashDbService(Builder b) throws IOException {
    this.dataDir = b.dataDir;
    this.config = b.config;
    this.keys = KeyRing.load(dataDir);
    AuditLog audit = AuditLog.open(dataDir, config.auditMaxBytes(), config.auditFiles(), this::auditDropped);
    ApiService a = new ApiService(config, keys, audit);
    this.api = a;
    AccessLog access = config.accessLog()
        ? AccessLog.open(dataDir, config.accessMaxBytes(), config.accessFiles(), a.metrics()::accessDropped)
        : AccessLog.disabled();
    try {
      server = HashDbServer.start(a, access);
    } catch (IOException e) {
      a.close(); // the access log is closed by the failed start
      audit.close();
      throw e; // names the address and the listener
    } catch (InterruptedException e) {
      a.close();
      audit.close();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while binding", e);
    }
    LOG.log(System.Logger.Level.INFO, String.format(Locale.ROOT,
        "HashDB listening on %s (%s, %s), data %s, %s; loading database", baseUrl(),
        server.transport(), config.tls() ? "TLS 1.2/1.3, HTTP/2 + HTTP/1.1" : "HTTP/1.1", dataDir,
        keys.describeCounts()));
    // one line scripts and test harnesses read the admin address from (port 0 included)
    LOG.log(System.Logger.Level.INFO, String.format(Locale.ROOT,
        "HashDB admin listening on %s (%s)", adminBaseUrl(), config.adminClientCa() != null
            ? "TLS, client certificates required" : config.adminTls() ? "TLS" : "HTTP/1.1"));
    if (!isLoopback(config.adminBind()) && config.adminClientCa() == null) {
      LOG.log(System.Logger.Level.WARNING, "the admin listener is reachable from other hosts ("
          + config.adminBind() + ") without client certificates: set adminClientCa");
    }
    String changed = config.describeChanged();
    if (!changed.isEmpty()) {
      LOG.log(System.Logger.Level.INFO, "settings: " + changed);
    }
    long pollMillis = b.keyPollMillis != null ? b.keyPollMillis : config.keysReloadMillis();
    keyPoller = new Thread(() -> pollKeys(pollMillis), "hashdb-keys");
    keyPoller.setDaemon(true);
    if (pollMillis > 0) {
      keyPoller.start();
    }
    if (b.signals) {
      installSignalHandlers();
    }
    masterKeys = b.databaseOptions.masterKeys();
    if (b.replicaOf != null) {
      replica = new ReplicaFollower(dataDir, b.databaseOptions, b.replicaOf, b.replicaKey, a, keys);
      a.replicaOf(replica.state());
    } else {
      replica = null;
    }
    DatabaseOpener opener = replica != null ? replica::open
        : b.opener != null ? b.opener : dir -> HashDatabase.open(dir, b.databaseOptions);
    DatabaseStep prepare = b.prepare;
    loader = new Thread(() -> load(opener, prepare), "hashdb-loader");
    loader.setDaemon(true);
    loader.start();
  }

  public static Builder builder() {
    return new Builder();
  }

  private void auditDropped(long n) {
    ApiService a = api; // null only while the constructor runs
    if (a != null) {
      a.metrics().auditDropped(n);
    }
  }

  private void load(DatabaseOpener opener, DatabaseStep prepare) {
    try {
      long t0 = System.nanoTime();
      HashDatabase db = opener.open(dataDir);
      if (prepare != null) {
        prepare.apply(db);
      }
      api.databaseReady(db);
      if (replica != null) {
        replica.start();
      }
      DatabaseStats st = db.stats();
      StringBuilder types = new StringBuilder();
      for (HashType t : HashType.values()) {
        types.append(types.length() == 0 ? "" : ", ").append(t.apiName()).append(' ')
            .append(st.types().get(t).live());
      }
      LOG.log(System.Logger.Level.INFO, String.format(Locale.ROOT,
          "database ready in %.1f s: %d entries (%s) on %d lists, sequence %d, %.1f MiB",
          (System.nanoTime() - t0) / 1e9, st.liveEntries(), types, st.lists().size(),
          st.sequence(), db.ramBytesUsed() / 1048576.0));
      // after the line: /readyz answers 200 from databaseReady on, so the log says so by then
      if (config.psi().enabled()) {
        api.privateLookups(PsiService.open(dataDir, config.psi(), api::database, masterKeys));
      }
    } catch (Throwable e) {
      // An expected failure (directory in use, damaged snapshot) is a message; the stack trace
      // only with HASHDB_DEBUG=1, as for every command.
      String msg = e.getMessage() == null ? e.toString() : e.getMessage();
      LOG.log(System.Logger.Level.ERROR, "cannot open the database in " + dataDir + ": " + msg,
          "1".equals(System.getenv("HASHDB_DEBUG")) ? e : null);
      new Thread(server::stop, "hashdb-stop").start();
    }
  }

  private void pollKeys(long intervalMillis) {
    while (true) {
      try {
        Thread.sleep(intervalMillis);
        keys.reloadIfChanged();
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "keys file: " + e.getMessage());
      }
    }
  }

  /**
   * SIGTERM/SIGINT start a graceful stop (the process then exits 0 when its main thread returns);
   * a JVM shutdown hook covers every other way the JVM may exit.
   */
  @SuppressWarnings("removal")
  private void installSignalHandlers() {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), s -> {
          LOG.log(System.Logger.Level.INFO, "SIG" + name + ": stopping");
          new Thread(this::stop, "hashdb-stop").start();
        });
      } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
        // signal not available here: the shutdown hook still stops gracefully
      }
    }
    Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "hashdb-shutdown"));
  }

  /** The bound port (the real one when the config asked for 0). */
  public int port() {
    return server.port();
  }

  public InetSocketAddress address() {
    return server.address();
  }

  /** {@code http(s)://HOST:PORT} for clients on this machine (a wildcard bind gives 127.0.0.1). */
  public String baseUrl() {
    return (config.tls() ? "https" : "http") + "://" + hostFor(config.bind()) + ":" + server.port();
  }

  /** The admin listener's bound port (the real one when the config asked for 0). */
  public int adminPort() {
    return server.adminPort();
  }

  /** {@code http(s)://HOST:PORT} of the admin listener, for clients on this machine. */
  public String adminBaseUrl() {
    return (config.adminTls() ? "https" : "http") + "://" + hostFor(config.adminBind()) + ":"
        + server.adminPort();
  }

  public ApiService api() {
    return api;
  }

  public HashDbServer http() {
    return server;
  }

  public ServerConfig config() {
    return config;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The served database, null while it loads (or when loading failed). */
  public HashDatabase database() {
    return api.database();
  }

  /**
   * Waits until the database is served or its loading failed (which stops the server);
   * true when it is served.
   */
  public boolean awaitDatabase(Duration timeout) throws InterruptedException {
    loader.join(Math.max(1, timeout.toMillis()));
    return api.ready();
  }

  /** True when the database could not be opened (the server then stops by itself). */
  public boolean loadFailed() {
    return !api.ready() && !loader.isAlive();
  }

  /** Blocks until the server has stopped, then gives the loader a moment to finish. */
  public void awaitStop() throws InterruptedException {
    server.awaitStop();
    loader.join(1000);
  }

  /** Graceful stop: stop accepting, finish in-flight requests, close the database and the logs. */
  public void stop() {
    keyPoller.interrupt();
    if (replica != null) {
      replica.close(); // before the server closes the database
    }
    server.stop();
  }

  @Override
  public void close() {
    stop();
  }

  private static boolean isLoopback(String bind) {
    try {
      return java.net.InetAddress.getByName(bind).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  private static String hostFor(String bind) {
    if (bind.equals("0.0.0.0") || bind.equals("::")) {
      return "127.0.0.1";
    }
    return bind.contains(":") ? "[" + bind + "]" : bind;
  }

  /** What a server is made of; {@link #start()} binds and returns while the database loads. */
  public static final class Builder {
    private Path dataDir;
    private ServerConfig config = ServerConfig.defaults();
    private DatabaseOptions databaseOptions = DatabaseOptions.defaults();
    private DatabaseOpener opener;
    private DatabaseStep prepare;
    private boolean signals;
    private Long keyPollMillis; // null: the keysReloadMillis setting
    private String replicaOf;
    private String replicaKey;

    private Builder() {}

    /**
     * Run as a read replica of the primary at {@code primaryUrl}, authenticating with {@code
     * replicaKey} (a key of role replica or admin on the primary): the data directory is
     * bootstrapped from the primary when it holds no database, then follows its change feed and
     * keys; list writes are refused with 409 {@code read_only_replica}.
     */
    public Builder replicaOf(String primaryUrl, String replicaKey) {
      java.net.URI u = java.net.URI.create(Objects.requireNonNull(primaryUrl, "primaryUrl"));
      if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
        throw new IllegalArgumentException("--replica-of must be an http:// or https:// URL, got " + primaryUrl);
      }
      if (replicaKey == null || replicaKey.isBlank()) {
        throw new IllegalArgumentException("a replica needs the primary's replica key");
      }
      this.replicaOf = primaryUrl;
      this.replicaKey = replicaKey.strip();
      return this;
    }

    /** Data directory: keys.json, audit and access logs, and (unless {@link #database}) the database. */
    public Builder dataDir(Path dir) {
      this.dataDir = Objects.requireNonNull(dir, "dataDir");
      return this;
    }

    /** Settings (default {@link ServerConfig#defaults()}). */
    public Builder config(ServerConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /** Options of the database opened in the data directory (default: durable, fsync). */
    public Builder databaseOptions(DatabaseOptions options) {
      this.databaseOptions = Objects.requireNonNull(options, "databaseOptions");
      return this;
    }

    /** Serve this open database (in memory, for example) instead of the data directory's. */
    public Builder database(HashDatabase db) {
      Objects.requireNonNull(db, "database");
      this.opener = dir -> db;
      return this;
    }

    /** How the database is opened (default {@code HashDatabase.open(dataDir, databaseOptions)}). */
    public Builder databaseOpener(DatabaseOpener opener) {
      this.opener = Objects.requireNonNull(opener, "databaseOpener");
      return this;
    }

    /** Runs on the opened database before it is served. */
    public Builder beforeServing(DatabaseStep step) {
      this.prepare = step;
      return this;
    }

    /** Stop gracefully on SIGTERM/SIGINT and JVM shutdown (default off: a program decides). */
    public Builder stopOnSignals(boolean on) {
      this.signals = on;
      return this;
    }

    /** How often keys.json is checked for changes, ms (default: setting keysReloadMillis; 0 = never). */
    public Builder keyPollMillis(long millis) {
      if (millis < 0) {
        throw new IllegalArgumentException("keyPollMillis must be >= 0, got " + millis);
      }
      this.keyPollMillis = millis;
      return this;
    }

    /** Binds and starts loading the database; an error here leaves nothing running. */
    public HashDbService start() throws IOException {
      if (dataDir == null) {
        throw new IllegalStateException("dataDir is required");
      }
      return new HashDbService(this);
    }
  }
}
