package org.hashdb.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.hashdb.core.hash.HashType;

/**
 * Hashes content on this host with the requested types, reading it once, streamed through a fixed
 * buffer (constant memory, whatever the size). Not thread-safe: it reuses its digests and buffer,
 * so use one instance per thread.
 */
public final class ContentHasher {
  private static final int BUFFER_BYTES = 256 * 1024;

  private final MessageDigest md5; // null when not requested
  private final MessageDigest sha1;
  private final MessageDigest sha256;
  private final boolean pdq;
  private final byte[] buffer = new byte[BUFFER_BYTES];

  /** @param types the hash types to compute; not empty */
  public ContentHasher(Set<HashType> types) {
    Objects.requireNonNull(types, "types");
    if (types.isEmpty()) {
      throw new IllegalArgumentException("types must not be empty");
    }
    EnumSet<HashType> t = EnumSet.copyOf(types);
    md5 = t.contains(HashType.MD5) ? digest("MD5") : null;
    sha1 = t.contains(HashType.SHA1) ? digest("SHA-1") : null;
    sha256 = t.contains(HashType.SHA256) ? digest("SHA-256") : null;
    pdq = t.contains(HashType.PDQ);
    if (pdq) {
      throw new UnsupportedOperationException("pdq hashing arrives with org.hashdb.core.hash.FileHasher");
    }
  }

  private static MessageDigest digest(String name) {
    try {
      return MessageDigest.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(name + " is required of every JDK", e);
    }
  }

  /** Hashes the file's content. */
  public ContentHashes hash(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return hash(in);
    }
  }

  /** Hashes the stream to its end; does not close it. */
  public ContentHashes hash(InputStream in) throws IOException {
    reset();
    long size = 0;
    int n;
    while ((n = in.read(buffer)) >= 0) {
      update(buffer, 0, n);
      size += n;
    }
    return finish(size);
  }

  /** Hashes the bytes. */
  public ContentHashes hash(byte[] content) {
    reset();
    update(content, 0, content.length);
    return finish(content.length);
  }

  private void reset() {
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

  private void update(byte[] b, int off, int len) {
    if (md5 != null) {
      md5.update(b, off, len);
    }
    if (sha1 != null) {
      sha1.update(b, off, len);
    }
    if (sha256 != null) {
      sha256.update(b, off, len);
    }
  }

  private ContentHashes finish(long size) {
    return new ContentHashes(
        size,
        md5 == null ? null : md5.digest(),
        sha1 == null ? null : sha1.digest(),
        sha256 == null ? null : sha256.digest(),
        null,
        0);
  }

}
