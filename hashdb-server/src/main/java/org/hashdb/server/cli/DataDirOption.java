package org.hashdb.server.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data DIR} option of the commands that open the database (lookup, stats, import). */
final class DataDirOption extends MasterKeyOption {
  @Option(names = "--data", required = true, paramLabel = "DIR",
      description = {"Data directory (snapshots and write-ahead log). Locked while this command runs:",
          "no server may hold it. lookup and stats need an existing database; import creates one."})
  Path dir;
}
