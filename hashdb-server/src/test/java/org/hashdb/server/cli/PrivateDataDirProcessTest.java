package org.hashdb.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hashdb.server.audit.AdminAuditLog;
import org.hashdb.server.audit.AuditLog;
import org.hashdb.server.auth.KeyFile;
import org.hashdb.server.auth.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server started under {@code umask 000} on a data directory others can read: the directory
 * is repaired (and the repair logged), and every file the server writes (write-ahead log, lock,
 * audit streams, access log) is 600 although the umask would allow 666.
 */
class PrivateDataDirProcessTest {
  @TempDir Path dir;

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void permissiveUmask_everyFilePrivate_openDirectoryRepairedAndLogged() throws Exception {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path old = data.resolve("notes.txt");
    Files.writeString(old, "left by hand");
    Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-r--r--"));
    KeyFile kf = new KeyFile(data);
    String admin = kf.create("ops", Role.ADMIN, null, 0);
    try (ServerProcess sp = ServerProcess.startWithUmask(dir, "000", "--init", "--data", data.toString())) {
      HttpClient c = HttpClient.newHttpClient();
      String hex = "ab".repeat(32);
      HttpResponse<String> r = c.send(HttpRequest.newBuilder(sp.uri("/v1/admin/entries"))
          .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"entries\":[{\"type\":\"sha256\",\"hash\":\""
              + hex + "\",\"list\":\"l\",\"category\":\"A1\"}]}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(c.send(HttpRequest.newBuilder(sp.uri("/v1/hashes/sha256/" + hex))
          .header("Authorization", "Bearer " + admin).build(),
          HttpResponse.BodyHandlers.ofString()).body()).contains("\"match\":true");
      sp.process.destroy();
      assertThat(sp.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String log = Files.readString(sp.stderr);
      assertThat(log).contains(data + " was readable by others (rwxr-xr-x): changed to rwx------")
          .contains(old + " was readable by others (rw-r--r--): changed to rw-------");
    }
    assertThat(mode(data)).isEqualTo("rwx------");
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.walk(data)) {
      s.forEach(files::add);
    }
    assertThat(files).extracting(p -> p.getFileName().toString())
        .contains(KeyFile.FILE_NAME, AuditLog.FILE_NAME, AdminAuditLog.FILE_NAME, "access.jsonl",
            "hashdb.lock")
        .anyMatch(n -> n.startsWith("wal-"));
    for (Path p : files) {
      assertThat(mode(p)).as(p.toString())
          .isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
    }
  }
}
