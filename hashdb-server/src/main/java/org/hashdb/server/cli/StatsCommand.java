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

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    DatabaseStats s;
    long ram;
    try (HashDatabase db = HashDatabase.openExisting(data.dir)) {
      s = db.stats();
      ram = db.ramBytesUsed();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      printJson(out, s, ram);
    } else {
      printText(out, s, ram);
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

  private static void printJson(PrintWriter out, DatabaseStats s, long ram) throws IOException {
    JsonGenerator g = new JsonFactory().createGenerator(out).useDefaultPrettyPrinter();
    g.writeStartObject();
    g.writeNumberField("sequence", s.sequence());
    if (s.lastSnapshot() == null) {
      g.writeNullField("lastSnapshot");
    } else {
      g.writeStringField("lastSnapshot", s.lastSnapshot().toString());
      g.writeNumberField("snapshotAgeSeconds", Duration.between(s.lastSnapshot(), Instant.now()).toSeconds());
    }
    g.writeNumberField("logBytes", s.logBytes());
    g.writeNumberField("memoryBytes", ram);
    g.writeObjectFieldStart("types");
    for (Map.Entry<HashType, DatabaseStats.TypeStats> e : s.types().entrySet()) {
      DatabaseStats.TypeStats t = e.getValue();
      g.writeObjectFieldStart(e.getKey().apiName());
      g.writeNumberField("live", t.live());
      g.writeNumberField("stored", t.stored());
      g.writeNumberField("indexBytes", t.indexBytes());
      g.writeNumberField("indexBytesPerEntry", Math.round(t.indexBytesPerEntry() * 10) / 10.0);
      g.writeNumberField("metadataBytes", t.metadataBytes());
      if (e.getKey().isVideo()) {
        g.writeNumberField("frames", t.frames());
        g.writeNumberField("indexBytesPerFrame", Math.round(t.indexBytesPerFrame() * 10) / 10.0);
      }
      g.writeEndObject();
    }
    g.writeEndObject();
    g.writeObjectFieldStart("lists");
    for (Map.Entry<String, Long> e : s.lists().entrySet()) {
      g.writeNumberField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
    g.writeEndObject();
    g.flush();
    out.println();
  }
}
