package org.hashdb.server.cli;

import java.util.function.UnaryOperator;
import org.hashdb.client.cli.HashCommand;
import org.hashdb.client.cli.ScanCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code hashdb} command line: the root command and every subcommand, listed here and
 * nowhere else. {@code scan} and {@code hash} come from the client module, which the server
 * module depends on (the client never depends on the server: docs/DESIGN.md, "Modules").
 */
@Command(
    name = "hashdb",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "HashDB: match content against lists of hashes of known abuse material.",
    subcommands = {
        ImportCommand.class,
        LookupCommand.class,
        StatsCommand.class,
        ServeCommand.class,
        KeysCommand.class,
        ReleaseCommand.class,
        BackupCommand.class,
        RestoreCommand.class,
        MasterKeyCommand.class,
        HashCommand.class,
        ScanCommand.class})
public final class HashDbCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The configured command line, ready to execute. */
  public static CommandLine commandLine() {
    return commandLine(System::getenv);
  }

  /** The command line reading {@code HASHDB_DEBUG} through {@code env} (tests). */
  static CommandLine commandLine(UnaryOperator<String> env) {
    CommandLine cl = new CommandLine(new HashDbCommand()).setExecutionExceptionHandler(new CliErrors(env));
    ServeCommand.withSettingsHelp(cl.getSubcommands().get("serve"));
    return cl;
  }

  public static void main(String[] args) {
    useOneLineLogs();
    System.exit(commandLine().execute(args));
  }

  /** Log lines (JUL, on stderr) as one line per event: time, level, message; unless configured. */
  static void useOneLineLogs() {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$s %5$s%6$s%n");
    }
  }
}
