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

  @Test
  void create_maxDistance_storedDefaultsByRoleAndChecked() throws Exception {
    KeyFile kf = new KeyFile(dir);
    String q = kf.create("q", Role.QUERY, null, 0);
    String a = kf.create("a", Role.ADMIN, null, 0);
    String r = kf.create("r", Role.REPLICA, null, 0);
    String tight = kf.create("tight", Role.QUERY, null, 0, 8);
    String wide = kf.create("wide", Role.QUERY, null, 0, 48);
    assertThatThrownBy(() -> kf.create("x", Role.QUERY, null, 0, 65))
        .hasMessageContaining("max distance must be in 0..64");
    assertThatThrownBy(() -> kf.create("y", Role.QUERY, null, 0, -1))
        .hasMessageContaining("max distance");
    assertThat(kf.read()).extracting(StoredKey::maxDistance).containsExactly(31, 64, 31, 8, 48);
    KeyRing ring = KeyRing.load(dir);
    assertThat(ring.authenticate("Bearer " + q).maxDistance()).isEqualTo(31);
    assertThat(ring.authenticate("Bearer " + a).maxDistance()).isEqualTo(64);
    assertThat(ring.authenticate("Bearer " + r).maxDistance()).isEqualTo(31);
    assertThat(ring.authenticate("Bearer " + tight).maxDistance()).isEqualTo(8);
    assertThat(ring.authenticate("Bearer " + wide).maxDistance()).isEqualTo(48);
    assertThat(KeyFile.describe(kf.read().get(3))).startsWith("tight\tquery\t*\tunlimited\t8\t");
  }

  @Test
  void read_keyFileWithoutMaxDistance_getsRoleDefault() throws Exception {
    KeyFile kf = new KeyFile(dir);
    String q = kf.create("q", Role.QUERY, null, 0);
    String a = kf.create("a", Role.ADMIN, null, 0);
    // a keys file written before the field existed
    String old = Files.readString(kf.path()).replaceAll("\\s*\"maxDistance\"\\s*:\\s*\\d+,", "");
    assertThat(old).doesNotContain("maxDistance");
    Files.writeString(kf.path(), old);
    assertThat(kf.read()).extracting(StoredKey::maxDistance).containsExactly(null, null);
    assertThat(kf.read()).extracting(StoredKey::distanceCeiling).containsExactly(31, 64);
    KeyRing ring = KeyRing.load(dir);
    assertThat(ring.authenticate("Bearer " + q).maxDistance()).isEqualTo(31);
    assertThat(ring.authenticate("Bearer " + a).maxDistance()).isEqualTo(64);
    // an edit keeps old records as they were and adds the new one with its ceiling
    kf.create("new", Role.QUERY, null, 0, 12);
    assertThat(kf.read()).extracting(StoredKey::distanceCeiling).containsExactly(31, 64, 12);
  }

  @Test
  void read_maxDistanceOutOfRange_refused() throws Exception {
    KeyFile kf = new KeyFile(dir);
    kf.create("q", Role.QUERY, null, 0, 20);
    Files.writeString(kf.path(), Files.readString(kf.path()).replace("\"maxDistance\" : 20",
        "\"maxDistance\" : 99"));
    assertThatThrownBy(kf::read).hasMessageContaining("maxDistance must be in 0..64, got 99");
  }
}
