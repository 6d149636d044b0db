package org.hashdb.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  /** The key id a successful keygen printed ({@code key id: <16 hex>}). */
  String printedKeyId() {
    assertThat(exit).as(err).isZero();
    Matcher m = Pattern.compile("key id:\\s+([0-9a-f]{16})").matcher(out);
    assertThat(m.find()).as(out).isTrue();
    return m.group(1);
  }

  /** The data directory's sequence number, from {@code hashdb stats --json}. */
  static String sequenceOf(Path data) {
    CliRun s = run("stats", "--data", data.toString(), "--json");
    assertThat(s.exit()).as(s.err()).isZero();
    Matcher m = Pattern.compile("\"sequence\":(\\d+)").matcher(s.out());
    assertThat(m.find()).as(s.out()).isTrue();
    return m.group(1);
  }
}
