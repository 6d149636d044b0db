package org.hashdb.server.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.lists.LineError;
import org.hashdb.core.lists.ListFormat;
import org.hashdb.core.lists.ListReader;
import org.hashdb.core.store.AddResult;
import org.hashdb.core.store.HashDatabase;
import org.hashdb.core.store.NewEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code hashdb import}: streams a list file into a data directory. A file with a bad line is
 * rejected whole (first pass validates, second pass adds) unless {@code --skip-invalid}. Each
 * batch is durable on its own; re-running an interrupted import is safe (present entries count as
 * already present).
 */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = {"Import a hash list (CSV or one hex hash per line) into a data directory.",
        "CSV rows: type,hash[,category[,source[,quality]]] (header optional; quality for pdq).",
        "Exit 0 when imported, 2 on errors (bad lines: nothing is imported unless --skip-invalid)."})
final class ImportCommand implements Callable<Integer> {
  /** Entries per database write (one log record each). */
  static final int BATCH = 50_000;
  /** Bad lines printed in full; past this only the count. */
  static final int MAX_ERRORS_SHOWN = 1000;

  @Spec CommandSpec spec;
  @Mixin DataDirOption data;

  @Option(names = "--list", required = true, paramLabel = "NAME", description = "List the entries go on.")
  String list;

  @Option(names = "--category", paramLabel = "C", description = "Category for rows that give none.")
  String category = "";

  @Option(names = "--source", paramLabel = "S", description = "Source for rows that give none.")
  String source = "";

  @Option(names = "--format", paramLabel = "csv|hex", description = "Input format (default: csv).")
  String format = "csv";

  @Option(names = "--type", paramLabel = "TYPE", description = "Hash type of hex input: md5, sha1, sha256, pdq.")
  String type;

  @Option(names = "--skip-invalid", description = "Import the valid lines and report the bad ones.")
  boolean skipInvalid;

  @Option(names = "--force-low-quality", description = "Accept pdq rows with quality below 50.")
  boolean forceLowQuality;

  @Parameters(index = "0", paramLabel = "FILE|-", description = "List file, or - for standard input.")
  String file;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ListFormat fmt = ListFormat.parse(format);
    HashType hexType = type == null ? null : HashType.parse(type);
    Path input;
    Path spooled = null;
    if (file.equals("-")) {
      // Standard input can be read once only; the validation pass needs it twice.
      Files.createDirectories(data.dir);
      spooled = Files.createTempFile(data.dir, "import-", ".tmp");
      Files.copy(System.in, spooled, StandardCopyOption.REPLACE_EXISTING);
      input = spooled;
    } else {
      input = Path.of(file);
      if (!Files.isRegularFile(input)) {
        err.println("hashdb import: no such file: " + file);
        return CliErrors.ERROR;
      }
    }
    try {
      if (!skipInvalid) {
        long bad = validate(input, fmt, hexType, err);
        if (bad > 0) {
          err.printf("hashdb import: %d bad line%s; nothing imported (--skip-invalid imports the valid lines)%n",
              bad, bad == 1 ? "" : "s");
          return CliErrors.ERROR;
        }
      }
      return importAll(input, fmt, hexType, out, err);
    } finally {
      if (spooled != null) {
        Files.deleteIfExists(spooled);
      }
    }
  }

  private ListReader reader(InputStream in, ListFormat fmt, HashType hexType) {
    return ListReader.builder(in, list).format(fmt).type(hexType).category(category)
        .source(source).allowLowQuality(forceLowQuality).build();
  }

  private long validate(Path input, ListFormat fmt, HashType hexType, PrintWriter err) throws IOException {
    long[] bad = {0};
    List<NewEntry> sink = new ArrayList<>(BATCH);
    try (InputStream in = Files.newInputStream(input); ListReader r = reader(in, fmt, hexType)) {
      boolean more;
      do {
        sink.clear();
        more = r.next(sink, BATCH, e -> report(e, bad, err));
      } while (more);
    }
    return bad[0];
  }

  private int importAll(Path input, ListFormat fmt, HashType hexType, PrintWriter out, PrintWriter err)
      throws IOException {
    long added = 0;
    long present = 0;
    long[] rejected = {0};
    long sequence;
    try (HashDatabase db = HashDatabase.open(data.dir);
        InputStream in = Files.newInputStream(input);
        ListReader r = reader(in, fmt, hexType)) {
      List<NewEntry> batch = new ArrayList<>(BATCH);
      boolean more;
      do {
        batch.clear();
        more = r.next(batch, BATCH, e -> report(e, rejected, err));
        if (!batch.isEmpty()) {
          AddResult res = db.add(batch);
          added += res.added();
          present += res.alreadyPresent();
        }
      } while (more);
      sequence = db.sequence();
    }
    out.printf("added %d, already present %d, rejected %d (list %s, sequence %d)%n",
        added, present, rejected[0], list, sequence);
    return 0;
  }

  private static void report(LineError e, long[] count, PrintWriter err) {
    if (count[0]++ < MAX_ERRORS_SHOWN) {
      err.println(e);
    } else if (count[0] == MAX_ERRORS_SHOWN + 1) {
      err.println("(more bad lines: only the count is shown from here on)");
    }
  }
}
