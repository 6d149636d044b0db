package org.hashdb.server.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.UnaryOperator;
import picocli.CommandLine;

/**
 * Turns exceptions escaping a command into one readable line on stderr and exit code 2 (usage
 * errors are picocli's and also exit 2). A stack trace only with {@code HASHDB_DEBUG=1}.
 */
final class CliErrors implements CommandLine.IExecutionExceptionHandler {
  /** Exit code of every failure, like clamscan's "error". */
  static final int ERROR = 2;

  private final UnaryOperator<String> env;

  CliErrors() {
    this(System::getenv);
  }

  /** With another environment lookup (tests of {@code HASHDB_DEBUG}). */
  CliErrors(UnaryOperator<String> env) {
    this.env = env;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
    String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    if ((ex instanceof IOException || ex instanceof UncheckedIOException)
        && !(ex instanceof org.hashdb.core.disk.MasterKeyException)) {
      msg = "I/O error: " + msg;
    }
    cl.getErr().println("hashdb " + cl.getCommandName() + ": " + msg);
    if ("1".equals(env.apply("HASHDB_DEBUG"))) {
      ex.printStackTrace(cl.getErr());
    }
    return ERROR;
  }
}
