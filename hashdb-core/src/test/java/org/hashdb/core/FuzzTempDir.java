package org.hashdb.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The scratch directory of fuzz targets that must hand a parser a file: on tmpfs ({@code
 * /dev/shm}) where there is one, so that an execution costs no disk I/O (the targets test
 * parsing, not durability); the default temporary directory otherwise.
 */
public final class FuzzTempDir {
  private static final Path SHM = Path.of("/dev/shm");

  private FuzzTempDir() {}

  /** A new directory, removed when the JVM exits if it is empty. */
  public static Path create(String prefix) {
    try {
      Path d = Files.isDirectory(SHM) && Files.isWritable(SHM)
          ? Files.createTempDirectory(SHM, prefix)
          : Files.createTempDirectory(prefix);
      d.toFile().deleteOnExit();
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
