package org.hashdb.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class ServerConfigTest {
  private static ServerConfig parse(String key, String value) {
    Properties p = new Properties();
    p.setProperty(key, value);
    return ServerConfig.fromProperties(p, ServerConfig.defaults());
  }

  @Test
  void accessLogSettings_parsedAndKeptByToBuilder() {
    assertThat(parse("accessLog", "false").accessLog()).isFalse();
    assertThat(parse("accessLog", "TRUE").accessLog()).isTrue();
    ServerConfig c = parse("accessMaxBytes", "65536").toBuilder().accessFiles(4).build();
    assertThat(c.accessMaxBytes()).isEqualTo(65536);
    assertThat(c.accessFiles()).isEqualTo(4);
    assertThat(c.toBuilder().build().accessMaxBytes()).isEqualTo(65536);
  }

  @Test
  void accessLogSettings_badValues_throwNamingTheSetting() {
    assertThatThrownBy(() -> parse("accessLog", "yes"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("accessLog");
    assertThatThrownBy(() -> parse("accessMaxBytes", "4095"))
        .hasMessageContaining("accessMaxBytes must be >= 4096, got 4095");
    assertThatThrownBy(() -> parse("accessFiles", "0"))
        .hasMessageContaining("accessFiles must be in 1..1000, got 0");
  }
}
