package org.hashdb.client.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.hashdb.client.EmbeddedHashDb;
import org.hashdb.client.HashDbException;
import org.hashdb.client.HashDbClient;
import org.hashdb.client.HashLookup;
import org.hashdb.client.Query;
import org.hashdb.client.scan.FileMatch;
import org.hashdb.client.scan.HashCache;
import org.hashdb.client.scan.ProgressPrinter;
import org.hashdb.client.scan.ReportWriter;
import org.hashdb.client.scan.ScanListener;
import org.hashdb.client.scan.ScanOptions;
import org.hashdb.client.scan.ScanProblem;
import org.hashdb.client.scan.ScanSummary;
import org.hashdb.client.scan.TreeScanner;
import org.hashdb.client.scan.VideoScanning;
import org.hashdb.core.video.VideoHasher;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.db.ListFilter;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import org.hashdb.core.pdq.PdqIndex;

/**
 * {@code hashdb scan}: hashes every file under the given paths on this host and checks the hashes
 * against a HashDB server ({@code --server}) or a local data directory ({@code --data}). Content
 * never leaves the host; only hashes are sent.
 */
@Command(name = "scan", mixinStandardHelpOptions = true,
    description = {
        "Hash every file under PATH... locally and check the hashes against HashDB.",
        "Only hashes leave this host. Matches are printed (and written to --report);",
        "unreadable files are reported and counted, and the scan goes on.",
        "Symbolic links (unless --follow-symlinks), FIFOs, sockets, devices and --exclude",
        "matches are skipped, not errors; the summary says how many of each.",
        "SIGINT (Ctrl-C) or SIGTERM stops the scan: the summary and the report cover what was",
        "checked so far and are marked incomplete (a second Ctrl-C quits at once)."},
    exitCodeListHeading = "%nExit codes (like clamscan's; an error is never reported as clean):%n",
    exitCodeList = {
        "0:every file was checked and none matched",
        "1:something matched (even if errors occurred too: the summary and report count them)",
        "2:nothing matched, but something could not be checked: an unreadable file or root,"
            + " an image not decoded for PDQ (too large), a failed server, a stopped scan"
            + " (SIGINT/SIGTERM); or bad usage, a missing --data directory"})
public final class ScanCommand implements Callable<Integer> {
  /** Environment variable read for the API key when neither --key nor --key-file is given. */
  public static final String KEY_ENV = "HASHDB_API_KEY";

  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files and directories to scan.")
  List<Path> paths;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  static final class Target {
    @Option(names = {"--server", "--url"}, paramLabel = "URL", required = true, split = ",", description =
        "HashDB server base URL, e.g. https://hashdb.example.org. Repeat it or separate URLs with"
        + " commas for a primary and its replicas: the first is used first; on a refused connection,"
        + " a timeout, a 502/503/504 or an answer behind one already seen, the scan moves to the next"
        + " and stays there (a 4xx never fails over).")
    List<URI> server;

    @Option(names = "--data", paramLabel = "DIR", required = true,
        description = {"Check against this local data directory instead of a server (no server may hold it).",
            "It must hold a database: a missing or empty directory is an error (exit 2)."})
    Path data;
  }

  @Option(names = "--master-key", paramLabel = "FILE|pkcs11:URI",
      description = {"With --data: master key of an encrypted data directory (default: $HASHDB_MASTER_KEY);",
          "a key file or a pkcs11: URI, as for `hashdb serve --master-key`."})
  String masterKey;

  @Option(names = "--old-master-key", paramLabel = "FILE|pkcs11:URI",
      description = "With --data: a previous master key, after a rotation (repeatable).")
  List<String> oldMasterKeys = new java.util.ArrayList<>();

  @Option(names = "--key", paramLabel = "KEY",
      description = "API key (visible in shell history and ps: prefer --key-file or $" + KEY_ENV + ").")
  String key;

