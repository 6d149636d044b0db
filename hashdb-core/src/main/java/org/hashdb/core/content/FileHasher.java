package org.hashdb.core.content;

import org.hashdb.core.hash.HashType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.hashdb.core.pdq.ImageDecodeException;
import org.hashdb.core.pdq.PdqHash;
import org.hashdb.core.pdq.PdqHasher;

/**
 * Computes the requested hashes of a file's content in one pass over its bytes.
 *
 * <p>MD5, SHA-1 and SHA-256 read the content once through a 64 KiB buffer, in constant memory
 * whatever the size. PDQ is computed only when the first bytes look like an image (JPEG, PNG,
 * GIF, BMP, WebP, TIFF) and the content is at most {@link #maxImageBytes()} long: such content
 * is kept in memory during the same pass and decoded from there, so a file is read once. Content
 * that looks like an image but does not decode, or has more pixels than the {@link PdqHasher}'s
 * cap, gets no PDQ hash ({@link FileHashes#pdq()} null, quality -1) rather than an error.
 *
 * <p>Not thread-safe: use one instance per thread (it reuses its digests and buffers).
 */
public final class FileHasher {
  /** Default cap on the byte size of content that is decoded for PDQ: 64 MiB. */
  public static final long DEFAULT_MAX_IMAGE_BYTES = 64L << 20;

  private static final int BUFFER_BYTES = 64 << 10;
  /** Image buffers up to this size are kept for the next file. */
  private static final int RETAINED_IMAGE_BYTES = 8 << 20;

  private final MessageDigest md5; // null when not requested, likewise sha1, sha256
  private final MessageDigest sha1;
  private final MessageDigest sha256;
  private final PdqHasher pdqHasher; // null when PDQ is not requested
  private final long maxImageBytes;
  private final byte[] buffer = new byte[BUFFER_BYTES];
  private byte[] image = new byte[0]; // content of the current file while it may be an image
  private String imageProblem; // why the last file's image was not PDQ-hashed, or null

  /** Hashes with the given types, the default image byte cap and a default {@link PdqHasher}. */
  public FileHasher(Set<HashType> types) {
    this(types, DEFAULT_MAX_IMAGE_BYTES, new PdqHasher());
  }

  /**
   * @param types which of md5, sha1, sha256, pdq to compute (may be empty: size only)
   * @param maxImageBytes content longer than this is not decoded for PDQ, 0..2^31-16
   * @param pdqHasher decoder and hasher for PDQ, with its own pixel cap
   */
  public FileHasher(Set<HashType> types, long maxImageBytes, PdqHasher pdqHasher) {
    Objects.requireNonNull(types, "types");
    Objects.requireNonNull(pdqHasher, "pdqHasher");
    if (maxImageBytes < 0 || maxImageBytes > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(
          "maxImageBytes must be in 0.." + (Integer.MAX_VALUE - 16) + ", got " + maxImageBytes);
    }
    Set<HashType> t = types.isEmpty() ? EnumSet.noneOf(HashType.class) : EnumSet.copyOf(types);
    this.md5 = t.contains(HashType.MD5) ? digest("MD5") : null;
    this.sha1 = t.contains(HashType.SHA1) ? digest("SHA-1") : null;
    this.sha256 = t.contains(HashType.SHA256) ? digest("SHA-256") : null;
    this.pdqHasher = t.contains(HashType.PDQ) ? pdqHasher : null;
    this.maxImageBytes = maxImageBytes;
  }

  /** Largest content size that is decoded for PDQ. */
  public long maxImageBytes() {
    return maxImageBytes;
  }

  /**
   * Hashes a regular file (symbolic links are followed).
   *
   * @throws IOException the file cannot be read (missing, a directory or other non-regular
   *     file, permission, I/O error)
   */
  public FileHashes hash(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    if (Files.isDirectory(file)) {
      throw new IOException(file + " is a directory");
    }
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw new IOException(file + " is not a regular file"); // a FIFO or device could block
    }
    try (InputStream in = Files.newInputStream(file)) {
      return hash(in);
    }
  }

  /**
   * Why the last {@link #hash} call computed no PDQ hash for content that looks like an image:
   * over the byte cap, over the pixel or decode-memory budget, or the decoder failed with an
   * {@link Error} such as {@link OutOfMemoryError}. Null when PDQ was computed, not requested,
   * the content is no image, or it is a corrupt image (which nothing can display either). Such
   * a file was not fully checked: a scan reports it as an error.
   */
  public String imageProblem() {
    return imageProblem;
  }

  /** Hashes everything {@code in} yields up to its end; the stream is not closed. */
  public FileHashes hash(InputStream in) throws IOException {
    Objects.requireNonNull(in, "in");
    resetDigests();
    imageProblem = null;
    // Fill the first bytes fully so the image check never sees a short first read.
    int n = in.readNBytes(buffer, 0, ImageMagic.HEAD_BYTES);
    boolean keep = pdqHasher != null && ImageMagic.looksLikeImage(buffer, n);
    long size = 0;
    int kept = 0;
    while (n > 0) {
      update(buffer, n);
      if (keep) {
        if (size + n > maxImageBytes) {
          keep = false; // too big to decode: stop keeping, carry on digesting
          imageProblem = "image file over " + (maxImageBytes >> 20) + " MiB: not decoded for PDQ";
          releaseImageBuffer();
        } else {
          kept = keep(kept, n);
        }
      }
      size += n;
      n = in.read(buffer, 0, buffer.length);
    }
    byte[] pdq = null;
    int quality = -1;
    if (keep) {
      try {
        PdqHash h = pdqHasher.hash(image, 0, kept);
        pdq = h.hash();
        quality = h.quality();
      } catch (ImageDecodeException e) {
        // Corrupt: no PDQ hash. Over a size budget: no PDQ hash, and the caller is told.
        if (e.overLimit()) {
          imageProblem = e.getMessage();
        }
      } catch (OutOfMemoryError | StackOverflowError e) {
        // A decoder that exhausts memory or stack fails this file only; its buffers are garbage.
        image = new byte[0];
        imageProblem = "PDQ decoding failed: " + e;
      } catch (Error e) {
        imageProblem = "PDQ decoding failed: " + e;
      } finally {
        releaseImageBuffer();
      }
    }
    return new FileHashes(size, finish(md5), finish(sha1), finish(sha256), pdq, quality);
  }

  private int keep(int kept, int n) {
    if (kept + n > image.length) {
      long grown = Math.max((long) image.length * 2, kept + n);
      image = Arrays.copyOf(image, (int) Math.min(grown, maxImageBytes));
    }
    System.arraycopy(buffer, 0, image, kept, n);
    return kept + n;
  }

  private void releaseImageBuffer() {
    if (image.length > RETAINED_IMAGE_BYTES) {
      image = new byte[0];
    }
  }

  private void update(byte[] b, int n) {
    if (md5 != null) {
      md5.update(b, 0, n);
    }
    if (sha1 != null) {
      sha1.update(b, 0, n);
    }
    if (sha256 != null) {
      sha256.update(b, 0, n);
    }
  }

  private void resetDigests() {
    if (md5 != null) {
      md5.reset();
    }
    if (sha1 != null) {
      sha1.reset();
    }
    if (sha256 != null) {
      sha256.reset();
    }
  }

  private static byte[] finish(MessageDigest d) {
    return d == null ? null : d.digest();
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK lacks " + algorithm, e); // required of every JDK
    }
  }
}
