package org.hashdb.core.db;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.disk.WalFormat;

/**
 * The crash and disk-fault matrix of issue 12: per row, trials of a child JVM writing under a
 * workload, with a fault injected, killed with SIGKILL at a random moment; then a restart
 * (without faults) checks that every acknowledged entry is there. Corruption rows flip or cut
 * bytes of a closed data directory and check that a restart reports the damage (or the content
 * is still exactly right). Prints one table row per scenario.
 *
 * <p>Run: {@code benchmarks/crash-matrix.sh [TRIALS]}; a fast subset runs in CI ({@link
 * CrashMatrixTest}).
 */
public final class CrashMatrix {
  /**
   * One row's figures; {@code fired}: trials in which the injected fault really refused a write
   * or an fsync before the kill (-1: no fault in this row).
   */
  record Row(String name, int trials, long acked, long refused, int fired, long lost,
      int failedRestarts, int corruptions, int detected) {
    String format() {
      return String.format("| %-48s | %6d | %9d | %7d | %9s | %5d | %8d | %s |", name, trials, acked,
          refused, fired < 0 ? "n/a" : fired + "/" + trials, lost,
          failedRestarts, corruptions == 0 ? "n/a" : detected + "/" + corruptions
              + String.format(" (%.0f%%)", 100.0 * detected / corruptions));
    }
  }

  /** Kill trials run side by side (each is a child JVM mostly waiting on fsync). */
  private static final int PARALLEL = Integer.getInteger("hashdb.crashMatrixParallel", 1);

