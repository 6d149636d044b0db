package org.hashdb.server.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.db.DatabaseStats;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.DatabaseStats;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.server.api.StatsJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hashdb stats}: counts, memory and persistence state of a data directory. */
@Command(name = "stats", mixinStandardHelpOptions = true,
    description = "Entries per type and list, index bytes per entry, sequence number, snapshot age.")
final class StatsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin DataDirOption data;

  @Option(names = "--json", description = "Print one JSON object (the shape of the API's GET /v1/admin/stats).")
  boolean json;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    try (HashDatabase db = HashDatabase.openExisting(data.dir, data.databaseOptions())) {
      if (json) {
        printJson(out, db);
      } else {
        printText(out, db.stats(), db.ramBytesUsed());
      }
    }
    out.flush();
    return 0;
  }

  private static void printText(PrintWriter out, DatabaseStats s, long ram) {
    out.printf("sequence        %d%n", s.sequence());
    out.printf("snapshot        %s%n", s.lastSnapshot() == null ? "none yet"
        : s.lastSnapshot() + " (" + age(s.lastSnapshot()) + " ago)");
    out.printf("log             %d bytes since the snapshot%n", s.logBytes());
    out.printf("memory          %d bytes%n", ram);
    out.printf("%-8s %12s %12s %14s %14s%n", "type", "live", "stored", "index bytes", "bytes/entry");
    for (Map.Entry<HashType, DatabaseStats.TypeStats> e : s.types().entrySet()) {
      DatabaseStats.TypeStats t = e.getValue();
      out.printf("%-8s %12d %12d %14d %14.1f%n", e.getKey(), t.live(), t.stored(), t.indexBytes(),
          t.indexBytesPerEntry());
    }
    DatabaseStats.TypeStats v = s.types().get(HashType.VPDQ);
    if (v != null && v.frames() > 0) {
      out.printf("vpdq frames     %d (%.1f index bytes per frame)%n", v.frames(), v.indexBytesPerFrame());
    }
    out.printf("%-24s %12s%n", "list", "live");
    s.lists().forEach((name, n) -> out.printf("%-24s %12d%n", name, n));
  }

  private static String age(Instant t) {
    Duration d = Duration.between(t, Instant.now());
    return d.toSeconds() < 120 ? d.toSeconds() + " s" : d.toMinutes() + " min";
  }

  /** The API's stats object, on one line; no server runs, so no PSI service and no keys. */
  private static void printJson(PrintWriter out, HashDatabase db) throws IOException {
    JsonGenerator g = new JsonFactory().createGenerator(out);
    StatsJson.write(g, db, null, Map.of());
    g.flush();
    out.println();
  }
}
