package org.hashdb.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.hashdb.client.cli.ScanCommand;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.db.NewEntry;
import org.hashdb.server.PsiSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import org.hashdb.testing.TestRandom;

/** {@code hashdb scan --private} against a real server: same files found as a plain scan. */
class PrivateScanCommandTest {
  @TempDir Path tmp;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    return new CommandLine(new ScanCommand()).setOut(new PrintWriter(out))
        .setErr(new PrintWriter(err)).execute(args);
  }

  @Test
  void scanPrivate_plantedFiles_sameMatchesAsPlainScan_exitOne() throws Exception {
    Random r = TestRandom.random(4);
    Path root = Files.createDirectories(tmp.resolve("tree"));
    List<NewEntry> entries = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      byte[] b = new byte[200 + r.nextInt(3000)];
      r.nextBytes(b);
      Files.write(root.resolve("f" + i + ".dat"), b);
      if (i % 8 == 0) {
        HashType t = i % 16 == 0 ? HashType.SHA256 : HashType.MD5;
        byte[] h = MessageDigest.getInstance(t == HashType.MD5 ? "MD5" : "SHA-256").digest(b);
        entries.add(new NewEntry(t, h, "a", "c", ""));
      }
    }
    try (PsiTestServer s = new PsiTestServer(tmp.resolve("data"), entries, PsiSettings.defaults())) {
      int plain = run(root.toString(), "--server", s.baseUrl(), "--key", s.allKey, "--types",
          "md5,sha1,sha256", "--progress", "never");
      String plainOut = out.toString();
      int priv = run(root.toString(), "--server", s.baseUrl(), "--key", s.allKey, "--private",
          "--psi-key", s.psi.publicKeyHex(), "--progress", "never");
      String privOut = out.toString();
      assertThat(plain).as(err.toString()).isEqualTo(1);
      assertThat(priv).as(err.toString()).isEqualTo(1);
      for (int i = 0; i < 25; i++) {
        String f = root.resolve("f" + i + ".dat") + ": MATCH";
        assertThat(privOut.contains(f)).as("f%d", i).isEqualTo(plainOut.contains(f))
            .isEqualTo(i % 8 == 0);
      }
      assertThat(privOut).contains("list=(private)").contains("Matches: 4 in 4 files");

      // A pinned key the server does not serve: refused before scanning, exit 2.
      int wrong = run(root.toString(), "--server", s.baseUrl(), "--key", s.allKey, "--private",
          "--psi-key", "03e17e70604bcabe198882c0a1f27a92441e774224ed9c702e51dd17038b102462");
      assertThat(wrong).isEqualTo(2);
      assertThat(err.toString()).contains("not the pinned key");
    }
  }

  @Test
  void scanPrivate_usageErrors() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("t"));
    assertThat(run(root.toString(), "--server", "http://127.0.0.1:9", "--key", "k", "--private",
        "--types", "pdq")).isEqualTo(2);
    assertThat(err.toString()).contains("pdq cannot be looked up privately");
    assertThat(run(root.toString(), "--data", tmp.toString(), "--private")).isEqualTo(2);
    assertThat(err.toString()).contains("--private goes with --server");
    assertThat(run(root.toString(), "--server", "http://127.0.0.1:9", "--key", "k",
        "--psi-key", "02" + "11".repeat(32))).isEqualTo(2);
    assertThat(err.toString()).contains("--psi-key goes with --private");
    assertThat(run(root.toString(), "--server", "http://127.0.0.1:9", "--key", "k", "--private",
        "--psi-key", "02" + "ff".repeat(32))).isEqualTo(2);
    assertThat(err.toString()).contains("pinned OPRF key");
  }
}