  @Option(names = "--key-file", paramLabel = "FILE", description = "Read the API key from this file (first line).")
  Path keyFile;

  @Mixin ClientTlsOptions tls = new ClientTlsOptions();

  @Option(names = "--private", description = {
      "With --server: private lookups (RFC 9497 VOPRF): the server sees neither the hashes nor "
          + "which matched; a match reports membership only (list \"(private)\"). Exact types "
          + "only (default md5,sha1,sha256; pdq and vpdq are refused)."})
  boolean privateLookups;

  @Option(names = "--psi-key", paramLabel = "HEX",
      description = "With --private: the server's OPRF public key (66 hex digits) to pin; answers "
          + "proven under any other key are refused (default: pin the key the server announces).")
  String psiKey;

  @Option(names = "--lists", split = ",", paramLabel = "NAME", description = "With --data: only these lists (default: all).")
  List<String> lists;

  @Option(names = "--report", paramLabel = "FILE",
      description = {"Write a report of matches, problems (errors and skips) and the summary (JSON: a",
          "\"summary\" object; CSV: rows of kind 'summary'). Written also when the scan is stopped."})
  Path report;

  @Option(names = "--format", paramLabel = "json|csv",
      description = "Report format (default: csv for a .csv file name, else json).")
  String format;

  @Option(names = "--types", split = ",", paramLabel = "TYPE",
      description = "Hash types to compute and check (default: md5,sha1,sha256,pdq,vpdq; pdq for images only;"
          + " vpdq for videos, recognised by content, decoded with FFmpeg: without FFmpeg they are reported as not checked).")
  List<String> types;

  @Option(names = "--threads", paramLabel = "N", description = "Hashing threads (default: number of cores).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--max-distance", paramLabel = "N", description = "pdq: largest Hamming distance, 0.."
      + PdqIndex.QUERY_DISTANCE_CEILING + " (default: the server's, " + PdqIndex.DEFAULT_MAX_DISTANCE + ").")
  Integer maxDistance;

  @Option(names = "--min-pdq-quality", paramLabel = "Q",
      description = "Do not look up PDQ hashes of quality below Q, 0..100: featureless pictures (default: 50).")
  int minPdqQuality = ScanOptions.DEFAULT_MIN_PDQ_QUALITY;

  @Option(names = "--exclude", paramLabel = "GLOB",
      description = "Skip files and directories whose name or path below the scanned PATH matches (repeatable).")
  List<String> excludes = new ArrayList<>();

  @Option(names = "--follow-symlinks", description = "Follow symbolic links (loops are detected and skipped).")
  boolean followSymlinks;

  @Option(names = "--cache", paramLabel = "FILE",
      description = "Remember each file's hashes here with its device, inode, size, mtime and ctime, so a"
          + " rescan only hashes files that changed (a file swapped with its mtime restored has a new ctime).")
  Path cacheFile;

  @Option(names = "--batch-size", paramLabel = "N", description = "Queries per lookup request (default: 2000).")
  int batchSize = 2000;

  @Option(names = "--progress", paramLabel = "auto|always|never",
      description = {"Progress on stderr. auto: a live line on a terminal, else a log line every 10 s;",
          "always: the live line even when no terminal is detected; never (default: auto)."})
  String progress = "auto";

  @Option(names = "--max-decodes", paramLabel = "N",
      description = "Videos decoded (FFmpeg processes) at the same time, 1..256 (default: 2).")
  int maxDecodes = 2;

  @Option(names = "--video-timeout", paramLabel = "SECONDS",
      description = "Longest decode of one video; a longer one is reported as not checked (default: 600).")
  int videoTimeout = 600;

  @Option(names = {"-q", "--quiet"}, description = "Print only the summary (matches still go to --report).")
  boolean quiet;

  /** Environment lookup; replaced in tests. */
  UnaryOperator<String> env = System::getenv;

