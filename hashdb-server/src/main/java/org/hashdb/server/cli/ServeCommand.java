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
import org.hashdb.server.Setting;
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
    modelTransformer = ServeCommand.SettingOptions.class,
    description = {"Run the HashDB lookup server: lookups and health on --bind/--port, administration,",
        "replication and metrics on --admin-bind/--admin-port (loopback by default).",
        "Stop with SIGTERM or Ctrl-C: in-flight requests finish, the database is closed, exit 0."})
public final class ServeCommand implements Callable<Integer> {
  private static final System.Logger LOG = System.getLogger(ServeCommand.class.getName());

  @Spec CommandSpec spec;

  @picocli.CommandLine.Mixin MasterKeyOption masterKey = new MasterKeyOption();

  @Option(names = "--data", paramLabel = "DIR",
      description = "Data directory: snapshots, write-ahead log, keys.json, audit and access logs.")
  Path data;

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

  @Option(names = "--admin-port-file", paramLabel = "FILE", description = {
      "Write the bound admin port to FILE once listening, before --port-file is written",
      "(for scripts using --admin-port 0; the log names it too: 'HashDB admin listening on')."})
  Path adminPortFile;

  @Option(names = "--no-access-log",
      description = "Do not write DIR/access.jsonl (one line per request; setting accessLog).")
  boolean noAccessLog;

  /**
   * The options that each set one server setting (described by its declaration), added to the
   * command by {@link SettingOptions}: one table instead of a field, a help text and a builder
   * call per option.
   */
  record SettingOption(String name, String label, Setting<?> setting) {}

  static final List<SettingOption> SETTING_OPTIONS = List.of(
      new SettingOption("--bind", "ADDR", ServerConfig.BIND),
      new SettingOption("--port", "PORT", ServerConfig.PORT),
      new SettingOption("--admin-bind", "ADDR", ServerConfig.ADMIN_BIND),
      new SettingOption("--admin-port", "PORT", ServerConfig.ADMIN_PORT),
      new SettingOption("--tls-cert", "PEM", ServerConfig.TLS_CERT),
      new SettingOption("--tls-key", "PEM", ServerConfig.TLS_KEY),
      new SettingOption("--admin-tls-cert", "PEM", ServerConfig.ADMIN_TLS_CERT),
      new SettingOption("--admin-tls-key", "PEM", ServerConfig.ADMIN_TLS_KEY),
      new SettingOption("--admin-client-ca", "PEM", ServerConfig.ADMIN_CLIENT_CA),
      new SettingOption("--admin-crl", "CRL", ServerConfig.ADMIN_CRL),
      new SettingOption("--trust", "TRUSTFILE", ServerConfig.TRUSTED_KEYS),
      new SettingOption("--release-decrypt-key", "KEYFILE", ServerConfig.RELEASE_DECRYPT_KEY));

