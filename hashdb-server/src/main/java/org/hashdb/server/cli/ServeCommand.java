package org.hashdb.server.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.release.X25519KeyPair;
import org.hashdb.core.disk.DataDirectories;
import org.hashdb.core.disk.PrivateFiles;
import org.hashdb.core.db.DatabaseOptions;
import org.hashdb.core.db.DatabaseStats;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.server.ServerConfig;
import org.hashdb.server.api.ApiService;
import org.hashdb.server.logs.AccessLog;
import org.hashdb.server.audit.AuditLog;
import org.hashdb.server.auth.KeyFile;
import org.hashdb.server.auth.KeyRing;
import org.hashdb.server.auth.Role;
import org.hashdb.server.http.HashDbServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code hashdb serve}: runs the lookup server on a data directory. Binds first, then opens the
 * database on a background thread ({@code /readyz} answers 503 until it is loaded). SIGTERM and
 * SIGINT stop it gracefully: stop accepting, finish in-flight requests, close the database, exit
 * 0. {@code --demo} serves a throw-away data directory with a demo list and prints two keys and
 * a ready-to-paste curl command.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Run the HashDB lookup server.",
        "Stop with SIGTERM or Ctrl-C: in-flight requests finish, the database is closed, exit 0."})
public final class ServeCommand implements Callable<Integer> {
  private static final System.Logger LOG = System.getLogger(ServeCommand.class.getName());

  @Spec CommandSpec spec;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Data directory: snapshots, write-ahead log, keys.json, audit and access logs.")
  Path data;

  @Option(names = "--bind", paramLabel = "ADDR", description = "Address to listen on (default: 127.0.0.1).")
  String bind;

  @Option(names = "--port", paramLabel = "PORT", description = "Port (default: 8080; 0 = any free port).")
  Integer port;

  /** Settings file read from the data directory when {@code --config} is not given. */
  static final String CONFIG_FILE = "server.properties";

  @Option(names = "--config", paramLabel = "FILE",
      description = "Properties file with limits and timeouts (default: DIR/server.properties if present).")
  Path config;

  @Option(names = "--demo", description = {"Serve a demo list and print keys. Without --data the data directory is",
      "temporary and deleted when the server stops."})
  boolean demo;

  @Option(names = "--init", description = {"Create an empty database in DIR when it holds none. Without --init (or",
      "--demo), serve refuses a missing directory or one without a database, so a mistyped",
      "--data never serves an empty list."})
  boolean init;

  @Option(names = "--synthetic", paramLabel = "N",
      description = "Also load N seeded random sha256 entries on list 'synthetic' (default with --demo: 1000000).")
  Long synthetic;

  @Option(names = "--seed", paramLabel = "S", description = "Seed of --synthetic (default: 42).")
  long seed = 42;

  @Option(names = "--no-fsync", description = "Do not fsync writes (tests and benchmarks only: acknowledged writes may be lost).")
  boolean noFsync;

  @Option(names = "--port-file", paramLabel = "FILE",
      description = "Write the bound port to FILE once listening (for scripts using --port 0).")
  Path portFile;

  @Option(names = "--trust", split = ",", paramLabel = "PUBFILE",
      description = "Public key file(s) of list suppliers: enables importing their signed releases.")
  List<Path> trust;

  @Option(names = "--release-decrypt-key", paramLabel = "KEYFILE",
      description = "Private key (from release keygen-encryption): import format=release also accepts releases"
          + " encrypted to it (needs --trust).")
  Path releaseDecryptKey;

  @Option(names = "--no-access-log",
      description = "Do not write DIR/access.jsonl (one line per request; setting accessLog).")
  boolean noAccessLog;

