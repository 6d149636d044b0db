package org.hashdb.client.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;

/**
 * Reads an API key given as {@code --key-file FILE} (the commands that call a server: {@code scan},
 * {@code backup}): its first line, trimmed, so the key stays out of shell history and ps.
 */
public final class KeyFileOption {
  private KeyFileOption() {}

  /**
   * The key in {@code file}; an empty file is a usage error of {@code cl}, a missing one an
   * {@link IOException} (the command's error line names the file).
   */
  public static String read(CommandLine cl, Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    String k = lines.isEmpty() ? "" : lines.get(0).trim();
    if (k.isEmpty()) {
      throw new CommandLine.ParameterException(cl, "--key-file " + file + " is empty");
    }
    return k;
  }
}
