package org.hashdb.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fuzzing findings in key records: an IOException naming the file; a reload keeps the old keys. */
class KeyRingDamageTest {
  @Test
  void reload_recordWithNonHexSalt_keepsPreviousKeys(@TempDir Path dir) throws IOException {
    KeyFile kf = new KeyFile(dir);
    String admin = kf.create("admin", Role.ADMIN, null, 0);
    KeyRing ring = KeyRing.load(dir);
    assertThat(ring.authenticate("Bearer " + admin)).isNotNull();
    String text = Files.readString(kf.path());
    String damaged = text.replaceFirst("\"salt\"\\s*:\\s*\"[0-9a-f]{8}", "\"salt\":\"zzzzzzzz");
    assertThat(damaged).isNotEqualTo(text);
    Files.writeString(kf.path(), damaged);
    Files.setLastModifiedTime(kf.path(), FileTime.fromMillis(System.currentTimeMillis() + 5000));
    assertThat(ring.reloadIfChanged()).isFalse(); // before the fix: IOException from the reload
    assertThat(ring.authenticate("Bearer " + admin)).isNotNull();
    assertThatThrownBy(() -> KeyRing.load(dir)).isInstanceOf(IOException.class)
        .hasMessageContaining(KeyFile.FILE_NAME);
  }

  /** KeyFileFuzzTest: a negative rate failed with RateLimiter's message, which named no file. */
  @Test
  void load_negativeRate_namesTheFile(@TempDir Path dir) throws IOException {
    KeyFile kf = new KeyFile(dir);
    String admin = kf.create("admin", Role.ADMIN, null, 0);
    KeyRing ring = KeyRing.load(dir);
    String text = Files.readString(kf.path());
    String damaged = text.replaceFirst("\"rate\"\\s*:\\s*0", "\"rate\":-1");
    assertThat(damaged).isNotEqualTo(text);
    Files.writeString(kf.path(), damaged);
    Files.setLastModifiedTime(kf.path(), FileTime.fromMillis(System.currentTimeMillis() + 5000));
    assertThat(ring.reloadIfChanged()).isFalse();
    assertThat(ring.authenticate("Bearer " + admin)).isNotNull();
    assertThatThrownBy(() -> KeyRing.load(dir)).isInstanceOf(IOException.class)
        .hasMessageContaining(KeyFile.FILE_NAME).hasMessageContaining("rate must be 0");
  }
}
