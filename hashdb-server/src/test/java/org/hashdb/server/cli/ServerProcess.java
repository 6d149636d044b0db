package org.hashdb.server.cli;

import org.hashdb.server.service.HashDbService;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A server in a child JVM started from the test class path ({@code ServeCommand.main}): the one
 * process harness of the tests (in-process servers: {@code TestServer}, {@code HashDbService}).
 */
public final class ServerProcess implements AutoCloseable {
  public final Process process;
  public final int port;
  /** The admin listener's port, as the server logged it ({@code HashDB admin listening on ...}). */
  public final int adminPort;
  public final Path stdout;
  public final Path stderr;

  /** Public base URL to admin base URL of every server process started, for {@link #adminUrlOf}. */
  private static final java.util.Map<String, String> ADMIN_URLS = new java.util.concurrent.ConcurrentHashMap<>();

  private ServerProcess(Process p, int port, int adminPort, Path stdout, Path stderr) {
    this.process = p;
    this.port = port;
    this.adminPort = adminPort;
    ADMIN_URLS.put(url(), adminUrl());
    this.stdout = stdout;
    this.stderr = stderr;
  }

  public static ServerProcess start(Path work, String... args) throws Exception {
    return startWithUmask(work, null, args);
  }

  /** Starts the server on {@code port} (a restart on the port a load balancer knows it by). */
  public static ServerProcess startOnPort(Path work, int port, String... args) throws Exception {
    return start(work, null, port, 180_000, args);
  }

  /** Starts the server under {@code umask} (e.g. "000"; null: inherit), through {@code sh}. */
  static ServerProcess startWithUmask(Path work, String umask, String... args) throws Exception {
    return start(work, umask, 0, 60_000, args);
  }

  private static ServerProcess start(Path work, String umask, int port, long readyMillis,
      String... args) throws Exception {
    Files.createDirectories(work);
    Path portFile = work.resolve("port-" + System.nanoTime());
    Path out = work.resolve("stdout-" + System.nanoTime());
    Path err = work.resolve("stderr-" + System.nanoTime());
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-XX:TieredStopAtLevel=1");
    if (Runtime.version().feature() >= 24) {
      cmd.addAll(List.of("--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED"));
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(ServeCommand.class.getName());
    cmd.add("--port");
    cmd.add(Integer.toString(port));
    cmd.add("--admin-port");
    cmd.add("0");
    cmd.add("--port-file");
    cmd.add(portFile.toString());
    cmd.addAll(List.of(args));
    if (umask != null) {
      cmd.addAll(0, List.of("sh", "-c", "umask " + umask + " && exec \"$0\" \"$@\""));
    }
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
        .start();
    long deadline = System.currentTimeMillis() + readyMillis;
    while (!Files.exists(portFile)) {
      if (!p.isAlive() || System.currentTimeMillis() > deadline) {
        p.destroyForcibly();
        throw new IllegalStateException("server did not start: " + Files.readString(err));
      }
      Thread.sleep(20);
    }
    ServerProcess sp = new ServerProcess(p, Integer.parseInt(Files.readString(portFile).trim()),
        adminPortFromLog(err), out, err);
    sp.awaitReady(deadline);
    return sp;
  }

  private void awaitReady(long deadline) throws Exception {
    HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    while (System.currentTimeMillis() < deadline) {
      try {
        if (c.send(HttpRequest.newBuilder(uri("/readyz")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not yet
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("server died: " + Files.readString(stderr));
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("server not ready in time");
  }

  /** The admin port of the line {@code HashDB admin listening on http(s)://HOST:PORT} in the log. */
  static int adminPortFromLog(Path log) throws IOException {
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("HashDB admin listening on https?://\\S+:(\\d+) ").matcher(Files.readString(log));
    if (!m.find()) {
      throw new IllegalStateException("no admin listener in the server's log: " + Files.readString(log));
    }
    return Integer.parseInt(m.group(1));
  }

  /**
   * The URL a read replica follows this server at ({@code serve --replica-of}): where its change
   * feed, snapshot download and keys route answer. The one place the replica tests take it from.
   */
  public String replicaSourceUrl() {
    return adminUrl();
  }

  /**
   * {@code path} on the listener that serves it: the admin listener for the admin, replica,
   * metrics and OpenAPI routes, the public one otherwise.
   */
  public URI uri(String path) {
    return URI.create((org.hashdb.server.http.TestServer.onAdminListener(path) ? adminUrl() : url()) + path);
  }

  /** The public listener's base URL, {@code http://127.0.0.1:PORT}. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /**
   * The admin base URL of the server process whose public base URL is {@code publicUrl}, or
   * {@code publicUrl} itself when no such process was started (e.g. a load balancer's address).
   */
  public static String adminUrlOf(String publicUrl) {
    return ADMIN_URLS.getOrDefault(publicUrl, publicUrl);
  }

  /** The admin listener's base URL, {@code http://127.0.0.1:ADMINPORT} (cleartext). */
  public String adminUrl() {
    return "http://127.0.0.1:" + adminPort;
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