  /** Adds {@link #SETTING_OPTIONS} to the command's model (picocli calls it once per command line). */
  static final class SettingOptions implements CommandLine.IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      for (SettingOption o : SETTING_OPTIONS) {
        Setting<?> s = o.setting();
        String def = s.defaultDescription();
        boolean many = "paths".equals(s.typeName());
        spec.addOption(CommandLine.Model.OptionSpec.builder(o.name())
            .paramLabel(o.label())
            .type(many ? String[].class : String.class)
            .splitRegex(many ? "," : "")
            .description(Character.toUpperCase(s.doc().charAt(0)) + s.doc().substring(1)
                + " (setting " + s.name() + (def.isEmpty() ? "" : "; default " + def) + ").")
            .build());
      }
      return spec;
    }
  }

  @Option(names = "--replica-of", paramLabel = "URL",
      description = {"Run as a read replica of the primary at URL (e.g. http://primary:8080): bootstrap DIR",
          "from its snapshot when DIR holds no database, follow its change feed and keys, serve",
          "lookups; list writes are refused (409 read_only_replica). Needs a replica key."})
  String replicaOf;

  @Option(names = "--replica-key", paramLabel = "KEY",
      description = {"Key of role replica on the primary. Visible in `ps`: prefer --replica-key-file",
          "or the environment variable " + REPLICA_KEY_ENV + "."})
  String replicaKey;

  @Option(names = "--replica-key-file", paramLabel = "FILE",
      description = "File holding the replica key (first line), instead of --replica-key.")
  Path replicaKeyFile;

  /** Environment variable read for the replica key when neither option gives it. */
  static final String REPLICA_KEY_ENV = "HASHDB_REPLICA_KEY";

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
    footer.add("Settings of the --config file (name=value, one per line):");
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
    String primaryKey = replicaOf == null ? null : replicaKey();
    if (replicaOf != null && (demo || init || synthetic != null)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--replica-of cannot be combined with --demo, --init or --synthetic: a replica's list comes from its primary");
    }
    if (replicaOf != null) {
      Files.createDirectories(data); // an empty directory is bootstrapped from the primary
    } else if (!demo && !init) {
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
    HashDbService.Builder builder = HashDbService.builder()
        .dataDir(data)
        .config(cfg)
        .databaseOptions(dbOptions) // the master key also seals the PSI key file
        .databaseOpener(dir -> open(dir, dbOptions, isDemo))
        .beforeServing(db -> addDemoData(db, isDemo, demoImages, syntheticCount, seed))
        .stopOnSignals(true);
    if (replicaOf != null) {
      try {
        builder.replicaOf(replicaOf, primaryKey);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    HashDbService service = builder.start();
    if (adminPortFile != null) { // first: a script that sees the port file finds both
      writePort(adminPortFile, service.adminPort());
    }
    if (portFile != null) {
      writePort(portFile, service.port());
    }
    if (demo) {
      printDemo(out, service.baseUrl(), service.adminBaseUrl(), queryKey, adminKey, images, tempDir);
    }
    service.awaitStop();
    if (tempDir) {
      TempDirs.deleteQuietly(data);
    }
    LOG.log(System.Logger.Level.INFO, "HashDB stopped");
    return service.loadFailed() ? CliErrors.ERROR : 0;
  }

  /** The replica key: --replica-key, else --replica-key-file, else $HASHDB_REPLICA_KEY. */
  private String replicaKey() throws IOException {
    if (replicaKey != null && replicaKeyFile != null) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "give the replica key once: --replica-key or --replica-key-file");
    }
    String k = replicaKey;
    if (k == null && replicaKeyFile != null) {
      try (var lines = Files.lines(replicaKeyFile)) {
        k = lines.findFirst().orElse("");
      } catch (java.nio.file.NoSuchFileException e) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--replica-key-file: " + replicaKeyFile + " does not exist");
      }
    }
    if (k == null) {
      k = System.getenv(REPLICA_KEY_ENV);
    }
    if (k == null || k.isBlank()) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--replica-of needs the primary's replica key: --replica-key KEY, --replica-key-file FILE or "
              + REPLICA_KEY_ENV);
    }
    return k.strip();
  }

  private static void writePort(Path file, int port) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, Integer.toString(port));
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
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
    for (SettingOption o : SETTING_OPTIONS) {
      Object v = spec.findOption(o.name()).getValue();
      if (v == null) {
        continue;
      }
      try {
        b.parseAndSet(o.setting(), v instanceof String[] many ? String.join(",", many) : (String) v);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), o.name() + ": " + e.getMessage());
      }
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

  private static void printDemo(PrintWriter out, String base, String adminBase, String queryKey, String adminKey,
      List<DemoData.DemoImage> images, boolean tempDir) {
    DemoData.DemoImage img = images.get(0);
    out.println();
    out.println("HashDB demo server on " + base + (tempDir ? " (temporary data directory)" : "")
        + ", admin listener on " + adminBase);
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
    out.println("Statistics (admin key, admin listener):");
    out.println("  curl -s -H 'Authorization: Bearer " + adminKey + "' " + adminBase + "/v1/admin/stats");
    out.println();
    out.flush();
  }
}
