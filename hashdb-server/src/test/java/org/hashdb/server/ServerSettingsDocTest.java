package org.hashdb.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The settings are declared once: the README's table is {@link ServerConfig#markdownTable()},
 * every README row naming a setting gives its declared default, and each declaration drives the
 * properties parser, the bounds check and the start-up log.
 */
class ServerSettingsDocTest {
  private static final String BEGIN = "<!-- settings:begin";
  private static final String END = "<!-- settings:end -->";

  static String readme() throws IOException {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("hashdb-server"))) {
        return Files.readString(dir.resolve("README.md"));
      }
    }
    throw new IllegalStateException("README.md not found above " + Path.of("").toAbsolutePath());
  }

  @Test
  void readmeTable_equalsTheDeclarations() throws IOException {
    String readme = readme();
    int begin = readme.indexOf(BEGIN);
    int end = readme.indexOf(END);
    assertThat(begin).as("README marker " + BEGIN).isNotNegative();
    assertThat(end).as("README marker " + END).isGreaterThan(begin);
    String table = readme.substring(readme.indexOf('\n', begin) + 1, end);
    assertThat(table).as("README settings table; regenerate it from ServerConfig.markdownTable()")
        .isEqualTo(ServerConfig.markdownTable());
  }

  /** Other README tables that name a setting with a numeric default must give the declared one. */
  @Test
  void everyReadmeRowNamingASetting_givesItsDeclaredDefault() throws IOException {
    Pattern row = Pattern.compile("(?m)^\\| `(\\w+)` \\| (\\d+)[ |]");
    Matcher m = row.matcher(readme());
    Set<String> seen = new HashSet<>();
    while (m.find()) {
      Setting<?> s = ServerConfig.SETTINGS.stream().filter(x -> x.name().equals(m.group(1))).findFirst().orElse(null);
      if (s != null) {
        assertThat(m.group(2)).as("README default of %s", s.name()).isEqualTo(s.defaultDescription());
        seen.add(s.name());
      }
    }
    assertThat(seen).contains("maxConnections", "headerTimeoutMillis", "writeBufferHighBytes");
  }

  @Test
  void settingNames_areUnique_andEachHasADoc() {
    Set<String> names = new HashSet<>();
    for (Setting<?> s : ServerConfig.SETTINGS) {
      assertThat(names.add(s.name())).as(s.name()).isTrue();
      assertThat(s.doc()).as(s.name()).isNotBlank().doesNotContain("\n").doesNotContain("|");
    }
    assertThat(names).hasSize(58);
    assertThat(names).contains("psi.enabled", "psi.bucketBits", "psi.bucketSize", "psi.maxQueries",
        "psi.keyOverlapSeconds", "psi.threads", "adminBind", "adminPort", "adminClientCa", "adminCrl",
        "maxChangesWaitSeconds", "replicaMaxLagSequences", "replicaMaxLagSeconds", "replicaMaxPrimaryLossSeconds");
  }

  @Test
  void everyDeclaredSetting_isReadFromProperties() {
    ServerConfig defaults = ServerConfig.defaults();
    for (Setting<?> s : ServerConfig.SETTINGS) {
      String text = switch (s.typeName()) {
        case "int", "long" -> numberOtherThanDefault(s);
        case "boolean" -> "false";
        case "text" -> "10.0.0.1";
        default -> "/x/" + s.name();
      };
      Properties p = new Properties();
      p.setProperty(s.name(), text);
      if (s.name().equals("tlsCert") || s.name().equals("tlsKey")) {
        p.setProperty("tlsCert", "/x/c");
        p.setProperty("tlsKey", "/x/k");
      }
      if (s.name().startsWith("adminTls") || s.name().equals("adminClientCa") || s.name().equals("adminCrl")) {
        p.setProperty("adminTlsCert", "/x/ac");
        p.setProperty("adminTlsKey", "/x/ak");
        if (s.name().equals("adminCrl")) {
          p.setProperty("adminClientCa", "/x/ca");
        }
      }
      if (s.name().equals("releaseDecryptKey")) {
        p.setProperty("trustedKeys", "/x/t");
      }
      ServerConfig c = ServerConfig.fromProperties(p, defaults);
      assertThat(String.valueOf(c.get(s))).as(s.name()).isNotEqualTo(String.valueOf(defaults.get(s)));
      assertThat(c.describeChanged()).as(s.name()).contains(s.name() + "=");
    }
    assertThat(defaults.describeChanged()).isEmpty();
  }

  /** A value within the bounds that is not the default: the lower bound, or the upper one. */
  private static String numberOtherThanDefault(Setting<?> s) {
    if (s.bounds().startsWith(">= ")) {
      return String.valueOf(Long.parseLong(s.bounds().substring(3)) + 7);
    }
    String lo = s.bounds().substring(0, s.bounds().indexOf(".."));
    return lo.equals(String.valueOf(s.defaultValue())) ? s.bounds().substring(s.bounds().indexOf("..") + 2) : lo;
  }

  @Test
  void messages_areThoseOfBefore() {
    assertThatThrownBy(() -> ServerConfig.builder().port(70000)).hasMessage("port must be in 0..65535, got 70000");
    assertThatThrownBy(() -> ServerConfig.builder().idleTimeoutMillis(0))
        .hasMessage("idleTimeoutMillis must be >= 1, got 0");
    assertThatThrownBy(() -> ServerConfig.builder().auditMaxBytes(10))
        .hasMessage("auditMaxBytes must be >= 4096, got 10");
    assertThatThrownBy(() -> ServerConfig.builder().maxChangesEntries(0))
        .hasMessage("maxChangesEntries must be in 1..100000000, got 0");
    Properties p = new Properties();
    p.setProperty("maxBodyBytes", "lots");
    assertThatThrownBy(() -> ServerConfig.fromProperties(p, ServerConfig.defaults()))
        .hasMessage("setting maxBodyBytes: not a number: 'lots'");
    Properties b = new Properties();
    b.setProperty("accessLog", "yes");
    assertThatThrownBy(() -> ServerConfig.fromProperties(b, ServerConfig.defaults()))
        .hasMessage("setting accessLog: not true or false: 'yes'");
    Properties u = new Properties();
    u.setProperty("maxBodyByte", "1");
    assertThatThrownBy(() -> ServerConfig.fromProperties(u, ServerConfig.defaults()))
        .hasMessage("unknown setting 'maxBodyByte'");
  }
}
