package org.hashdb.core.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.NewEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file of a data directory is 600 and the directory 700, set when they are created (so no
 * umask widens them), and a directory others can read is repaired at start-up. Files made by
 * this JVM under any umask would do for the first; the umask of a child process is exercised by
 * the server's process test.
 */
class PrivateFilesTest {
  @TempDir Path tmp;

  @BeforeEach
  void posixOnly() {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void creationCalls_giveOwnerOnlyModes() throws Exception {
    Path dir = PrivateFiles.createDirectories(tmp.resolve("a/b"));
    assertThat(mode(dir)).isEqualTo("rwx------");
    assertThat(mode(tmp.resolve("a"))).isEqualTo("rwx------");
    try (FileChannel ch = PrivateFiles.open(dir.resolve("c"), StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      assertThat(mode(dir.resolve("c"))).isEqualTo("rw-------"); // while still open: no window
    }
    try (OutputStream o = PrivateFiles.newOutputStream(dir.resolve("d"),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      o.write(1);
    }
    assertThat(mode(dir.resolve("d"))).isEqualTo("rw-------");
    assertThat(mode(PrivateFiles.createFile(dir.resolve("e")))).isEqualTo("rw-------");
    assertThat(mode(PrivateFiles.createTempFile(dir, "x", ".tmp"))).isEqualTo("rw-------");
  }

  @Test
  void secureDirectory_repairsWhatOthersCouldRead_leavesPrivateAlone() throws Exception {
    Path data = tmp.resolve("data");
    Files.createDirectories(data.resolve("sub"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(data.resolve("sub"), PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.writeString(data.resolve("wal-1.log"), "x");
    Files.setPosixFilePermissions(data.resolve("wal-1.log"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.writeString(data.resolve("sub/f"), "x");
    Files.setPosixFilePermissions(data.resolve("sub/f"), PosixFilePermissions.fromString("rw-rw-rw-"));
    Files.writeString(data.resolve("ok"), "x");
    Files.setPosixFilePermissions(data.resolve("ok"), PosixFilePermissions.fromString("r--------"));
    assertThat(PrivateFiles.isPrivate(data)).isFalse();

    assertThat(PrivateFiles.secureDirectory(data)).isEqualTo(4);
    assertThat(mode(data)).isEqualTo("rwx------");
    assertThat(mode(data.resolve("sub"))).isEqualTo("rwx------");
    assertThat(mode(data.resolve("wal-1.log"))).isEqualTo("rw-------");
    assertThat(mode(data.resolve("sub/f"))).isEqualTo("rw-------");
    assertThat(mode(data.resolve("ok"))).isEqualTo("r--------"); // already private: untouched
    assertThat(PrivateFiles.secureDirectory(data)).isZero();

    Path fresh = tmp.resolve("fresh");
    assertThat(PrivateFiles.secureDirectory(fresh)).isZero();
    assertThat(mode(fresh)).isEqualTo("rwx------");
  }

  @Test
  void database_walSnapshotsAndLock_private_oldDirectoryRepairedOnOpen() throws Exception {
    Path data = tmp.resolve("db");
    Files.createDirectories(data);
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (HashDatabase db = HashDatabase.open(data)) {
      assertThat(mode(data)).isEqualTo("rwx------");
      db.add(List.of(new NewEntry(HashType.MD5, new byte[16], "l", "c", "s")));
      db.checkpoint();
      db.add(List.of(new NewEntry(HashType.MD5, new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0}, "l", "c", "s")));
      List<Path> files = new ArrayList<>();
      try (Stream<Path> s = Files.walk(data)) {
        s.filter(Files::isRegularFile).forEach(files::add);
      }
      assertThat(files).extracting(p -> p.getFileName().toString())
          .anyMatch(n -> n.startsWith("wal-")).anyMatch(n -> n.startsWith("snapshot-"))
          .anyMatch(n -> n.equals(DataDirectoryLock.FILE_NAME));
      for (Path f : files) {
        assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------");
      }
    }
  }
}
