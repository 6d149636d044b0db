package org.hashdb.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.hashdb.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** How {@code serve} turns its options and properties file into a {@link ServerConfig}. */
class ServeCommandConfigTest {
  @TempDir Path dir;

  private ServerConfig configOf(String... args) throws Exception {
    ServeCommand cmd = new ServeCommand();
    new CommandLine(cmd).parseArgs(args);
    return cmd.buildConfig();
  }

  @Test
  void accessLog_onByDefault_offWithOption() throws Exception {
    ServerConfig on = configOf("--data", dir.toString());
    assertThat(on.accessLog()).isTrue();
    assertThat(on.accessMaxBytes()).isEqualTo(128L << 20);
    assertThat(on.accessFiles()).isEqualTo(10);
    assertThat(configOf("--data", dir.toString(), "--no-access-log").accessLog()).isFalse();
  }

  @Test
  void accessLog_settingsFromDataDirProperties() throws Exception {
    Files.writeString(dir.resolve(ServeCommand.CONFIG_FILE),
        "accessLog=false\naccessMaxBytes=8192\naccessFiles=3\n");
    ServerConfig c = configOf("--data", dir.toString());
    assertThat(c.accessLog()).isFalse();
    assertThat(c.accessMaxBytes()).isEqualTo(8192);
    assertThat(c.accessFiles()).isEqualTo(3);
  }
}
