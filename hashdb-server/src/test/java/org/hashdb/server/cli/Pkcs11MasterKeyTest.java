package org.hashdb.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A master key held in a SoftHSM2 token (PKCS#11 through the JDK's SunPKCS11): the test makes
 * its own token in a temp dir ({@code SOFTHSM2_CONF}, which must be set for the JVM that loads
 * the library, hence child JVMs) and an AES key that is sensitive and never extractable, then
 * imports, looks up and refuses a wrong PIN and a wrong key label. CI installs softhsm2 and opensc
 * ({@code .ci/run}).
 */
class Pkcs11MasterKeyTest {
  static final String MODULE = "/usr/lib/softhsm/libsofthsm2.so";
  private static final String HEX =
      "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20";

  @TempDir Path tmp;

  private Map<String, String> env;

  private void run(String... cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
  }

  private String setUpToken() throws Exception {
    Path tokens = Files.createDirectories(tmp.resolve("tokens"));
    Path conf = tmp.resolve("softhsm2.conf");
    Files.writeString(conf, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\n"
        + "log.level = ERROR\n");
    env = Map.of("SOFTHSM2_CONF", conf.toString());
    run("softhsm2-util", "--init-token", "--free", "--label", "hashdb", "--pin", "1234",
        "--so-pin", "5678");
    run("pkcs11-tool", "--module", MODULE, "--token-label", "hashdb", "--login", "--pin", "1234",
        "--keygen", "--key-type", "AES:32", "--label", "master", "--sensitive");
    Path pin = tmp.resolve("pin");
    Files.writeString(pin, "1234\n");
    Files.setPosixFilePermissions(pin, PosixFilePermissions.fromString("rw-------"));
    return "pkcs11:token=hashdb;object=master?module-path=" + MODULE + "&pin-source=" + pin;
  }

  @Test
  void keyInSoftHsm_encryptsDataDirectory_refusesWrongPinAndLabel() throws Exception {
    String uri = setUpToken();
    Path data = tmp.resolve("data");
    Path csv = tmp.resolve("l.csv");
    Files.writeString(csv, "sha256," + HEX + ",A1\n");
    EncryptionAtRestCliTest.Child imp = EncryptionAtRestCliTest.Child.run(tmp, env,
        "import", "--data", data.toString(), "--list", "hsmlist", "--master-key", uri, csv.toString());
    assertThat(imp.exit()).as(imp.err()).isZero();
    try (Stream<Path> files = Files.list(data)) {
      for (Path p : files.filter(f -> f.getFileName().toString().startsWith("wal-")).toList()) {
        assertThat(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1))
            .contains("HDBX").doesNotContain("hsmlist");
      }
    }
    // the PIN from an environment variable, the URI from HASHDB_MASTER_KEY
    Map<String, String> viaEnv = new java.util.HashMap<>(env);
    viaEnv.put("HSM_PIN", "1234");
    viaEnv.put("HASHDB_MASTER_KEY", uri.replaceAll("pin-source=[^&]*", "pin-env=HSM_PIN"));
    EncryptionAtRestCliTest.Child look = EncryptionAtRestCliTest.Child.run(tmp, viaEnv,
        "lookup", "--data", data.toString(), "sha256", HEX);
    assertThat(look.exit()).as(look.err()).isZero();
    assertThat(look.out()).contains("hsmlist");

    Path wrongPin = tmp.resolve("wrongpin");
    Files.writeString(wrongPin, "9999\n");
    EncryptionAtRestCliTest.Child badPin = EncryptionAtRestCliTest.Child.run(tmp, env,
        "lookup", "--data", data.toString(), "--master-key",
        uri.replaceAll("pin-source=[^&]*", "pin-source=" + wrongPin), "sha256", HEX);
    assertThat(badPin.exit()).isEqualTo(2);
    assertThat(badPin.err()).contains("no token").contains("object=master");

    EncryptionAtRestCliTest.Child badLabel = EncryptionAtRestCliTest.Child.run(tmp, env,
        "lookup", "--data", data.toString(), "--master-key", uri.replace("object=master", "object=other"),
        "sha256", HEX);
    assertThat(badLabel.exit()).isEqualTo(2);
    assertThat(badLabel.err()).contains("labelled 'other'");

    EncryptionAtRestCliTest.Child pinValue = EncryptionAtRestCliTest.Child.run(tmp, env,
        "lookup", "--data", data.toString(), "--master-key", uri + "&pin-value=1234", "sha256", HEX);
    assertThat(pinValue.exit()).isEqualTo(2);
    assertThat(pinValue.err()).contains("pin-value is refused");
  }
}
