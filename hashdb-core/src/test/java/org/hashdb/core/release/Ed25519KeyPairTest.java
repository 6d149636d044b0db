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
import java.util.HexFormat;
import org.hashdb.core.hash.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Ed25519KeyPairTest {
  @TempDir Path tmp;

  @Test
  void fromSeed_rfc8032Test1_publicKeyAndSignatureMatchVector() {
    // RFC 8032 section 7.1, TEST 1 (empty message).
    HexFormat hex = HexFormat.of();
    Ed25519KeyPair k = Ed25519KeyPair.fromSeed(hex.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    assertThat(hex.formatHex(k.publicKey())).isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    assertThat(hex.formatHex(k.sign(new byte[0]))).isEqualTo("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
        + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    byte[] id = Arrays.copyOf(ListReleaseFormat.sha256().digest(k.publicKey()), 8);
    assertThat(k.keyId()).isEqualTo(Hex.encode(id)).hasSize(16);
  }

  @Test
  void writeAndRead_keyFiles_privateIsMode600AndRoundTrips() throws IOException {
    Ed25519KeyPair k = Ed25519KeyPair.generate();
    Path priv = tmp.resolve("s.key");
    Path pub = tmp.resolve("s.pub");
    k.writePrivateKey(priv);
    k.writePublicKey(pub, "EOKM test key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(priv))).isEqualTo("rw-------");
    Ed25519KeyPair back = Ed25519KeyPair.readPrivateKey(priv);
    assertThat(back.publicKey()).isEqualTo(k.publicKey());
    TrustedKeys t = TrustedKeys.load(pub);
    assertThat(t.keys()).singleElement().satisfies(key -> {
      assertThat(key.id()).isEqualTo(k.keyId());
      assertThat(key.name()).isEqualTo("EOKM test key");
    });
    byte[] msg = "header".getBytes(StandardCharsets.US_ASCII);
    assertThat(TrustedKeys.verify(t.keys().get(0), msg, back.sign(msg))).isTrue();
    assertThat(Ed25519KeyPair.generate().publicKey()).isNotEqualTo(k.publicKey());
    assertThatThrownBy(() -> k.writePrivateKey(priv)).isInstanceOf(FileAlreadyExistsException.class);
  }

  @Test
  void readPrivateKey_readableByOthersOrNotAKey_refused() throws IOException {
    Path priv = tmp.resolve("s.key");
    Ed25519KeyPair.generate().writePrivateKey(priv);
    Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> Ed25519KeyPair.readPrivateKey(priv)).hasMessageContaining("readable by others");
    Path pub = tmp.resolve("s.pub");
    Ed25519KeyPair.generate().writePublicKey(pub, "");
    Files.setPosixFilePermissions(pub, PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(() -> Ed25519KeyPair.readPrivateKey(pub)).hasMessageContaining("not an ed25519 private key");
    assertThatThrownBy(() -> Ed25519KeyPair.fromSeed(new byte[31])).hasMessageContaining("32 bytes, got 31");
  }
}
