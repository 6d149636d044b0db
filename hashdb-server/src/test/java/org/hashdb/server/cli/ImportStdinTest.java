package org.hashdb.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code import ... -}: standard input is spooled privately in the data directory, the spool is
 * removed, and the import is recorded in the admin audit stream.
 */
class ImportStdinTest {
  @TempDir Path dir;

  @Test
  void csvFromStandardInput_added_noSpoolLeft_filesPrivate() throws Exception {
    Path data = dir.resolve("data");
    InputStream saved = System.in;
    try {
      System.setIn(new ByteArrayInputStream(("md5," + "ab".repeat(16) + ",A1\n")
          .getBytes(StandardCharsets.US_ASCII)));
      CliRun imp = CliRun.run("import", "--data", data.toString(), "--list", "l", "-");
      assertThat(imp.exit()).as(imp.err()).isZero();
      assertThat(imp.out()).contains("added 1");
    } finally {
      System.setIn(saved);
    }
    try (Stream<Path> s = Files.list(data)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        assertThat(p.getFileName().toString()).doesNotStartWith("import-");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
            .as(p.toString()).isEqualTo("rw-------");
      }
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data)))
        .isEqualTo("rwx------");
    // an offline import is an admin change too
    assertThat(Files.readString(data.resolve(
        org.hashdb.server.audit.AdminAuditLog.FILE_NAME)))
        .contains("\"event\":\"import\"").contains("\"key\":\"cli\"")
        .contains("\"list\":\"l\"").contains("\"added\":1");
  }
}
