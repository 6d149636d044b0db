package org.hashdb.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFileTest {
  @TempDir Path dir;

  @Test
  void create_keyAuthenticatesWithRoleAndLists_secretNotStored() throws Exception {
    KeyFile kf = new KeyFile(dir);
    String key = kf.create("acme", Role.QUERY, List.of("eokm-nl"), 5);
    assertThat(key).startsWith("hdb_").hasSize(KeyFile.KEY_LENGTH);
    String file = Files.readString(kf.path());
    assertThat(file).doesNotContain(key.substring(21)).contains("\"acme\"");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kf.path())))
        .isEqualTo("rw-------");
    KeyRing ring = KeyRing.load(dir);
    ApiKey k = ring.authenticate("Bearer " + key);
    assertThat(k).isNotNull();
    assertThat(k.name()).isEqualTo("acme");
    assertThat(k.role()).isEqualTo(Role.QUERY);
    assertThat(k.lists()).containsExactly("eokm-nl");
    assertThat(k.rate()).isEqualTo(5);
    assertThat(ring.authenticate("bearer " + key)).isSameAs(k);
  }

  @Test
  void authenticate_wrongOrMalformed_null() throws Exception {
    KeyFile kf = new KeyFile(dir);
    String key = kf.create("a", Role.ADMIN, null, 0);
    KeyRing ring = KeyRing.load(dir);
    char last = key.charAt(key.length() - 1);
    String wrongSecret = key.substring(0, key.length() - 1) + (last == 'a' ? 'b' : 'a');
    char first = key.charAt(4);
    String wrongId = "hdb_" + (first == 'a' ? 'b' : 'a') + key.substring(5);
    for (String h : new String[] {null, "", key, "Bearer", "Bearer " + wrongSecret,
        "Bearer " + wrongId, "Basic " + key.substring(0, key.length()), "Bearer " + key + "x",
        "Bearer " + key.replace('_', '-')}) {
      assertThat(ring.authenticate(h)).as(String.valueOf(h)).isNull();
    }
  }

  @Test
  void revokeAndCreate_seenByReload() throws Exception {
    KeyFile kf = new KeyFile(dir);
    String a = kf.create("a", Role.QUERY, null, 0);
    KeyRing ring = KeyRing.load(dir);
    assertThat(ring.authenticate("Bearer " + a)).isNotNull();
    String b = kf.create("b", Role.REPLICA, null, 0);
    assertThat(kf.revoke("a")).isTrue();
    assertThat(kf.revoke("a")).isFalse();
    assertThat(ring.reloadIfChanged()).isTrue();
    assertThat(ring.authenticate("Bearer " + a)).isNull();
    assertThat(ring.authenticate("Bearer " + b).role()).isEqualTo(Role.REPLICA);
    assertThat(ring.reloadIfChanged()).isFalse();
    assertThat(kf.read()).extracting(StoredKey::name).containsExactly("b");
  }

  @Test
  void create_duplicateOrBadName_rejected() throws Exception {
    KeyFile kf = new KeyFile(dir);
    kf.create("a", Role.QUERY, null, 0);
    assertThatThrownBy(() -> kf.create("a", Role.QUERY, null, 0)).hasMessageContaining("already exists");
    assertThatThrownBy(() -> kf.create("bad name", Role.QUERY, null, 0)).hasMessageContaining("key name");
    assertThatThrownBy(() -> kf.create("x", Role.QUERY, List.of("bad list"), 0)).hasMessageContaining("list name");
    assertThatThrownBy(() -> kf.create("y", Role.QUERY, null, -1)).hasMessageContaining("rate");
  }

  @Test
  void reload_brokenFile_keepsPreviousKeys() throws Exception {
    KeyFile kf = new KeyFile(dir);
    String a = kf.create("a", Role.QUERY, null, 0);
    KeyRing ring = KeyRing.load(dir);
    Files.writeString(kf.path(), "{ broken");
    assertThat(ring.reloadIfChanged()).isFalse();
    assertThat(ring.authenticate("Bearer " + a)).isNotNull();
  }
}
