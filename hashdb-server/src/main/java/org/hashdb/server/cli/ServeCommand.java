package org.hashdb.server.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.release.X25519KeyPair;
import org.hashdb.core.disk.DataDirectories;
import org.hashdb.core.disk.PrivateFiles;
import org.hashdb.core.db.DatabaseOptions;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.server.service.HashDbService;
import org.hashdb.server.ServerConfig;
import org.hashdb.server.auth.KeyFile;
import org.hashdb.server.auth.Role;
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

  @picocli.CommandLine.Mixin MasterKeyOption masterKey = new MasterKeyOption();

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
    CommandLine cl = new CommandLine(new ServeCommand()).setExecutionExceptionHandler(new CliErrors());
    System.exit(withSettingsHelp(cl).execute(args));
  }

  /** Adds the settings of the --config file, from their declarations, to the help of {@code serve}. */
  static CommandLine withSettingsHelp(CommandLine serve) {
    List<String> footer = new java.util.ArrayList<>();
    footer.add("");
    footer.add("Settings of the --config file (name=value, one per line; also psi.* for private lookups):");
    footer.addAll(ServerConfig.helpLines());
    serve.getCommandSpec().usageMessage().footer(footer.toArray(String[]::new));
    return serve;
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
    long syntheticCount = synthetic != null ? synthetic : (demo ? 1_000_000 : 0);
    boolean isDemo = demo;
    List<DemoData.DemoImage> demoImages = images;
    DatabaseOptions dbOptions = masterKey.databaseOptions().withFsync(!noFsync && !tempDir);
    HashDbService service = HashDbService.builder()
        .dataDir(data)
        .config(cfg)
        .databaseOptions(dbOptions) // the master key also seals the PSI key file
        .databaseOpener(dir -> open(dir, dbOptions, isDemo))
        .beforeServing(db -> addDemoData(db, isDemo, demoImages, syntheticCount, seed))
        .stopOnSignals(true)
        .start();
    if (portFile != null) {
      Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
      Files.writeString(tmp, Integer.toString(service.port()));
      Files.move(tmp, portFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    if (demo) {
      printDemo(out, service.baseUrl(), queryKey, adminKey, images, tempDir);
    }
    service.awaitStop();
    if (tempDir) {
      TempDirs.deleteQuietly(data);
    }
    LOG.log(System.Logger.Level.INFO, "HashDB stopped");
    return service.loadFailed() ? CliErrors.ERROR : 0;
  }

  private static void addDemoData(HashDatabase db, boolean demo, List<DemoData.DemoImage> images,
      long syntheticCount, long seed) throws IOException {
    if (demo && db.stats().lists().getOrDefault(DemoData.LIST, 0L) == 0) {
      DemoData.addImages(db, images);
    }
    if (syntheticCount > 0 && db.stats().lists().getOrDefault(DemoData.SYNTHETIC_LIST, 0L) == 0) {
      DemoData.addSynthetic(db, syntheticCount, seed);
    }
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
