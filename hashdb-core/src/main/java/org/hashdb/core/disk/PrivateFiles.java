package org.hashdb.core.disk;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Files only their owner can read. The data directory holds every listed hash (write-ahead log,
 * snapshots), key hashes and logs of what matched, so it is mode 700 and every file in it 600,
 * whatever the process umask: files are created with these permissions as an attribute of the
 * creating call (never widened then narrowed with a chmod, which would leave a window), and
 * {@link #secureDirectory} repairs a directory made by an older version or by hand. On file
 * systems without POSIX permissions the calls fall back to the plain ones.
 */
public final class PrivateFiles {
  private static final System.Logger LOG = System.getLogger(PrivateFiles.class.getName());
  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  /** rw------- */
  public static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
  /** rwx------ */
  public static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private PrivateFiles() {}

  private static FileAttribute<?>[] fileAttrs() {
    return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)}
        : new FileAttribute<?>[0];
  }

  private static FileAttribute<?>[] dirAttrs() {
    return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(DIR_MODE)}
        : new FileAttribute<?>[0];
  }

  /** Creates {@code dir} and missing parents with mode 700 (existing ones are left alone). */
  public static Path createDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return dir;
    }
    return Files.createDirectories(dir, dirAttrs());
  }

  /** {@link FileChannel#open}; a file it creates gets mode 600. */
  public static FileChannel open(Path file, OpenOption... options) throws IOException {
    return FileChannel.open(file, Set.of(options), fileAttrs());
  }

  /** An output stream; a file it creates gets mode 600. */
  public static OutputStream newOutputStream(Path file, OpenOption... options) throws IOException {
    return Channels.newOutputStream(open(file, options));
  }

  /** Creates a new empty file with mode 600; fails if it exists. */
  public static Path createFile(Path file) throws IOException {
    return Files.createFile(file, fileAttrs());
  }

  /** A new temporary file in {@code dir} with mode 600. */
  public static Path createTempFile(Path dir, String prefix, String suffix) throws IOException {
    return Files.createTempFile(dir, prefix, suffix, fileAttrs());
  }

  /** Makes a creation or rename in {@code dir} durable (a no-op where directories cannot be opened). */
  public static void syncDirectory(Path dir) throws IOException {
    FileSync.fsyncDirectory(dir);
  }

  /**
   * Creates the data directory {@code dir} (mode 700) or, when it exists, repairs it: the
   * directory back to 700 and every file and directory in it that others could use back to 600
   * (700), each repair logged at WARNING with the old mode. Symbolic links are not followed.
   *
   * @return the number of repaired paths
   */
  public static int secureDirectory(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      createDirectories(dir);
      return 0;
    }
    if (!POSIX) {
      return 0;
    }
    int repaired = repair(dir, DIR_MODE) ? 1 : 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        if (Files.isSymbolicLink(p)) {
          continue;
        }
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          repaired += secureDirectory(p);
        } else if (repair(p, FILE_MODE)) {
          repaired++;
        }
      }
    }
    return repaired;
  }

  /** Removes group and other permissions from {@code p}; true when it had some. */
  private static boolean repair(Path p, Set<PosixFilePermission> mode) throws IOException {
    Set<PosixFilePermission> now = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
    if (now.stream().noneMatch(OTHERS::contains)) {
      return false;
    }
    try {
      Files.setPosixFilePermissions(p, mode);
    } catch (FileSystemException e) {
      throw new IOException(p + " is readable by others (" + PosixFilePermissions.toString(now)
          + ") and cannot be made private: " + e.getMessage()
          + " (run as its owner, or chmod it to " + PosixFilePermissions.toString(mode) + ")", e);
    }
    LOG.log(System.Logger.Level.WARNING, "{0} was readable by others ({1}): changed to {2}", p,
        PosixFilePermissions.toString(now), PosixFilePermissions.toString(mode));
    return true;
  }

  /** True when {@code p}'s permissions give nothing to group or others (always on non-POSIX). */
  public static boolean isPrivate(Path p) throws IOException {
    return !POSIX || Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS).stream()
        .noneMatch(OTHERS::contains);
  }
}
