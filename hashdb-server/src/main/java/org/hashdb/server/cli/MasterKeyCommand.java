package org.hashdb.server.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.hashdb.core.disk.MasterKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hashdb master-key generate --out FILE}: a new master key for encryption at rest. */
@Command(name = "master-key", mixinStandardHelpOptions = true,
    description = "Master keys for encryption at rest (see README, \"Encryption at rest\").",
    subcommands = {MasterKeyCommand.Generate.class})
public final class MasterKeyCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Writes a new random AES-256 key file, mode 600; never overwrites. */
  @Command(name = "generate", mixinStandardHelpOptions = true,
      description = {"Write a new random master key to FILE (mode 600; an existing file is never overwritten).",
          "Give it to every command with --master-key FILE or $" + MasterKeyOption.ENV + ".",
          "Keep a copy apart from the data and its backups: without the key they cannot be read."})
  static final class Generate implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Key file to create.")
    Path out;

    @Override
    public Integer call() throws Exception {
      String id = MasterKeys.generate(out);
      spec.commandLine().getOut().println("wrote master key " + id + " to " + out + " (mode 600)");
      return 0;
    }
  }
}
