package org.hashdb.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.hashdb.core.content.FileHasher;
import org.hashdb.core.content.FileHashes;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.video.VideoHasher;
import org.hashdb.core.video.VideoMagic;
import org.hashdb.core.video.VpdqFrame;
import org.hashdb.core.video.VpdqMatchOptions;

/**
 * Looks hashes up in HashDB, over HTTP ({@link HashDbClient}) or in a local data directory
 * ({@link EmbeddedHashDb}); callers need not know which. Implementations are thread-safe. Every
 * call fails with a {@link HashDbException} (the async ones complete exceptionally with it).
 */
public interface HashLookup extends AutoCloseable {
  /** Every type the scanner and the convenience methods hash by default. */
  Set<HashType> ALL_TYPES = Set.copyOf(EnumSet.allOf(HashType.class));

  /** Looks up one hash. */
  default LookupResult lookup(Query query) {
    return join(lookupAsync(query));
  }

  /** Looks up one hash (PDQ at the default distance). */
  default LookupResult lookup(HashType type, byte[] value) {
    return lookup(Query.of(type, value));
  }

  /**
   * Looks up many hashes; {@code result.get(i)} answers {@code queries.get(i)}. Any number of
   * queries: the HTTP client splits them into batches within the server's limits.
   */
  default List<LookupResult> lookupAll(List<Query> queries) {
    return join(lookupAllAsync(queries));
  }

  /**
   * Membership only, for exact types: bit i is set when {@code values.get(i)} is on a visible
   * list. Cheapest per hash (binary, no entry details); any number of values.
   */
  default BitSet contains(HashType type, List<byte[]> values) {
    return join(containsAsync(type, values));
  }

  /**
   * Looks a video up by its vPDQ frames: the stored videos that match under {@code options} (null:
   * the server's defaults, which are Meta's vPDQ rule plus the excerpt rule), best first.
   */
  default List<VideoMatch> lookupVideo(List<VpdqFrame> frames, VpdqMatchOptions options) {
    return join(lookupVideoAsync(frames, options));
  }

  /** {@link #lookupVideo(List, VpdqMatchOptions)} with the server's default thresholds. */
  default List<VideoMatch> lookupVideo(List<VpdqFrame> frames) {
    return lookupVideo(frames, null);
  }

  CompletableFuture<List<VideoMatch>> lookupVideoAsync(List<VpdqFrame> frames, VpdqMatchOptions options);

  CompletableFuture<LookupResult> lookupAsync(Query query);

  CompletableFuture<List<LookupResult>> lookupAllAsync(List<Query> queries);

  CompletableFuture<BitSet> containsAsync(HashType type, List<byte[]> values);

  /** Hashes the file locally with every type (PDQ only for images) and looks the hashes up. */
  default ContentCheck checkFile(Path file) throws IOException {
    return checkFile(file, ALL_TYPES, Query.DEFAULT_DISTANCE);
  }

  /**
   * Hashes the file locally with {@code types} and looks the hashes up. A video (recognised by its
   * first bytes, whatever its name) is also decoded with FFmpeg and looked up by its vPDQ frames
   * when {@code types} holds vpdq; if it cannot be decoded (FFmpeg missing, damaged content, a
   * bound reached) this throws {@link org.hashdb.core.video.VideoDecodeException}: the file was
   * not checked, which is never reported as clean.
   */
  default ContentCheck checkFile(Path file, Set<HashType> types, int pdqMaxDistance) throws IOException {
    FileHashes hashes = new FileHasher(types).hash(file);
    VideoCheck video = null;
    if (types.contains(HashType.VPDQ) && VideoMagic.looksLikeVideo(file)) {
      List<VpdqFrame> frames = new VideoHasher().hash(file);
      video = new VideoCheck(frames, lookupVideo(frames));
    }
    return new ContentCheck(hashes, lookupAll(Query.forHashes(hashes, pdqMaxDistance)), video);
  }

  /** Hashes the stream (read to its end, not closed) locally and looks the hashes up. */
  default ContentCheck checkStream(InputStream in, Set<HashType> types, int pdqMaxDistance) throws IOException {
    FileHashes hashes = new FileHasher(types).hash(in);
    return new ContentCheck(hashes, lookupAll(Query.forHashes(hashes, pdqMaxDistance)));
  }

  /** Hashes the bytes locally with {@code types} and looks the hashes up. */
  default ContentCheck checkBytes(byte[] content, Set<HashType> types, int pdqMaxDistance) {
    FileHashes hashes;
    try {
      hashes = new FileHasher(types).hash(new ByteArrayInputStream(content));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array cannot fail to read
    }
    return new ContentCheck(hashes, lookupAll(Query.forHashes(hashes, pdqMaxDistance)));
  }

  /** Releases connections / the database. Idempotent. */
  @Override
  void close();

  /**
   * Waits for {@code f} and rethrows its {@link HashDbException} as is (not wrapped), so sync
   * callers catch the precise subclass.
   */
  static <T> T join(CompletableFuture<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new HashDbException("interrupted while waiting for the lookup", e);
    } catch (ExecutionException | CompletionException e) {
      Throwable c = e.getCause();
      if (c instanceof HashDbException h) {
        throw h;
      }
      if (c instanceof RuntimeException r) {
        throw r;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new HashDbException(String.valueOf(c), c);
    } catch (CancellationException e) {
      throw new HashDbException("lookup cancelled", e);
    }
  }
}
