package org.hashdb.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.hashdb.server.cli.HashDbCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Keeps the README true: every Java block compiles against the client and its dependencies
 * (not the server, not the tests), and every {@code ./hashdb CMD [SUB]} of a shell block names a
 * real command whose {@code --help} succeeds.
 */
class ReadmeExamplesTest {
  private static final Pattern BLOCK = Pattern.compile("```(\\w+)\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern CLASS = Pattern.compile("(?m)^public (?:final )?class (\\w+)");

  static Path readme() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("hashdb-client"))) {
        return dir.resolve("README.md");
      }
    }
    throw new IllegalStateException("README.md of the project not found above " + Path.of("").toAbsolutePath());
  }

  static List<String> blocks(String lang) throws IOException {
    List<String> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(Files.readString(readme()));
    while (m.find()) {
      if (m.group(1).equals(lang)) {
        out.add(m.group(2));
      }
    }
    return out;
  }

  /** Parts of this (the server module's) test class path that the client does not have. */
  private static final List<String> SERVER_ONLY = List.of("hashdb-server", "test-classes", "junit", "assertj",
      "opentest4j", "apiguardian", "jazzer", "netty", "jackson-databind", "jackson-annotations", "micrometer",
      "prometheus", "HdrHistogram", "LatencyUtils", "bcpkix", "bcutil");

  /** The client's compile class path: its classes and dependencies, without server and test code. */
  private static String clientClassPath() {
    List<String> keep = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String n = e.replace('\\', '/');
      if (SERVER_ONLY.stream().anyMatch(n::contains)) {
        continue;
      }
      keep.add(e);
    }
    return String.join(File.pathSeparator, keep);
  }

  @Test
  void everyJavaBlock_compilesAgainstTheClient(@TempDir Path tmp) throws Exception {
    List<String> java = blocks("java");
    assertThat(java).as("Java blocks in the README").isNotEmpty();
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    List<Path> sources = new ArrayList<>();
    for (int i = 0; i < java.size(); i++) {
      String code = java.get(i);
      Matcher c = CLASS.matcher(code);
      assertThat(c.find()).as("README Java block %d must be a complete class with its imports:%n%s", i + 1, code).isTrue();
      Path dir = Files.createDirectories(tmp.resolve("src" + i));
      sources.add(Files.writeString(dir.resolve(c.group(1) + ".java"), code));
    }
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager fm = compiler.getStandardFileManager(diagnostics, null, null)) {
      List<String> options = List.of("--release", "17", "-classpath", clientClassPath(),
          "-d", Files.createDirectories(tmp.resolve("out")).toString());
      boolean ok = compiler.getTask(null, fm, diagnostics, options, null, fm.getJavaFileObjectsFromPaths(sources)).call();
      assertThat(ok).as("README Java blocks compile: %s", diagnostics.getDiagnostics()).isTrue();
    }
  }

  @Test
  void everyHashdbCommandInShellBlocks_exists_andItsHelpSucceeds() throws Exception {
    List<List<String>> commands = new ArrayList<>();
    for (String block : blocks("sh")) {
      String joined = block.replace("\\\n", " ");
      Matcher m = Pattern.compile("\\./hashdb((?:\\s+[a-z][a-z0-9-]*)+)").matcher(joined);
      while (m.find()) {
        commands.add(List.of(m.group(1).trim().split("\\s+")));
      }
    }
    assertThat(commands).as("./hashdb commands in the README").hasSizeGreaterThan(10);
    for (List<String> words : commands) {
      CommandLine cl = HashDbCommand.commandLine();
      List<String> path = new ArrayList<>();
      for (String w : words) {
        CommandLine sub = cl.getSubcommands().get(w);
        if (sub == null) {
          break;
        }
        path.add(w);
        cl = sub;
      }
      assertThat(path).as("./hashdb %s: no such command", String.join(" ", words)).isNotEmpty();
      path.add("--help");
      CommandLine root = HashDbCommand.commandLine();
      StringWriter out = new StringWriter();
      root.setOut(new PrintWriter(out));
      root.setErr(new PrintWriter(new StringWriter()));
      assertThat(root.execute(path.toArray(String[]::new))).as("./hashdb %s", String.join(" ", path)).isZero();
      assertThat(out.toString()).as("./hashdb %s", String.join(" ", path)).contains("Usage: hashdb " + path.get(0));
    }
  }
}
