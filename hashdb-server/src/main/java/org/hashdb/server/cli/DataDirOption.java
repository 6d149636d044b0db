package org.hashdb.server.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data DIR} option shared by the offline commands. */
final class DataDirOption {
  @Option(names = "--data", required = true, paramLabel = "DIR",
      description = "Data directory (snapshots and write-ahead log). Locked while in use.")
  Path dir;
}
