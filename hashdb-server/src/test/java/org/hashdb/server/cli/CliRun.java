package org.hashdb.server.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the real {@code hashdb} command line in-process and captures exit code, stdout, stderr. */
record CliRun(int exit, String out, String err) {
  static CliRun run(String... args) {
    CommandLine cl = HashDbCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new CliRun(exit, out.toString(), err.toString());
  }
}