  /** Runs {@code scan} alone, without the root command: {@code java -cp ... org.hashdb.client.cli.ScanCommand}. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new ScanCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ScanOptions options = options();
    ReportWriter.Format fmt = reportFormat();
    ReportWriter collected = new ReportWriter();
    java.util.concurrent.atomic.AtomicReference<ProgressPrinter> progressRef = new java.util.concurrent.atomic.AtomicReference<>();
    ScanListener listener = new ScanListener() {
      @Override
      public void onMatch(FileMatch m) {
        collected.onMatch(m);
        if (!quiet) {
          printLine(progressRef.get(), out, m.path().display() + ": MATCH " + m.type().apiName() + " " + m.hash()
              + " list=" + m.match().list() + " category=" + m.match().category()
              + (m.video() == null ? " distance=" + m.match().distance() : " " + ReportWriter.videoNote(m))
              + " entry=" + m.match().entry());
        }
      }

      @Override
      public void onProblem(ScanProblem p) {
        collected.onProblem(p);
        if (!quiet) {
          printLine(progressRef.get(), err, p.path().display() + ": " + (p.error() ? "ERROR " : "SKIPPED ") + p.message());
        }
      }
    };
    HashLookup opened;
    try {
      opened = openLookup();
    } catch (IllegalArgumentException | HashDbException e) { // no database in --data, unreadable certificate
      err.println("hashdb scan: " + e.getMessage());
      err.flush();
      return ScanSummary.NOT_ALL_CHECKED;
    }
    try (HashLookup lookup = opened; HashCacheHolder cache = new HashCacheHolder(cacheFile, err)) {
      if (target.server != null) {
        // Fail fast on a wrong URL, key or certificate, before hours of hashing: one lookup of
        // an all-zero MD5 (no real content hashes to it).
        try {
          lookup.lookup(Query.of(HashType.MD5, new byte[HashType.MD5.byteLength()]));
        } catch (HashDbException e) {
          err.println("hashdb scan: cannot use " + String.join(", ", target.server.stream().map(URI::toString).toList())
              + ": " + e.getMessage());
          return 2;
        }
      }
      TreeScanner scanner = new TreeScanner(options, lookup, listener, cache.cache, videoScanning());
      ScanSummary summary;
      try (ProgressPrinter p = progressPrinter(err, scanner);
          StopSignals signals = StopSignals.install(scanner, err)) {
        progressRef.set(p);
        summary = scanner.run();
      } finally {
        progressRef.set(null);
      }
      if (cache.cache != null && scanner.completed()) {
        cache.compact(options.roots());
      }
      if (report != null) {
        collected.write(report, fmt, options, summary);
      }
      printSummary(out, summary);
      if (summary.failure() != null) {
        err.println("hashdb scan: " + summary.failure());
      }
      out.flush();
      err.flush();
      return summary.exitCode();
    }
  }

  private ScanOptions options() {
    Set<HashType> t = EnumSet.noneOf(HashType.class);
    if (privateLookups && target.server == null) {
      throw usage("--private goes with --server");
    }
    if (psiKey != null && !privateLookups) {
      throw usage("--psi-key goes with --private");
    }
    if (types == null || types.isEmpty()) {
      t.addAll(HashLookup.ALL_TYPES);
      if (privateLookups) {
        t.remove(HashType.PDQ);
        t.remove(HashType.VPDQ);
      }
    } else {
      for (String name : types) {
        try {
          t.add(HashType.parse(name.trim()));
        } catch (IllegalArgumentException e) {
          throw usage("--types: " + e.getMessage());
        }
        if (privateLookups && (t.contains(HashType.PDQ) || t.contains(HashType.VPDQ))) {
          throw usage("--types: pdq and vpdq cannot be looked up privately (exact types only with --private)");
        }
      }
    }
    if (threads < 1 || threads > 1024) {
      throw usage("--threads must be in 1..1024, got " + threads);
    }
    if (maxDistance != null && (maxDistance < 0 || maxDistance > Query.MAX_DISTANCE)) {
      throw usage("--max-distance must be in 0.." + Query.MAX_DISTANCE + ", got " + maxDistance);
    }
    if (minPdqQuality < 0 || minPdqQuality > 100) {
      throw usage("--min-pdq-quality must be in 0..100, got " + minPdqQuality);
    }
    if (batchSize < 1) {
      throw usage("--batch-size must be >= 1, got " + batchSize);
    }
    for (String g : excludes) {
      try {
        java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + g);
      } catch (IllegalArgumentException e) {
        throw usage("--exclude '" + g + "': " + e.getMessage());
      }
    }
    return new ScanOptions(paths, t, threads, maxDistance == null ? Query.DEFAULT_DISTANCE : maxDistance,
        excludes, followSymlinks, cacheFile, batchSize, !"never".equals(progress), minPdqQuality);
  }

  private VideoScanning videoScanning() {
    if (maxDecodes < 1 || maxDecodes > 256) {
      throw usage("--max-decodes must be in 1..256, got " + maxDecodes);
    }
    if (videoTimeout < 1) {
      throw usage("--video-timeout must be >= 1, got " + videoTimeout);
    }
    VideoHasher hasher = new VideoHasher(VideoHasher.Options.defaults().withTimeout(Duration.ofSeconds(videoTimeout)));
    return new VideoScanning(hasher, maxDecodes, null);
  }

  private ReportWriter.Format reportFormat() {
    if (format == null) {
      return report == null ? ReportWriter.Format.JSON : ReportWriter.formatFor(report);
    }
    try {
      return ReportWriter.Format.valueOf(format.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw usage("--format must be json or csv, got '" + format + "'");
    }
  }

  private HashLookup openLookup() throws IOException {
    if (target.data != null) {
      if (key != null || keyFile != null || tls.any()) {
        throw usage("--key, --key-file, " + String.join(", ", ClientTlsOptions.names()) + " go with --server, not --data");
      }
      if (masterKey == null && !oldMasterKeys.isEmpty()) {
        throw usage("--old-master-key needs --master-key");
      }
      String mk = masterKey != null ? masterKey : System.getenv("HASHDB_MASTER_KEY");
      org.hashdb.core.disk.MasterKeys keys = mk == null || mk.isEmpty()
          ? org.hashdb.core.disk.MasterKeys.none()
          : org.hashdb.core.disk.MasterKeys.load(mk, oldMasterKeys);
      return EmbeddedHashDb.open(target.data, lists == null ? ListFilter.all() : ListFilter.of(lists),
          keys);
    }
    if (lists != null) {
      throw usage("--lists goes with --data; with --server the key decides which lists are visible");
    }
    HashDbClient.Builder b = HashDbClient.builder();
    try {
      b.baseUrls(target.server).apiKey(apiKey());
      tls.applyTo(b, spec.commandLine(), env);
      if (psiKey != null) {
        b.psiPublicKey(psiKey.trim());
      }
      b.requestTimeout(Duration.ofSeconds(120));
      if (privateLookups) {
        return new org.hashdb.client.scan.PrivateHashLookup(b.build());
      }
      return b.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw usage(e.getMessage());
    }
  }

  private String apiKey() throws IOException {
    if (key != null && keyFile != null) {
      throw usage("give the API key once: --key or --key-file");
    }
    if (key != null) {
      return key;
    }
    if (keyFile != null) {
      return KeyFileOption.read(spec.commandLine(), keyFile);
    }
    String k = env.apply(KEY_ENV);
    if (k == null || k.isBlank()) {
      throw usage("--server needs an API key: --key-file FILE, $" + KEY_ENV + " or --key");
    }
    return k.trim();
  }

  private ProgressPrinter progressPrinter(PrintWriter err, TreeScanner scanner) {
    String mode = progress.toLowerCase(Locale.ROOT);
    boolean show = switch (mode) {
      case "always", "auto" -> true;
      case "never" -> false;
      default -> throw usage("--progress must be auto, always or never, got '" + progress + "'");
    };
    boolean terminal = mode.equals("always") || ProgressPrinter.isTerminal();
    if (!show || quiet) {
      return new ProgressPrinter(err, scanner::progress, false, Long.MAX_VALUE); // never started: close() is a no-op
    }
    return new ProgressPrinter(err, scanner::progress, terminal, terminal ? 250 : 10_000).start();
  }

  private static void printSummary(PrintWriter out, ScanSummary s) {
    out.println("----------- SCAN SUMMARY -----------");
    out.printf(Locale.ROOT, "Files checked: %,d (hashed %,d, unchanged from cache %,d)%n", s.files(), s.hashedFiles(), s.cachedFiles());
    out.printf(Locale.ROOT, "Data checked: %,d bytes%n", s.bytes());
    out.printf(Locale.ROOT, "Skipped: %,d%s%n", s.skipped(), skipDetail(s));
    out.printf(Locale.ROOT, "Errors: %,d%s%n", s.errors(), s.errors() > 0 ? " (files not fully checked: see the ERROR lines"
        + " or the report)" : "");
    out.printf(Locale.ROOT, "Matches: %,d in %,d files%n", s.matches(), s.matchedFiles());
    out.printf(Locale.ROOT, "Time: %.3f s%n", s.duration().toNanos() / 1e9);
    if (s.failure() != null) {
      out.println("Incomplete: " + s.failure());
    }
    out.println("Result: " + result(s));
  }

  /** Why entries were skipped, e.g. {@code  (2 symbolic link, not followed ...; 1 excluded by --exclude)}. */
  static String skipDetail(ScanSummary s) {
    if (s.skippedReasons().isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder(" (");
    s.skippedReasons().forEach((reason, n) -> b.append(b.length() > 2 ? "; " : "")
        .append(String.format(Locale.ROOT, "%,d ", n)).append(reason));
    return b.append(')').toString();
  }

  /** The exit code in words. */
  static String result(ScanSummary s) {
    return switch (s.exitCode()) {
      case ScanSummary.MATCHED -> String.format(Locale.ROOT, "MATCHES FOUND (exit 1)%s",
          s.errors() > 0 || s.incomplete() ? String.format(Locale.ROOT, "; also %,d errors%s", s.errors(),
              s.incomplete() ? " and the scan is incomplete" : "") : "");
      case ScanSummary.NOT_ALL_CHECKED -> "NOT EVERYTHING WAS CHECKED (exit 2): no match among what was checked";
      default -> "clean: every file checked, no match (exit 0)";
    };
  }

  /** Prints a result line; on a terminal the live progress line is cleared first. */
  private static void printLine(ProgressPrinter progress, PrintWriter w, String line) {
    if (progress != null) {
      progress.printAbove(w, line);
    } else {
      synchronized (w) {
        w.println(line);
        w.flush();
      }
    }
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  /** Opens the cache when asked and closes it on every path out. */
  private static final class HashCacheHolder implements AutoCloseable {
    final HashCache cache;

    HashCacheHolder(Path file, PrintWriter err) throws IOException {
      cache = file == null ? null : HashCache.open(file);
      if (cache != null && cache.discardedOldFormat()) {
        err.println("hashdb scan: cache " + file + " was written by an older version (keyed by size and mtime"
            + " only, blind to a swapped file with its mtime restored); started afresh: every file is hashed once");
      }
      if (cache != null && cache.droppedBytes() > 0) {
        err.println("hashdb scan: cache " + file + ": cut off " + cache.droppedBytes()
            + " bytes of a torn or corrupt tail (an earlier scan was interrupted); those files are hashed again");
      }
    }

    void compact(List<Path> roots) throws IOException {
      cache.compactAndClose(roots);
    }

    @Override
    public void close() throws IOException {
      if (cache != null) {
        cache.close();
      }
    }
  }
}
