package org.hashdb.core.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryLockTest {
  @TempDir Path tmp;

  @Test
  void acquire_missingDirectory_createsItAndRecordsPid() throws IOException {
    Path dir = tmp.resolve("a/b");
    try (DataDirectoryLock lock = DataDirectoryLock.acquire(dir)) {
      assertThat(lock.directory()).isEqualTo(dir);
      assertThat(Files.readString(dir.resolve(DataDirectoryLock.FILE_NAME)).trim())
          .isEqualTo(Long.toString(ProcessHandle.current().pid()));
    }
  }

  private Process startChild(String... extra) throws IOException {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                javaBin,
                "-cp",
                System.getProperty("java.class.path"),
                LockHolderMain.class.getName(),
                tmp.toString()));
    cmd.addAll(List.of(extra));
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  private static String firstLine(Process p) throws IOException {
    return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
        .readLine();
  }

  @Test
  void acquire_heldInThisJvm_failsWithInUseMessageAndKeepsTheOsLock() throws Exception {
    long pid = ProcessHandle.current().pid();
    try (DataDirectoryLock lock = DataDirectoryLock.acquire(tmp)) {
      assertThat(lock.directory()).isEqualTo(tmp);
      assertThatThrownBy(() -> DataDirectoryLock.acquire(tmp))
          .isExactlyInstanceOf(IOException.class)
          .hasMessage("data directory " + tmp + " is in use by another process (pid " + pid + ")");
      assertThatThrownBy(() -> DataDirectoryLock.acquire(tmp.resolve(".")))
          .isInstanceOf(IOException.class);
      // the failed attempts must not have released the OS lock (POSIX close semantics)
      Process other = startChild("try");
      try {
        assertThat(firstLine(other))
            .isEqualTo(
                "failed: data directory " + tmp + " is in use by another process (pid " + pid + ")");
        assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(other.exitValue()).isEqualTo(3);
      } finally {
        other.destroyForcibly();
      }
    }
    try (DataDirectoryLock again = DataDirectoryLock.acquire(tmp)) {
      assertThat(again.directory()).isEqualTo(tmp);
    }
  }

  @Test
  void acquire_heldByChildProcess_failsNamingItsPidUntilItExits() throws Exception {
    Process child = startChild();
    try {
      assertThat(firstLine(child)).isEqualTo("locked");
      assertThatThrownBy(() -> DataDirectoryLock.acquire(tmp))
          .isExactlyInstanceOf(IOException.class)
          .hasMessage(
              "data directory " + tmp + " is in use by another process (pid " + child.pid() + ")");
      child.getOutputStream().close(); // tells the child to release and exit
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).isZero();
    } finally {
      child.destroyForcibly();
    }
    try (DataDirectoryLock lock = DataDirectoryLock.acquire(tmp)) {
      assertThat(lock.directory()).isEqualTo(tmp);
      assertThat(Files.readString(tmp.resolve(DataDirectoryLock.FILE_NAME)).trim())
          .isEqualTo(Long.toString(ProcessHandle.current().pid()));
    }
  }
}
