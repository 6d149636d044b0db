package org.hashdb.server.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code hashdb} command line: the root command and its subcommands. Commands of the client
 * module ({@code scan}, {@code hash}) are added when that module is on the class path, so the
 * server module does not depend on the client (whose tests start a real server).
 */
@Command(
    name = "hashdb",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "HashDB: match content against lists of hashes of known abuse material.",
    subcommands = {ImportCommand.class, LookupCommand.class, StatsCommand.class})
public final class HashDbCommand implements Runnable {
  /** Subcommands found by class name when present (other modules, or not yet built). */
  static final List<String> OPTIONAL_SUBCOMMANDS = List.of(
      "org.hashdb.server.cli.ServeCommand",
      "org.hashdb.server.cli.KeysCommand",
      "org.hashdb.server.cli.ReleaseCommand",
      "org.hashdb.server.cli.BackupCommand",
      "org.hashdb.server.cli.RestoreCommand",
      "org.hashdb.client.cli.HashCommand",
      "org.hashdb.client.cli.ScanCommand");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The configured command line, ready to execute. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new HashDbCommand());
    for (String name : OPTIONAL_SUBCOMMANDS) {
      try {
        Object cmd = Class.forName(name).getDeclaredConstructor().newInstance();
        cl.addSubcommand(cmd);
      } catch (ClassNotFoundException e) {
        // module not on the class path: command not offered
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot create command " + name, e);
      }
    }
    cl.setExecutionExceptionHandler(new CliErrors());
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
