package org.hashdb.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.hashdb.core.disk.SnapshotFiles;
import org.hashdb.core.disk.SnapshotFormat;

/**
 * The backup file: a ZIP (entries stored, not compressed: hashes do not compress) holding a
 * snapshot under the name the loader reads, the keys file when available, the server settings
 * when present, and a manifest ({@value #MANIFEST}) saying what is in it and what is not.
 * Restoring it is unzipping it into an empty directory; {@code hashdb restore} also checks it.
 */
final class BackupArchive {
  static final String MANIFEST = "hashdb-backup.json";
  static final String KEYS = "keys.json";
  static final String SETTINGS = ServeCommand.CONFIG_FILE;
  /** What a backup never holds, and why; printed by backup and restore and in the manifest. */
  static final List<String> NEVER_INCLUDED = List.of(
      "audit.jsonl and access.jsonl (logs: archive them with your logs; a restored directory starts new ones)",
      "the write-ahead log (the snapshot already holds every change up to its sequence)");

  private static final ObjectMapper JSON = new ObjectMapper();

  private BackupArchive() {}

  /** Writes the archive to {@code out} atomically (temp file, fsync, rename), readable by the owner only. */
  static void write(Path out, Path snapshot, long sequence, Map<String, Path> extras, String source,
      List<String> notIncluded) throws IOException {
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      try (OutputStream os = Files.newOutputStream(tmp, StandardOpenOption.WRITE);
          ZipOutputStream zip = new ZipOutputStream(os)) {
        ObjectNode m = JSON.createObjectNode();
        m.put("format", 1);
        m.put("sequence", sequence);
        m.put("createdAt", Instant.now().toString());
        m.put("source", source);
        m.put("snapshot", SnapshotFormat.fileName(sequence));
        m.putArray("files").add(SnapshotFormat.fileName(sequence));
        extras.keySet().forEach(((com.fasterxml.jackson.databind.node.ArrayNode) m.get("files"))::add);
        var not = m.putArray("notIncluded");
        notIncluded.forEach(not::add);
        stored(zip, MANIFEST, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(m));
        stored(zip, SnapshotFormat.fileName(sequence), snapshot);
        for (Map.Entry<String, Path> e : extras.entrySet()) {
          stored(zip, e.getKey(), e.getValue());
        }
      }
      try (var ch = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      try {
        Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    e.setCrc(crc.getValue());
    zip.putNextEntry(e);
    zip.write(data);
    zip.closeEntry();
  }

  private static void stored(ZipOutputStream zip, String name, Path file) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(Files.size(file));
    e.setCrc(crc(file)); // STORED needs the CRC before the data: one extra read of the file
    zip.putNextEntry(e);
    Files.copy(file, zip);
    zip.closeEntry();
  }

  private static long crc(Path file) throws IOException {
    CRC32 crc = new CRC32();
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        crc.update(buf, 0, n);
      }
    }
    return crc.getValue();
  }

  /** True when {@code file} starts like a ZIP archive (else it may be a bare snapshot). */
  static boolean isArchive(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(4);
      return head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    }
  }

  /** What an archive held: file names written to the directory, and its manifest. */
  record Extracted(List<String> files, JsonNode manifest) {}

  /**
   * Unzips the archive into {@code dir} (which must exist and be empty). Only the names a backup
   * writes are accepted (no paths, so nothing lands outside {@code dir}); files are owner-only.
   */
  static Extracted extract(Path archive, Path dir) throws IOException {
    List<String> written = new ArrayList<>();
    JsonNode manifest = null;
    try (ZipInputStream zip = new ZipInputStream(new BufferedInputStream(Files.newInputStream(archive)))) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        String name = e.getName();
        if (name.equals(MANIFEST)) {
          manifest = JSON.readTree(zip.readNBytes(1 << 20));
          continue;
        }
        boolean known = name.equals(KEYS) || name.equals(SETTINGS) || SnapshotFiles.sequenceOf(Path.of(name)) >= 0;
        if (!known || name.contains("/") || name.contains("\\")) {
          throw new IOException(archive + " is not a HashDB backup: unexpected entry '" + name + "'");
        }
        Path target = dir.resolve(name);
        Files.createFile(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream os = Files.newOutputStream(target, StandardOpenOption.WRITE)) {
          zip.transferTo(os);
        }
        written.add(name);
      }
    } catch (java.util.zip.ZipException e) {
      throw new IOException(archive + " is not a readable HashDB backup: " + e.getMessage(), e);
    }
    if (manifest == null) {
      throw new IOException(archive + " is not a HashDB backup: no " + MANIFEST);
    }
    return new Extracted(written, manifest);
  }

  static Map<String, Path> extrasOf(Path dataDir) {
    Map<String, Path> extras = new LinkedHashMap<>();
    if (dataDir != null) {
      for (String name : List.of(KEYS, SETTINGS)) {
        if (Files.isRegularFile(dataDir.resolve(name))) {
          extras.put(name, dataDir.resolve(name));
        }
      }
    }
    return extras;
  }
}
