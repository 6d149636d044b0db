package org.hashdb.server.psi;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hashdb.core.disk.MasterKeys;
import org.hashdb.core.disk.SecretFiles;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;
import org.hashdb.core.psi.VoprfServer;

/**
 * The OPRF keys of a data directory, in {@code psi/oprf-keys} (mode 600, refused when group or
 * others may read it): the current key, optionally the previous one with the time it retires,
 * and optionally the next one while its PRF outputs are being computed. One line each:
 * {@code current <hex scalar> <epoch seconds>}. Encrypted under the data directory's master key
 * when one is configured ({@link SecretFiles}; a plaintext file is rewritten encrypted when it is
 * loaded), plain text otherwise. Messages name the file, never quote it. Not thread-safe: {@link
 * PsiService} serializes use.
 */
final class OprfKeyStore {
  static final String FILE = "oprf-keys";

  /** The role the file's data key is bound to (a file renamed from elsewhere does not open). */
  private static final String ROLE = "psi/" + FILE;

  private final Path file;
  private final MasterKeys keys;

  OprfKeyStore(Path psiDir) {
    this(psiDir, MasterKeys.none());
  }

  OprfKeyStore(Path psiDir, MasterKeys keys) {
    this.file = psiDir.resolve(FILE);
    this.keys = keys;
  }

  Path file() {
    return file;
  }

  /** The key set: loads the file, or creates one with a fresh current key. */
  Keys loadOrCreate(SecureRandom random, long nowSeconds) throws IOException {
    if (Files.exists(file)) {
      Keys k = read();
      if (keys.encrypting() && !SecretFiles.isEncrypted(file)) {
        write(k); // migration: the plaintext key file is replaced by an encrypted one
        System.getLogger(OprfKeyStore.class.getName()).log(System.Logger.Level.WARNING,
            "OPRF key file " + file + " was plaintext; rewritten encrypted under master key "
            + keys.current().id());
      }
      return k;
    }
    org.hashdb.core.disk.PrivateFiles.createDirectories(file.getParent());
    Keys k = new Keys(VoprfServer.generate(random), nowSeconds, null, 0, null);
    write(k);
    return k;
  }

  Keys read() throws IOException {
    if (isPosix()) {
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
      if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
        throw new IOException("OPRF key file " + file + " is readable by others (mode "
            + PosixFilePermissions.toString(p) + "); chmod 600 it");
      }
    }
    VoprfServer current = null;
    long created = 0;
    VoprfServer previous = null;
    long retire = 0;
    VoprfServer next = null;
    int lineNo = 0;
    String text = new String(SecretFiles.read(file, keys, ROLE), StandardCharsets.US_ASCII);
    for (String line : text.split("\n")) {
      lineNo++;
      line = line.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split(" ");
      if (f.length != 3 || f[1].length() != 64) {
        throw new IOException(file + " line " + lineNo + ": expected '<role> <64 hex> <seconds>'");
      }
      VoprfServer key;
      long t;
      try {
        key = new VoprfServer(new BigInteger(f[1], 16));
        t = Long.parseLong(f[2]);
      } catch (IllegalArgumentException e) {
        throw new IOException(file + " line " + lineNo + ": not a valid key");
      }
      switch (f[0]) {
        case "current" -> {
          current = key;
          created = t;
        }
        case "previous" -> {
          previous = key;
          retire = t;
        }
        case "next" -> next = key;
        default -> throw new IOException(file + " line " + lineNo + ": unknown role '" + f[0] + "'");
      }
    }
    if (current == null) {
      throw new IOException(file + ": no current key");
    }
    return new Keys(current, created, previous, retire, next);
  }

  /** Replaces the file atomically (fsynced, mode 600 from creation). */
  void write(Keys k) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("# HashDB OPRF keys (RFC 9497 P256-SHA256, modeVOPRF). Secret: keep mode 600.\n");
    line(sb, "current", k.current, k.createdSeconds);
    if (k.previous != null) {
      line(sb, "previous", k.previous, k.previousRetiresSeconds);
    }
    if (k.next != null) {
      line(sb, "next", k.next, 0);
    }
    byte[] plain = sb.toString().getBytes(StandardCharsets.US_ASCII);
    byte[] bytes = SecretFiles.seal(keys, ROLE, plain);
    java.util.Arrays.fill(plain, (byte) 0);
    Path tmp = file.resolveSibling(FILE + ".tmp");
    Files.deleteIfExists(tmp);
    if (isPosix()) {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
    }
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    } finally {
      java.util.Arrays.fill(bytes, (byte) 0);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void line(StringBuilder sb, String role, VoprfServer key, long t) {
    sb.append(role).append(' ')
        .append(org.hashdb.core.hash.Hex.encode(key.privateKeyBytes())).append(' ').append(t)
        .append('\n');
  }

  private boolean isPosix() {
    return file.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /** An immutable key set. */
  record Keys(VoprfServer current, long createdSeconds, VoprfServer previous,
      long previousRetiresSeconds, VoprfServer next) {}
}
