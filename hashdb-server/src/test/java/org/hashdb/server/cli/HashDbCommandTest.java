package org.hashdb.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * The {@code hashdb} command set, and the shipped error handling ({@link CliErrors}) of every
 * command: one line {@code hashdb CMD: message} on stderr, exit 2, a stack trace only with
 * {@code HASHDB_DEBUG=1}.
 */
class HashDbCommandTest {
  @TempDir static Path tmp;

  @Test
  void commandSet_isExactlyTheDocumentedCommands_inHelpOrder() {
    assertThat(HashDbCommand.commandLine().getSubcommands().keySet()).containsExactly(
        "import", "lookup", "stats", "serve", "keys", "release", "backup", "restore", "master-key", "hash", "scan");
  }

  @Test
  void rootHelp_listsEveryCommand() {
    CliRun help = CliRun.run("--help");
    assertThat(help.exit()).isZero();
    for (String c : HashDbCommand.commandLine().getSubcommands().keySet()) {
      assertThat(help.out()).containsPattern("(?m)^  " + c + "\\s");
    }
  }

  /**
   * Each command with arguments that fail while it runs (not while parsing), the message, and
   * whether the failure escapes to {@link CliErrors} (then HASHDB_DEBUG=1 adds the stack trace)
   * or is reported by the command itself (a message, never a stack trace).
   */
  static Stream<Arguments> failures() throws IOException {
    Path file = Files.writeString(tmp.resolve("plain-file"), "x");
    String missing = tmp.resolve("missing").toString();
    String noDb = "no HashDB database in " + missing + ": it does not exist";
    return Stream.of(
        Arguments.of("import", List.of("import", "--data", tmp.resolve("db").toString(), "--list", "l", missing),
            "no such file: " + missing, false),
        Arguments.of("lookup", List.of("lookup", "--data", missing, "md5", "d41d8cd98f00b204e9800998ecf8427e"), noDb,
            true),
        Arguments.of("stats", List.of("stats", "--data", missing), noDb, true),
        Arguments.of("serve", List.of("serve", "--data", file.toString()),
            "no HashDB database in " + file + ": it is not a directory", true),
        Arguments.of("create", List.of("keys", "create", "--data", file.toString(), "--name", "n", "--role", "query", "--all-lists"),
            "I/O error: " + file, true),
        Arguments.of("verify", List.of("release", "verify", "--trust", missing, file.toString()),
            "I/O error: " + missing, true),
        Arguments.of("backup", List.of("backup", "--data", missing, "--out", tmp.resolve("b").toString()), noDb, true),
        Arguments.of("restore", List.of("restore", "--data", tmp.resolve("r").toString(), missing),
            "no backup file " + missing, true),
        Arguments.of("scan", List.of("scan", "--server", "http://127.0.0.1:1", "--key-file", missing, file.toString()),
            "I/O error: " + missing, true),
        Arguments.of("scan", List.of("scan", "--data", missing, file.toString()), noDb, false),
        Arguments.of("scan", List.of("scan", "--server", "http://127.0.0.1:1", "--key", "k", "--threads", "1",
            file.toString()), "cannot use http://127.0.0.1:1: POST /v1/lookup failed", false));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("failures")
  void failure_isOneLine_exit2_stackTraceOnlyWithDebug(String name, List<String> args, String message,
      boolean viaCliErrors) {
    CliRun plain = run(Map.of(), null, args);
    assertThat(plain.exit()).as(plain.err()).isEqualTo(CliErrors.ERROR);
    assertThat(plain.err()).startsWith("hashdb " + name + ": " + message);
    assertThat(plain.err().lines()).as(plain.err()).hasSize(1);

    CliRun debug = run(Map.of("HASHDB_DEBUG", "1"), null, args);
    assertThat(debug.exit()).isEqualTo(CliErrors.ERROR);
    assertThat(debug.err()).startsWith("hashdb " + name + ": " + message);
    if (viaCliErrors) {
      assertThat(debug.err()).contains("\tat org.hashdb.");
    } else {
      assertThat(debug.err().lines()).as(debug.err()).hasSize(1);
    }
  }

  /** {@code hash} reports unreadable files itself; what escapes it (stdout gone) is one line. */
  @Test
  void hash_failures_areMessages_exit2() throws IOException {
    String missing = tmp.resolve("missing-file").toString();
    CliRun noFile = run(Map.of("HASHDB_DEBUG", "1"), null, List.of("hash", missing));
    assertThat(noFile.exit()).isEqualTo(2);
    assertThat(noFile.err()).isEqualTo("hash: " + missing + ": no such file" + System.lineSeparator());

    Path file = Files.writeString(tmp.resolve("to-hash"), "abc");
    Writer broken = new Writer() {
      @Override
      public void write(char[] buf, int off, int len) {
        throw new UncheckedIOException(new IOException("No space left on device"));
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    List<String> args = List.of("hash", "--types", "sha256", file.toString());
    CliRun plain = run(Map.of(), broken, args);
    assertThat(plain.exit()).isEqualTo(CliErrors.ERROR);
    assertThat(plain.err()).isEqualTo(
        "hashdb hash: I/O error: java.io.IOException: No space left on device" + System.lineSeparator());
    CliRun debug = run(Map.of("HASHDB_DEBUG", "1"), broken, args);
    assertThat(debug.err()).contains("\tat org.hashdb.client.cli.HashCommand");
  }

  private static CliRun run(Map<String, String> env, Writer stdout, List<String> args) {
    CommandLine cl = HashDbCommand.commandLine(env::get);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(stdout != null ? stdout : out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args.toArray(String[]::new));
    return new CliRun(exit, out.toString(), err.toString());
  }
}
