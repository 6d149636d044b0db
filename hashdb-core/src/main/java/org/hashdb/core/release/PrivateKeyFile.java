package org.hashdb.core.release;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;

/**
 * The private key file of {@link Ed25519KeyPair} and {@link X25519KeyPair}: one line
 * {@code <prefix><base64 of the raw key>}, created with mode 600 and refused, like ssh does, when
 * group or others can read it. The file's text is a secret: messages name the file, never quote it.
 */
final class PrivateKeyFile {
  private PrivateKeyFile() {}

  /** The raw key of {@code file}, which must hold one {@code prefix} line of {@code keyBytes}. */
  static byte[] read(Path file, String prefix, String algorithm, int keyBytes) throws IOException {
    if (isPosix(file)) {
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
      if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
        throw new IOException("private key " + file + " is readable by others (mode "
            + PosixFilePermissions.toString(p) + "); chmod 600 it");
      }
    }
    String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    if (!text.startsWith(prefix)) {
      throw new IOException(
          file + " is not an " + algorithm + " private key file (expected '" + prefix + "...')");
    }
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(text.substring(prefix.length()).strip());
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": private key is not valid base64");
    }
    if (raw.length != keyBytes) {
      throw new IOException(file + ": private key must have " + keyBytes + " bytes, got " + raw.length);
    }
    return raw;
  }

  /** Writes {@code raw} to a new file with mode 600 (set at creation, never wider). */
  static void write(Path file, String prefix, byte[] raw) throws IOException {
    byte[] line = (prefix + Base64.getEncoder().encodeToString(raw) + "\n")
        .getBytes(StandardCharsets.US_ASCII);
    try {
      if (isPosix(file)) {
        Files.createFile(file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE)) {
          out.write(line);
        }
      } else {
        Files.write(file, line, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      }
    } finally {
      Arrays.fill(line, (byte) 0);
    }
  }

  private static boolean isPosix(Path file) {
    return file.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
