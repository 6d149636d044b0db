package org.hashdb.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve --demo} without {@code --data} deletes its temporary data directory when it stops. */
class DemoCleanupTest {
  @TempDir Path tmp;

  @Test
  void demoWithoutData_sigterm_deletesTheTemporaryDirectory() throws Exception {
    Path dir;
    try (ServerProcess sp = ServerProcess.start(tmp, "--demo", "--synthetic", "0")) {
      long deadline = System.currentTimeMillis() + 30_000;
      Matcher m = null;
      while (System.currentTimeMillis() < deadline) {
        m = Pattern.compile("demo images \\(on list '[^']+'\\): (\\S+)").matcher(Files.readString(sp.stdout));
        if (m.find()) {
          break;
        }
        Thread.sleep(50);
      }
      assertThat(m).isNotNull();
      dir = Path.of(m.group(1)).getParent();
      assertThat(dir.getFileName().toString()).startsWith("hashdb-demo-");
      assertThat(dir).isDirectory();
      sp.process.destroy(); // SIGTERM
      assertThat(sp.process.waitFor()).isZero();
    }
    assertThat(dir).doesNotExist();
  }
}