  /** Child JVM flags: a short-lived writer needs no C2 and little heap. */
  private static final List<String> CHILD_JVM = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1",
      "-XX:+UseSerialGC", "-XX:-UsePerfData");

  static final String[] WORKLOADS = {"writes", "import", "snapshot", "rotation"};

  private CrashMatrix() {}

  public static void main(String[] args) throws Exception {
    Logger.getLogger("").setLevel(Level.WARNING); // one INFO line per restart is noise here
    int trials = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    String only = args.length > 1 ? args[1] : "";
    run(trials, only, System.out);
  }

  static List<Row> run(int trials, String only, PrintStream out) throws Exception {
    List<Row> rows = new ArrayList<>();
    out.println("| scenario | trials | acked entries | writes refused/failed | fault fired | acked lost | failed restarts | corruptions detected |");
    out.println("|---|---|---|---|---|---|---|---|");
    Path base = Files.createTempDirectory("hashdb-crash-matrix");
    try {
      long seed = 12;
      for (String fault : new String[] {"none", "diskfull", "fsync", "eio"}) {
        for (String w : WORKLOADS) {
          String name = (fault.equals("none") ? "SIGKILL during " : "SIGKILL + " + fault + " during ") + w;
          if (!name.contains(only)) {
            continue;
          }
          Row r = killRow(name, base, w, fault, trials, seed++);
          rows.add(r);
          out.println(r.format());
        }
      }
      if ("SIGKILL + ulimit -f (real EFBIG) during writes".contains(only)) {
        Row r = ulimitRow(base, trials, seed++);
        rows.add(r);
        out.println(r.format());
      }
      for (String c : new String[] {"snapshot byte flipped", "log byte flipped", "snapshot truncated",
          "log truncated", "log cut at a record boundary"}) {
        if (!c.contains(only)) {
          continue;
        }
        Row r = corruptionRow(c, base, trials, seed++);
        rows.add(r);
        out.println(r.format());
      }
    } finally {
      deleteTree(base);
    }
    return rows;
  }

  // ---------------------------------------------------------------- SIGKILL rows

  private static Row killRow(String name, Path base, String workload, String fault, int trials,
      long seed) throws Exception {
    Random rnd = new Random(seed);
    long[] seeds = new long[trials];
    long[] delays = new long[trials];
    // imports and snapshots take longer per write: kill later, so that some are acknowledged
    boolean slow = workload.equals("import") || workload.equals("snapshot");
    for (int t = 0; t < trials; t++) {
      seeds[t] = rnd.nextLong();
      delays[t] = fault.equals("none") ? (slow ? 500 + rnd.nextInt(2500) : 100 + rnd.nextInt(900))
          : rnd.nextInt(slow ? 2000 : 800); // after the fault fired
    }
    Trials sum = new Trials();
    forEachTrial(trials, t -> {
      Path dir = base.resolve(name.replace(' ', '_') + "-" + t);
      List<String> cmd = new ArrayList<>();
      cmd.add(javaBin());
      cmd.addAll(CHILD_JVM);
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
          CrashMatrixChild.class.getName(), dir.toString(), workload, fault, Long.toString(seeds[t])));
      long[] k = runAndKill(new ProcessBuilder(cmd), delays[t], !fault.equals("none"));
      sum.add(dir, k);
    });
    return new Row(name, trials, sum.acked, sum.refused, fault.equals("none") ? -1 : sum.fired,
        sum.lost, sum.failed, 0, 0);
  }

  /** The sums of one row's kill trials (trials may run side by side). */
  private static final class Trials {
    long acked;
    long refused;
    int fired;
    long lost;
    int failed;

    /** Verifies {@code dir} after a kill with {@link #runAndKill}'s result and adds it up. */
    void add(Path dir, long[] k) throws IOException {
      long[] check = verify(dir, k[0]);
      deleteTree(dir);
      synchronized (this) {
        acked += k[0] + 1;
        refused += k[1];
        fired += (int) k[2];
        lost += check[0];
        failed += (int) check[1];
      }
    }
  }

  interface Trial {
    void run(int t) throws Exception;
  }

  /** Runs trials 0..n-1, {@link #PARALLEL} at a time; the first failure is thrown. */
  private static void forEachTrial(int n, Trial trial) throws Exception {
    ExecutorService pool =
        Executors.newFixedThreadPool(Math.max(1, PARALLEL));
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < n; t++) {
        int trialNo = t;
        futures.add(pool.submit(() -> {
          trial.run(trialNo);
          return null;
        }));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          throw e.getCause() instanceof Exception ex ? ex : e;
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** A real file size limit: the child's log segment cannot grow past it (EFBIG). */
  private static Row ulimitRow(Path base, int trials, long seed) throws Exception {
    Random rnd = new Random(seed);
    int[] blocks = new int[trials];
    long[] seeds = new long[trials];
    long[] delays = new long[trials];
    for (int t = 0; t < trials; t++) {
      blocks[t] = 4 + rnd.nextInt(12); // bash counts 1024-byte blocks: 4-16 KiB
      seeds[t] = rnd.nextLong();
      delays[t] = 300 + rnd.nextInt(900);
    }
    Trials sum = new Trials();
    forEachTrial(trials, t -> {
      Path dir = base.resolve("ulimit-" + t);
      String java = String.join(" ", javaBin(), String.join(" ", CHILD_JVM), "-cp",
          "'" + System.getProperty("java.class.path") + "'", CrashMatrixChild.class.getName(),
          "'" + dir + "'", "writes", "none", Long.toString(seeds[t]));
      ProcessBuilder pb = new ProcessBuilder("bash", "-c", "ulimit -f " + blocks[t] + "; exec " + java);
      sum.add(dir, runAndKill(pb, delays[t], false));
    });
    return new Row("SIGKILL + ulimit -f (real EFBIG) during writes", trials, sum.acked, sum.refused,
        -1, sum.lost, sum.failed, 0, 0);
  }

  /**
   * Starts the child, reads its output and kills it (SIGKILL) {@code millis} after it started,
   * or with {@code afterFault}, {@code millis} after its fault fired (at most 20 s after it was
   * armed, 60 s after the start); returns {the last acked entry (-1: none), writes it saw refused or failed, 1 if the
   * fault fired}.
   */
  private static long[] runAndKill(ProcessBuilder pb, long millis, boolean afterFault)
      throws Exception {
    Process p = pb.redirectError(ProcessBuilder.Redirect.DISCARD).start();
    long last = -1;
    long refused = 0;
    long fired = 0;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line = r.readLine();
      if (line == null || !line.startsWith("ready")) {
        throw new IllegalStateException("child did not start: " + line);
      }
      long deadline = System.nanoTime()
          + TimeUnit.MILLISECONDS.toNanos(afterFault ? 60_000 : millis);
      while (System.nanoTime() < deadline) {
        if (!r.ready()) {
          Thread.sleep(1);
          continue;
        }
        line = r.readLine();
        if (line == null) {
          break;
        }
        if (line.startsWith("ack ")) {
          last = Long.parseLong(line.substring(4));
        } else if (line.startsWith("refused") || line.startsWith("failed")) {
          refused++;
        } else if (line.equals("fired") && fired == 0) {
          fired = 1;
          if (afterFault) {
            deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
          }
        } else if (line.equals("fault") && afterFault) {
          deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        }
      }
      p.destroyForcibly(); // SIGKILL
      p.waitFor(30, TimeUnit.SECONDS);
    }
    return new long[] {last, refused, fired};
  }

  /** Reopens {@code dir}: {lost acknowledged entries, 1 if the restart failed}. */
  private static long[] verify(Path dir, long acked) {
    try (HashDatabase db = HashDatabase.open(dir)) {
      long lost = 0;
      for (long n = 0; n <= acked; n++) {
        if (db.lookup(HashType.SHA256, CrashRecoveryTest.value(n), ListFilter.all()).isEmpty()) {
          lost++;
        }
      }
      // the restarted database takes writes again
      db.add(List.of(CrashRecoveryTest.entry(10_000_000L)));
      return new long[] {lost, 0};
    } catch (IOException | RuntimeException e) {
      System.err.println("restart failed in " + dir + ": " + e);
      return new long[] {acked + 1, 1};
    }
  }

  // ---------------------------------------------------------------- corruption rows

  private static Row corruptionRow(String name, Path base, int trials, long seed) throws Exception {
    Random rnd = new Random(seed);
    int detected = 0;
    int failedRestarts = 0;
    for (int t = 0; t < trials; t++) {
      Path dir = base.resolve(name.replace(' ', '_') + "-" + t);
      int count;
      // fsync on, as a server runs: the log's acked end vouches for what was acknowledged
      try (HashDatabase db = HashDatabase.open(dir, DatabaseOptions.defaults().withFsync(true))) {
        count = 0;
        int batches = 5 + rnd.nextInt(20);
        for (int b = 0; b < batches; b++) {
          List<NewEntry> batch = new ArrayList<>();
          for (int i = 0; i < 1 + rnd.nextInt(20); i++) {
            batch.add(CrashRecoveryTest.entry(count++));
          }
          db.add(batch);
          if (b == batches / 2) {
            db.checkpoint();
          }
        }
      }
      boolean snapshot = name.startsWith("snapshot");
      Path victim;
      try (Stream<Path> files = Files.list(dir)) {
        victim = files.filter(p -> p.getFileName().toString().startsWith(snapshot ? "snapshot-" : "wal-"))
            .max(Comparator.naturalOrder()).orElseThrow();
      }
      long size = Files.size(victim);
      try (FileChannel ch = FileChannel.open(victim, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        if (name.endsWith("flipped")) {
          long at = (long) (rnd.nextDouble() * size);
          java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
          ch.read(b, at);
          b.put(0, (byte) (b.get(0) ^ (1 << rnd.nextInt(8)))).position(0);
          ch.write(b, at);
        } else if (name.endsWith("boundary")) {
          ch.truncate(recordBoundary(ch, rnd)); // the log ends cleanly, records are missing
        } else {
          ch.truncate((long) (rnd.nextDouble() * size));
        }
      }
      Outcome o = reopen(dir, count);
      if (o == Outcome.FAILED) {
        failedRestarts++; // not counted as a failure: a reported corruption stops start-up
      }
      if (o != Outcome.SILENT) {
        detected++;
      }
      deleteTree(dir);
    }
    return new Row(name, trials, 0, 0, -1, 0, 0, trials, detected);
  }

  /** A random record boundary of a log segment before its end (the start of some record). */
  private static long recordBoundary(FileChannel ch, Random rnd) throws IOException {
    List<Long> starts = new ArrayList<>();
    java.nio.ByteBuffer len = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    long size = ch.size();
    for (long pos = WalFormat.SEGMENT_HEADER_BYTES; pos < size; ) {
      starts.add(pos);
      len.clear();
      ch.read(len, pos);
      pos += 8 + (len.getInt(0) & 0xffffffffL); // length counts the bytes after the crc field
    }
    if (starts.isEmpty()) {
      throw new IllegalStateException("the newest log segment holds no record to cut");
    }
    return starts.get(rnd.nextInt(starts.size()));
  }

  enum Outcome { FAILED, WARNED, INTACT, SILENT }

  /**
   * Opens a damaged directory: start-up stopped naming the damage (FAILED), went on after a
   * warning about it (WARNED: torn log tail cut, or an older snapshot used), or the content is
   * exactly what was written (INTACT); anything else is undetected damage (SILENT).
   */
  private static Outcome reopen(Path dir, int count) {
    Logger jul = Logger.getLogger("org.hashdb.core.db");
    boolean[] warned = {false};
    Handler h = new Handler() {
      @Override
      public void publish(LogRecord r) {
        if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
          warned[0] = true;
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    jul.addHandler(h);
    try (HashDatabase db = HashDatabase.open(dir)) {
      if (warned[0]) {
        return Outcome.WARNED;
      }
      for (int n = 0; n < count; n++) {
        if (db.lookup(HashType.SHA256, CrashRecoveryTest.value(n), ListFilter.all()).size() != 1) {
          return Outcome.SILENT;
        }
      }
      return db.stats().liveEntries() == count ? Outcome.INTACT : Outcome.SILENT;
    } catch (IOException | RuntimeException e) {
      return Outcome.FAILED;
    } finally {
      jul.removeHandler(h);
    }
  }

  // ---------------------------------------------------------------- helpers

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path f : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(f);
      }
    }
  }
}
