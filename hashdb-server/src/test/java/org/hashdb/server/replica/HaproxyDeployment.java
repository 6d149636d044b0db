package org.hashdb.server.replica;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The HAProxy of docs/operations.md, run from the configuration text in that document (between
 * its {@code haproxy.cfg} markers), with the addresses in the environment variables it names.
 */
final class HaproxyDeployment implements AutoCloseable {
  private final Process process;
  final int port;
  final Path log;

  private HaproxyDeployment(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** The haproxy binary: on the PATH or Debian's /usr/sbin/haproxy. */
  static String binary() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "haproxy"))) {
        return Path.of(dir, "haproxy").toString();
      }
    }
    if (Files.isExecutable(Path.of("/usr/sbin/haproxy"))) {
      return "/usr/sbin/haproxy";
    }
    throw new IllegalStateException("haproxy not found (apt-get install haproxy; .ci/run does)");
  }

  /** The configuration text of docs/operations.md. */
  static String configFromDocs() throws IOException {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("docs/operations.md"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("docs/operations.md not found above " + Path.of("").toAbsolutePath());
    }
    String doc = Files.readString(dir.resolve("docs/operations.md"));
    int start = doc.indexOf("<!-- haproxy.cfg:start -->");
    int end = doc.indexOf("<!-- haproxy.cfg:end -->");
    if (start < 0 || end < start) {
      throw new IllegalStateException("docs/operations.md has no haproxy.cfg block");
    }
    String block = doc.substring(start, end);
    int open = block.indexOf("```\n");
    int close = block.lastIndexOf("```");
    return block.substring(open + 4, close);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Starts HAProxy in the foreground in front of {@code replicas} (host:port each, two). */
  static HaproxyDeployment start(Path work, List<String> replicas) throws Exception {
    Path cfg = work.resolve("haproxy.cfg");
    Files.writeString(cfg, configFromDocs());
    int port = freePort();
    Path log = work.resolve("haproxy.log");
    List<String> cmd = new ArrayList<>(List.of(binary(), "-db", "-f", cfg.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("HASHDB_LB_BIND", "127.0.0.1:" + port);
    env.put("HASHDB_REPLICA1", replicas.get(0));
    env.put("HASHDB_REPLICA2", replicas.get(1));
    Process p = pb.start();
    return new HaproxyDeployment(p, port, log);
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  boolean alive() {
    return process.isAlive();
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    process.waitFor();
  }
}
