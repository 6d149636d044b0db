package org.hashdb.server.psi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.hashdb.core.disk.MasterKeyException;
import org.hashdb.core.disk.MasterKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OPRF key file is sealed under the master key when one is configured (issue 16). */
class OprfKeyStoreEncryptionTest {
  @TempDir Path tmp;

  @Test
  void withMasterKey_fileIsEncrypted_andNeedsTheKey() throws Exception {
    Path keyFile = tmp.resolve("m.key");
    MasterKeys.generate(keyFile);
    MasterKeys keys = MasterKeys.load(keyFile.toString());
    Path psi = Files.createDirectories(tmp.resolve("psi"));
    OprfKeyStore.Keys created = new OprfKeyStore(psi, keys).loadOrCreate(new SecureRandom(), 100);
    String hex = org.hashdb.core.hash.Hex.encode(created.current().privateKeyBytes());
    String raw = new String(Files.readAllBytes(psi.resolve(OprfKeyStore.FILE)), StandardCharsets.ISO_8859_1);
    assertThat(raw).startsWith("HDBX").doesNotContain(hex).doesNotContain("current");

    OprfKeyStore.Keys again = new OprfKeyStore(psi, keys).read();
    assertThat(again.current().privateKeyBytes()).isEqualTo(created.current().privateKeyBytes());
    assertThatThrownBy(() -> new OprfKeyStore(psi).read())
        .isInstanceOf(MasterKeyException.class).hasMessageContaining(OprfKeyStore.FILE);
  }

  @Test
  void plaintextFile_withMasterKey_isRewrittenEncrypted() throws Exception {
    Path psi = Files.createDirectories(tmp.resolve("psi"));
    OprfKeyStore.Keys plain = new OprfKeyStore(psi).loadOrCreate(new SecureRandom(), 100);
    assertThat(Files.readString(psi.resolve(OprfKeyStore.FILE))).contains("current");
    Path keyFile = tmp.resolve("m.key");
    MasterKeys.generate(keyFile);
    MasterKeys keys = MasterKeys.load(keyFile.toString());
    OprfKeyStore.Keys loaded = new OprfKeyStore(psi, keys).loadOrCreate(new SecureRandom(), 200);
    assertThat(loaded.current().privateKeyBytes()).isEqualTo(plain.current().privateKeyBytes());
    assertThat(new String(Files.readAllBytes(psi.resolve(OprfKeyStore.FILE)), StandardCharsets.ISO_8859_1))
        .startsWith("HDBX").doesNotContain("current");
  }
}
