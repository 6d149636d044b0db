package org.hashdb.server.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.Callable;
import org.hashdb.core.disk.DataDirectories;
import org.hashdb.core.db.DatabaseStats;
import org.hashdb.core.db.HashDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code hashdb restore FILE --data NEWDIR}: makes a new data directory from a backup (or from a
 * bare snapshot, such as a {@code GET /v1/admin/snapshot} download), then opens it once to
 * check that it loads.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
    description = {"Restore a backup (from `hashdb backup`) into a new data directory and check that it loads.",
        "FILE may also be a bare snapshot file (a GET /v1/admin/snapshot download): then the",
        "directory gets the database only, and no keys (create them with `hashdb keys create`).",
        "NEWDIR must not exist or be empty: restore never overwrites a database.",
        "Exit 0 on success, 2 on errors (then NEWDIR is removed again)."})
final class RestoreCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @picocli.CommandLine.Mixin MasterKeyOption masterKey = new MasterKeyOption();

  @Parameters(index = "0", paramLabel = "FILE", description = "Backup file, or a snapshot file.")
  Path file;

  @Option(names = "--data", required = true, paramLabel = "NEWDIR", description = "New data directory to create.")
  Path data;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no backup file " + file);
    }
    boolean created = !Files.exists(data);
    if (!created) {
      try (var entries = Files.list(data)) {
        if (entries.findAny().isPresent()) {
          throw new IllegalArgumentException(data + " is not empty: restore into a new directory");
        }
      }
    } else {
      Files.createDirectories(data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    try {
      List<String> files;
      List<String> notIncluded;
      if (BackupArchive.isArchive(file)) {
        BackupArchive.Extracted x = BackupArchive.extract(file, data);
        files = x.files();
        notIncluded = new java.util.ArrayList<>();
        x.manifest().path("notIncluded").forEach(n -> notIncluded.add(n.asText()));
      } else {
        String name = DataDirectories.expectedName(file);
        if (name == null) {
          throw new IllegalArgumentException(file + " is neither a HashDB backup nor a snapshot file");
        }
        Files.copy(file, data.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
        Files.setPosixFilePermissions(data.resolve(name), PosixFilePermissions.fromString("rw-------"));
        files = List.of(name);
        notIncluded = List.of("keys.json (a bare snapshot holds the database only: create keys with `hashdb keys create`)");
      }
      DatabaseStats st;
      try (HashDatabase db = HashDatabase.openExisting(data, masterKey.databaseOptions())) {
        st = db.stats();
      }
      out.printf("restored %s into %s: sequence %d, %,d live entries on %d lists%n", file, data, st.sequence(),
          st.liveEntries(), st.lists().size());
      out.println("  files: " + String.join(", ", files));
      for (String n : notIncluded) {
        out.println("  NOT included: " + n);
      }
      out.println("  serve it with: hashdb serve --data " + data);
      out.flush();
      return 0;
    } catch (IOException | RuntimeException e) {
      if (created) {
        TempDirs.deleteQuietly(data);
      } else {
        emptyQuietly(data);
      }
      throw e;
    }
  }

  private static void emptyQuietly(Path dir) {
    try (var entries = Files.list(dir)) {
      entries.forEach(TempDirs::deleteQuietly);
    } catch (IOException e) {
      // best effort: the error that brought us here is reported
    }
  }
}
