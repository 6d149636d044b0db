package org.hashdb.server.psi;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.psi.PsiInput;

/**
 * The sidecar file that saves a {@link PrfTable} across restarts, {@code psi/prf-<key id>.bin}:
 * <pre>
 *   magic "HDBPRF01" | public key (33) | record count (8, big-endian)
 *   records: type ordinal (1) | raw hash, zero-padded (32) | output (32)
 *   CRC32C of everything before (4, big-endian)
 * </pre>
 * Buckets are not stored: they are recomputed from the hash on load, so a changed
 * {@code bucketBits} needs no recomputation of outputs. A sidecar rather than a snapshot section
 * because the outputs are derivable from the key and the entries: a missing, stale or damaged
 * file costs only recomputation, and the snapshot format stays independent of the OPRF key.
 */
final class PrfTableFile {
  private static final byte[] MAGIC = "HDBPRF01".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private PrfTableFile() {}

  /** File name for the key with public key {@code pk}: the first 8 bytes, hex. */
  static Path path(Path psiDir, byte[] pk) {
    return psiDir.resolve("prf-" + org.hashdb.core.hash.Hex.encode(pk, 1, 8) + ".bin");
  }

  /** Writes atomically (temporary file, fsync, rename). Call from the table's writer thread. */
  static void write(Path file, byte[] pk, PrfTable table) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    CRC32C crc = new CRC32C();
    long n = 0;
    for (Map.Entry<Long, byte[]> e : table.entries()) {
      n += e.getValue().length / PrfTable.RECORD;
    }
    try (OutputStream fo = org.hashdb.core.disk.PrivateFiles.newOutputStream(tmp, // mode 600
            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING,
            java.nio.file.StandardOpenOption.WRITE);
        CheckedOutputStream co = new CheckedOutputStream(new BufferedOutputStream(fo, 1 << 16), crc);
        DataOutputStream out = new DataOutputStream(co)) {
      out.write(MAGIC);
      out.write(pk);
      out.writeLong(n);
      for (Map.Entry<Long, byte[]> e : table.entries()) { // the caller is the table's writer
        out.write(e.getValue());
      }
      out.flush();
      long value = crc.getValue();
      fo.write(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8),
          (byte) value});
    }
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp,
        java.nio.file.StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Loads {@code file} into a new table with {@code bucketBits}, or returns null when it is
   * missing, for another key, or damaged (the caller recomputes).
   */
  static PrfTable read(Path file, byte[] pk, int bucketBits) throws IOException {
    if (!Files.exists(file)) {
      return null;
    }
    long size = Files.size(file);
    CRC32C crc = new CRC32C();
    PrfTable table = new PrfTable(bucketBits);
    try (InputStream fi = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        CheckedInputStream ci = new CheckedInputStream(fi, crc);
        DataInputStream in = new DataInputStream(ci)) {
      byte[] magic = new byte[MAGIC.length];
      in.readFully(magic);
      byte[] filePk = new byte[pk.length];
      in.readFully(filePk);
      if (!Arrays.equals(magic, MAGIC) || !Arrays.equals(filePk, pk)) {
        return null;
      }
      long n = in.readLong();
      if (n < 0 || n * PrfTable.RECORD + MAGIC.length + pk.length + 12 != size) {
        return null;
      }
      byte[] rec = new byte[PrfTable.RECORD];
      byte[][] raws = new byte[HashType.values().length][];
      for (long i = 0; i < n; i++) {
        in.readFully(rec);
        if (rec[0] < 0 || rec[0] >= raws.length || !HashType.ofOrdinal(rec[0]).isExact()) {
          return null;
        }
        HashType t = HashType.ofOrdinal(rec[0]);
        byte[] raw = Arrays.copyOfRange(rec, 1, 1 + t.byteLength());
        long bucket = PsiInput.bucket(PsiInput.of(t, raw), bucketBits);
        if (!table.contains(bucket, t, raw)) {
          table.add(bucket, t, raw, Arrays.copyOfRange(rec, 1 + PrfTable.RAW, PrfTable.RECORD));
        }
      }
      long expected = crc.getValue();
      byte[] stored = new byte[4];
      if (fi.readNBytes(stored, 0, 4) != 4) { // the CRC itself, read past the checked stream
        return null;
      }
      long actual = ((stored[0] & 0xFFL) << 24) | ((stored[1] & 0xFFL) << 16)
          | ((stored[2] & 0xFFL) << 8) | (stored[3] & 0xFFL);
      return actual == expected ? table : null;
    } catch (EOFException e) {
      return null;
    }
  }
}
