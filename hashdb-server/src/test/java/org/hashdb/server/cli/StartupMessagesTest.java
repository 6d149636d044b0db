package org.hashdb.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hashdb.server.cli.CliRun.run;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.NewEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Expected start-up failures are one clear message and exit 2, never a stack trace. */
class StartupMessagesTest {
  @TempDir Path tmp;

  /** Runs {@code serve} in a child JVM to its end; returns {exit code, stderr}. */
  private Object[] serveUntilExit(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        ServeCommand.class.getName(), "--port", "0"));
    cmd.addAll(List.of(args));
    Path err = Files.createTempFile(tmp, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile());
    pb.environment().remove("HASHDB_DEBUG");
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("serve did not stop: " + Files.readString(err));
    }
    return new Object[] {p.exitValue(), Files.readString(err)};
  }

  @Test
  void serve_portTaken_namesAddressAndPort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      CliRun r = run("serve", "--init", "--data", tmp.resolve("d").toString(), "--bind", "127.0.0.1", "--port",
          Integer.toString(port));
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.err()).contains("cannot listen on 127.0.0.1 port " + port).doesNotContain("\tat ");
    }
  }

  @Test
  void serve_directoryInUse_oneMessageNoStackTrace() throws Exception {
    Path data = tmp.resolve("d");
    try (ServerProcess first = ServerProcess.start(tmp, "--init", "--data", data.toString())) {
      Object[] second = serveUntilExit("--data", data.toString());
      assertThat(second[0]).isEqualTo(2);
      assertThat((String) second[1]).contains("cannot open the database in " + data)
          .contains("is in use by another process (pid " + first.process.pid() + ")")
          .doesNotContain("\tat ").doesNotContain("Exception");
    }
  }

  @Test
  void serve_onlySnapshotDamaged_saysSoWithoutTryingAPreviousOne() throws Exception {
    Path data = tmp.resolve("d");
    long seq;
    try (HashDatabase db = HashDatabase.open(data)) {
      db.add(List.of(new NewEntry(HashType.MD5, new byte[16], "l", "c", "s")));
      seq = db.sequence();
      db.exportSnapshot(data.resolve(String.format("snapshot-%020d.hdb", seq)));
    }
    Path snap = data.resolve(String.format("snapshot-%020d.hdb", seq));
    try (FileChannel ch = FileChannel.open(snap, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {0x55, 0x55, 0x55, 0x55}), Files.size(snap) / 2);
    }
    Object[] r = serveUntilExit("--data", data.toString());
    assertThat(r[0]).isEqualTo(2);
    assertThat((String) r[1]).contains("cannot open the database in " + data).contains(snap.getFileName().toString())
        .doesNotContain("trying the previous one").doesNotContain("\tat ");
  }
}
