package org.hashdb.core.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustedKeysTest {
  @Test
  void parse_commentsBlankLinesAndNames_keysInOrder() {
    Ed25519KeyPair a = Ed25519KeyPair.generate();
    Ed25519KeyPair b = Ed25519KeyPair.generate();
    String text = "# suppliers\n\n" + TrustedKeys.format(a.publicKey(), "EOKM 2026") + "\r\n"
        + "  " + TrustedKeys.format(b.publicKey(), null) + "\n";
    TrustedKeys t = TrustedKeys.parse(text, "trust.pub");
    assertThat(t.keys()).extracting(TrustedKeys.Key::id).containsExactly(a.keyId(), b.keyId());
    assertThat(t.keys()).extracting(TrustedKeys.Key::name).containsExactly("EOKM 2026", "");
    assertThat(t.find(a.rawKeyId())).isSameAs(t.keys().get(0));
    assertThat(t.find(new byte[8])).isNull();
  }

  @Test
  void parse_malformedLines_refusedNamingFileAndLine() {
    String good = TrustedKeys.format(Ed25519KeyPair.generate().publicKey(), "x");
    assertThatThrownBy(() -> TrustedKeys.parse(good + "\nrsa:AAAA\n", "t.pub"))
        .hasMessage("t.pub line 2: expected 'ed25519:<base64 key> [name]'");
    assertThatThrownBy(() -> TrustedKeys.parse("ed25519:!!!", "t.pub")).hasMessageContaining("not valid base64");
    assertThatThrownBy(() -> TrustedKeys.parse("ed25519:" + Base64.getEncoder().encodeToString(new byte[31]), "t.pub"))
        .hasMessageContaining("32 bytes, got 31");
    assertThatThrownBy(() -> TrustedKeys.parse(Ed25519KeyPair.PRIVATE_PREFIX + "AAAA", "s.key"))
        .hasMessageContaining("this is a private key");
  }

  @Test
  void load_severalFiles_merged(@TempDir Path tmp) throws Exception {
    Ed25519KeyPair a = Ed25519KeyPair.generate();
    Ed25519KeyPair b = Ed25519KeyPair.generate();
    a.writePublicKey(tmp.resolve("a.pub"), "a");
    b.writePublicKey(tmp.resolve("b.pub"), "b");
    TrustedKeys t = TrustedKeys.load(tmp.resolve("a.pub"), tmp.resolve("b.pub"));
    assertThat(t.keys()).extracting(TrustedKeys.Key::id).containsExactly(a.keyId(), b.keyId());
    assertThat(Files.readString(tmp.resolve("a.pub"))).startsWith("ed25519:").endsWith(" a\n");
  }
}
