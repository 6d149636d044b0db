package org.hashdb.core.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.hashdb.core.hash.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class X25519KeyPairTest {
  private static final HexFormat HEX = HexFormat.of();

  @TempDir Path tmp;

  @Test
  void agree_rfc7748Section6_1_publicKeysAndSharedSecretMatchVector() {
    X25519KeyPair alice = X25519KeyPair.fromPrivateKey(
        HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
    X25519KeyPair bob = X25519KeyPair.fromPrivateKey(
        HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
    assertThat(HEX.formatHex(alice.publicKey()))
        .isEqualTo("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    assertThat(HEX.formatHex(bob.publicKey()))
        .isEqualTo("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
    byte[] ab = new byte[32];
    byte[] ba = new byte[32];
    assertThat(alice.agree(bob.publicKey(), ab)).isTrue();
    assertThat(bob.agree(alice.publicKey(), ba)).isTrue();
    assertThat(HEX.formatHex(ab)).isEqualTo("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
    assertThat(ba).isEqualTo(ab);
    assertThat(alice.keyId()).isEqualTo(Hex.encode(Arrays.copyOf(ListReleaseFormat.sha256().digest(alice.publicKey()), 8)))
        .isEqualTo(X25519KeyPair.keyId(alice.publicKey())).hasSize(16);
  }

  @Test
  void writeAndRead_keyFiles_privateIsMode600AndRoundTrips() throws IOException {
    X25519KeyPair k = X25519KeyPair.generate();
    Path priv = tmp.resolve("eokm.key");
    Path pub = tmp.resolve("eokm.pub");
    k.writePrivateKey(priv);
    k.writePublicKey(pub, "EOKM recipient");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(priv))).isEqualTo("rw-------");
    assertThat(Files.readString(pub)).startsWith("x25519:").endsWith(" EOKM recipient\n");
    assertThat(X25519KeyPair.readPrivateKey(priv).publicKey()).isEqualTo(k.publicKey());
    assertThat(X25519KeyPair.readPublicKey(pub)).isEqualTo(k.publicKey());
    assertThat(X25519KeyPair.generate().publicKey()).isNotEqualTo(k.publicKey());
    assertThatThrownBy(() -> k.writePrivateKey(priv)).isInstanceOf(FileAlreadyExistsException.class);
    assertThatThrownBy(() -> k.writePublicKey(pub, "")).isInstanceOf(FileAlreadyExistsException.class);
  }

  @Test
  void toStringAndErrors_neverContainPrivateKey() throws IOException {
    X25519KeyPair k = X25519KeyPair.generate();
    Path priv = tmp.resolve("s.key");
    k.writePrivateKey(priv);
    String secret = Files.readString(priv).strip().substring(X25519KeyPair.PRIVATE_PREFIX.length());
    assertThat(k.toString()).contains(k.keyId()).doesNotContain(secret);
    // A private key given where a public one belongs: refused without echoing it.
    assertThatThrownBy(() -> X25519KeyPair.readPublicKey(priv))
        .hasMessageContaining("this is a private key").satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret));
    Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("rw-r-----"));
    assertThatThrownBy(() -> X25519KeyPair.readPrivateKey(priv)).hasMessageContaining("readable by others")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret));
  }

  @Test
  void readKeys_wrongKindOrMalformed_refusedNamingFileAndLine() throws IOException {
    Path edPub = tmp.resolve("sign.pub");
    Ed25519KeyPair.generate().writePublicKey(edPub, "signer");
    assertThatThrownBy(() -> X25519KeyPair.readPublicKey(edPub))
        .hasMessageContaining("sign.pub line 1").hasMessageContaining("signing key, not an encryption key");
    Path edKey = tmp.resolve("sign.key");
    Ed25519KeyPair.generate().writePrivateKey(edKey);
    assertThatThrownBy(() -> X25519KeyPair.readPrivateKey(edKey)).hasMessageContaining("not an x25519 private key");

    String good = "x25519:" + Base64.getEncoder().encodeToString(X25519KeyPair.generate().publicKey());
    assertThat(X25519KeyPair.parsePublicKey("# comment\n\n" + good + " name\n", "f")).hasSize(32);
    assertThatThrownBy(() -> X25519KeyPair.parsePublicKey(good + "\n" + good, "f"))
        .hasMessageContaining("f line 2: more than one key");
    assertThatThrownBy(() -> X25519KeyPair.parsePublicKey("# nothing\n", "f")).hasMessageContaining("no 'x25519:' public key");
    assertThatThrownBy(() -> X25519KeyPair.parsePublicKey("x25519:!!", "f")).hasMessageContaining("not valid base64");
    assertThatThrownBy(() -> X25519KeyPair.parsePublicKey("x25519:" + Base64.getEncoder().encodeToString(new byte[31]), "f"))
        .hasMessageContaining("32 bytes, got 31");
    // Small-order points (0 and 1): every shared secret with them is zero.
    for (byte[] weak : new byte[][] {new byte[32], HEX.parseHex("0100000000000000000000000000000000000000000000000000000000000000")}) {
      assertThatThrownBy(() -> X25519KeyPair.parsePublicKey("x25519:" + Base64.getEncoder().encodeToString(weak), "f"))
          .hasMessageContaining("small-order point");
    }
    Path shortKey = tmp.resolve("short.key");
    Files.writeString(shortKey, "x25519-private:" + Base64.getEncoder().encodeToString(new byte[16]), StandardCharsets.US_ASCII);
    Files.setPosixFilePermissions(shortKey, PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(() -> X25519KeyPair.readPrivateKey(shortKey)).hasMessageContaining("32 bytes, got 16");
    assertThatThrownBy(() -> X25519KeyPair.fromPrivateKey(new byte[33])).hasMessageContaining("32 bytes, got 33");
  }
}