  @Option(names = "--tls-cert", paramLabel = "PEM", description = "TLS certificate chain (enables HTTPS and HTTP/2).")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "TLS private key (PKCS#8 PEM).")
  Path tlsKey;

  public ServeCommand() {}

  /** Runs {@code serve} alone (used by tests that start a server process). */
  public static void main(String[] args) {
    HashDbCommand.useOneLineLogs();
    System.exit(new CommandLine(new ServeCommand()).setExecutionExceptionHandler(new CliErrors()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    HashDbCommand.useOneLineLogs();
    PrintWriter out = spec.commandLine().getOut();
    ServerConfig cfg = buildConfig();
    boolean tempDir = false;
    if (data == null) {
      if (!demo) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--data DIR is required (or --demo for a temporary demo server)");
      }
      data = Files.createTempDirectory("hashdb-demo-");
      tempDir = true;
      Path temp = data;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> TempDirs.deleteQuietly(temp), "hashdb-demo-cleanup"));
    }
    if (!demo && !init) {
      DataDirectories.requireDatabase(data); // before anything is created in it
    }
    // mode 700 and files 600; a directory others can read is repaired, each change logged
    PrivateFiles.secureDirectory(data);
    List<DemoData.DemoImage> images = null;
    String queryKey = null;
    String adminKey = null;
    if (demo) {
      images = DemoData.writeImages(data.resolve("demo-images"));
      KeyFile kf = new KeyFile(data);
      String suffix = Long.toString(System.currentTimeMillis() / 1000, 36);
      queryKey = kf.create("demo-query-" + suffix, Role.QUERY, null, 0);
      adminKey = kf.create("demo-admin-" + suffix, Role.ADMIN, null, 0);
    }
    KeyRing keys = KeyRing.load(data);
    java.util.concurrent.atomic.AtomicReference<ApiService> apiRef =
        new java.util.concurrent.atomic.AtomicReference<>();
    AuditLog audit = AuditLog.open(data, cfg.auditMaxBytes(), cfg.auditFiles(), n -> {
      ApiService a = apiRef.get();
      if (a != null) {
        a.metrics().auditDropped(n);
      }
    });
    ApiService api = new ApiService(cfg, keys, audit);
    apiRef.set(api);
    AccessLog access = cfg.accessLog()
        ? AccessLog.open(data, cfg.accessMaxBytes(), cfg.accessFiles(), api.metrics()::accessDropped)
        : AccessLog.disabled();
    HashDbServer server;
    try {
      server = HashDbServer.start(api, access);
    } catch (IOException e) {
      throw new IOException("cannot listen on " + cfg.bind() + " port " + cfg.port() + ": " + e.getMessage(), e);
    }
    String scheme = cfg.tls() ? "https" : "http";
    String base = scheme + "://" + hostFor(cfg.bind()) + ":" + server.port();
    LOG.log(System.Logger.Level.INFO, String.format(Locale.ROOT,
        "HashDB listening on %s (%s, %s), data %s, %s; loading database", base,
        server.transport(), cfg.tls() ? "TLS 1.2/1.3, HTTP/2 + HTTP/1.1" : "HTTP/1.1", data,
        keys.describeCounts()));

    if (portFile != null) {
      Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
      Files.writeString(tmp, Integer.toString(server.port()));
      Files.move(tmp, portFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Thread keyPoller = new Thread(() -> pollKeys(keys, server), "hashdb-keys");
    keyPoller.setDaemon(true);
    keyPoller.start();
    installSignalHandlers(server);

    Path dir = data;
    boolean isDemo = demo;
    List<DemoData.DemoImage> demoImages = images;
    long syntheticCount = synthetic != null ? synthetic : (demo ? 1_000_000 : 0);
    DatabaseOptions dbOptions = DatabaseOptions.defaults().withFsync(!noFsync && !tempDir);
    Thread loader = new Thread(() -> {
      try {
        long t0 = System.nanoTime();
        HashDatabase db = open(dir, dbOptions, isDemo);
        if (isDemo && db.stats().lists().getOrDefault(DemoData.LIST, 0L) == 0) {
          DemoData.addImages(db, demoImages);
        }
        if (syntheticCount > 0
            && db.stats().lists().getOrDefault(DemoData.SYNTHETIC_LIST, 0L) == 0) {
          DemoData.addSynthetic(db, syntheticCount, seed);
        }
        api.databaseReady(db);
        if (cfg.psi().enabled()) {
          api.privateLookups(org.hashdb.server.psi.PsiService.open(dir, cfg.psi(), api::database));
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
      } catch (Throwable e) {
        // An expected failure (directory in use, damaged snapshot) is a message; the stack trace
        // only with HASHDB_DEBUG=1, as for every command.
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        LOG.log(System.Logger.Level.ERROR, "cannot open the database in " + dir + ": " + msg,
            "1".equals(System.getenv("HASHDB_DEBUG")) ? e : null);
        new Thread(server::stop, "hashdb-stop").start();
      }
    }, "hashdb-loader");
    loader.setDaemon(true);
    loader.start();

    if (demo) {
      printDemo(out, base, queryKey, adminKey, images, tempDir);
    }
    server.awaitStop();
    loader.join(TimeUnit.SECONDS.toMillis(1));
    if (tempDir) {
      TempDirs.deleteQuietly(data);
    }
    LOG.log(System.Logger.Level.INFO, "HashDB stopped");
    return api.database() == null && !loader.isAlive() ? CliErrors.ERROR : 0;
  }

  private static HashDatabase open(Path dir, DatabaseOptions options, boolean demo)
      throws IOException {
    try {
      return HashDatabase.open(dir, options);
    } catch (UnsupportedOperationException e) {
      if (!demo) {
        throw e;
      }
      // persistence not available in this build: the demo runs in memory
      LOG.log(System.Logger.Level.WARNING, "persistence unavailable, demo runs in memory");
      return HashDatabase.inMemory();
    }
  }

  /** The settings: defaults, then the properties file, then the options. */
  ServerConfig buildConfig() throws IOException {
    ServerConfig cfg = ServerConfig.defaults();
    Path file = config;
    if (file == null && data != null && Files.isRegularFile(data.resolve(CONFIG_FILE))) {
      file = data.resolve(CONFIG_FILE);
    }
    if (file != null) {
      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
      }
      cfg = ServerConfig.fromProperties(p, cfg);
    }
    ServerConfig.Builder b = cfg.toBuilder();
    if (bind != null) {
      b.bind(bind);
    }
    if (port != null) {
      b.port(port);
    }
    if (tlsCert != null || tlsKey != null) {
      b.tls(tlsCert, tlsKey);
    }
    if (trust != null) {
      b.trustedKeys(trust);
    }
    if (releaseDecryptKey != null) {
      b.releaseDecryptKey(releaseDecryptKey);
    }
    if (noAccessLog) {
      b.accessLog(false);
    }
    ServerConfig built = b.build();
    if (built.releaseDecryptKey() != null) {
      // Fail at startup, not at the first encrypted import: missing, unreadable or group-readable.
      X25519KeyPair k = X25519KeyPair.readPrivateKey(built.releaseDecryptKey());
      LOG.log(System.Logger.Level.INFO, "encrypted releases accepted for key id " + k.keyId());
    }
    return built;
  }

  private static String hostFor(String bind) {
    if (bind.equals("0.0.0.0") || bind.equals("::")) {
      return "127.0.0.1";
    }
    return bind.contains(":") ? "[" + bind + "]" : bind;
  }

  private static void pollKeys(KeyRing keys, HashDbServer server) {
    while (true) {
      try {
        Thread.sleep(2000);
        keys.reloadIfChanged();
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "keys file: " + e.getMessage());
      }
    }
  }

  /**
   * SIGTERM/SIGINT start a graceful stop and let {@link #call} return 0; a JVM shutdown hook
   * covers every other way the JVM may exit.
   */
  @SuppressWarnings("removal")
  private static void installSignalHandlers(HashDbServer server) {
    Runnable stop = () -> {
      Thread t = new Thread(server::stop, "hashdb-stop");
      t.start();
    };
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), s -> {
          LOG.log(System.Logger.Level.INFO, "SIG" + name + ": stopping");
          stop.run();
        });
      } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
        // signal not available here: the shutdown hook still stops gracefully
      }
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "hashdb-shutdown"));
  }

  private static void printDemo(PrintWriter out, String base, String queryKey, String adminKey,
      List<DemoData.DemoImage> images, boolean tempDir) {
    DemoData.DemoImage img = images.get(0);
    out.println();
    out.println("HashDB demo server on " + base + (tempDir ? " (temporary data directory)" : ""));
    out.println("  query key: " + queryKey);
    out.println("  admin key: " + adminKey);
    out.println("  demo images (on list '" + DemoData.LIST + "'): " + img.file().getParent());
    out.println();
    out.println("Look up the SHA-256 of " + img.name() + " (a match):");
    out.println("  curl -s -H 'Authorization: Bearer " + queryKey + "' " + base
        + "/v1/hashes/sha256/" + Hex.encode(img.sha256()));
    out.println("Or hash the file yourself:");
    out.println("  curl -s -H 'Authorization: Bearer " + queryKey + "' " + base
        + "/v1/hashes/sha256/$(sha256sum " + img.file() + " | cut -c1-64)");
    out.println("Statistics (admin key):");
    out.println("  curl -s -H 'Authorization: Bearer " + adminKey + "' " + base + "/v1/admin/stats");
    out.println();
    out.flush();
  }
}
