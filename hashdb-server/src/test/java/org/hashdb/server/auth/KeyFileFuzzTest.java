package org.hashdb.server.auth;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The key file ({@code keys.json}): a damaged file is an IOException naming it, nothing else. */
class KeyFileFuzzTest {
  private static final Path DIR = tempDir();

  private static Path tempDir() {
    try {
      // tmpfs where there is one: an execution writes the file, the target tests its parser
      Path shm = Path.of("/dev/shm");
      return Files.isDirectory(shm) && Files.isWritable(shm)
          ? Files.createTempDirectory(shm, "hashdb-fuzz-keys")
          : Files.createTempDirectory("hashdb-fuzz-keys");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @FuzzTest(maxDuration = "2m")
  void keysJson(byte[] input) throws IOException {
    Files.write(DIR.resolve(KeyFile.FILE_NAME), input);
    try {
      new KeyFile(DIR).read();
      KeyRing.load(DIR);
    } catch (IOException e) {
      if (!e.getMessage().contains(KeyFile.FILE_NAME)) {
        throw e;
      }
    }
  }
}
