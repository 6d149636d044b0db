package org.hashdb.server.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data DIR} option of the {@code keys} commands, which touch only the keys file. */
final class KeysDirOption extends MasterKeyOption {
  @Option(names = "--data", required = true, paramLabel = "DIR",
      description = {"Data directory whose keys.json is edited (created if missing). Not locked: works",
          "while a server runs on DIR, which picks the change up within a few seconds."})
  Path dir;
}
