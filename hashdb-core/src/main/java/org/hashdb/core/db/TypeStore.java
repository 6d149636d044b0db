package org.hashdb.core.db;

import java.util.function.IntPredicate;
import org.hashdb.core.Accountable;
import org.hashdb.core.exact.ExactIndex;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.pdq.PdqHits;
import org.hashdb.core.pdq.PdqIndex;

/**
 * Everything stored for one hash type: the value index (exact table, or the PDQ near-duplicate
 * index) and the per-entry columns, all indexed by the type's dense ordinal. Append-only: one
 * writer appends, readers read ordinals below the count published in {@link State}.
 */
final class TypeStore implements Accountable {
  final HashType type;
  private final ExactIndex exact; // exact types
  private final PdqIndex pdq; // perceptual types
  private final VideoFrames video; // vpdq: the frames of each video
  private final PdqHits writerHits = new PdqHits(); // writer-only scratch for duplicate checks

  final ShortColumn listIds = new ShortColumn();
  final IntColumn categoryIds = new IntColumn();
  final IntColumn sourceIds = new IntColumn();
  final IntColumn addedAt = new IntColumn(); // unsigned Unix seconds

  TypeStore(HashType type) {
    this.type = type;
    this.exact = type.isExact() ? new ExactIndex(type.byteLength()) : null;
    this.pdq = type.isExact() ? null : new PdqIndex();
    this.video = type.isVideo() ? new VideoFrames() : null;
  }

  /** Writer only: appends an entry, returns its ordinal. */
  int append(byte[] value, int off, int listId, int categoryId, int sourceId, long addedAtSeconds) {
    // The database checks capacity before logging; checked again here, before any column grows,
    // so that a bug can never leave the columns of different lengths.
    if (listIds.size() >= EntryIds.MAX_PER_TYPE) {
      throw new CapacityExceededException(type + " holds the maximum of " + EntryIds.MAX_PER_TYPE + " entries");
    }
    // Columns first: a reader that finds the ordinal through the index may read them at once.
    listIds.append(listId);
    categoryIds.append(categoryId);
    sourceIds.append(sourceId);
    addedAt.append((int) addedAtSeconds);
    return appendValue(value, off);
  }

  /**
   * Writer only: appends a video entry and its frames (canonical form, checked by the caller);
   * the frames first, so that the video's ordinal resolves once any reader can see it.
   */
  int appendVideo(byte[] value, byte[] frames, int listId, int categoryId, int sourceId,
      long addedAtSeconds) {
    video.append(listIds.size(), frames);
    return append(value, 0, listId, categoryId, sourceId, addedAtSeconds);
  }

  private int appendValue(byte[] value, int off) {
    int ord = exact != null ? exact.append(value, off) : pdq.append(value, off);
    assert ord == listIds.size() - 1 : ord;
    return ord;
  }

  /** Writer only: number of appended entries. */
  int size() {
    return listIds.size();
  }

  /**
   * Calls {@code visitor} for every stored ordinal whose value equals {@code value} (newest first
   * for exact types). Works for readers and the writer; {@code hits} is scratch for pdq.
   */
  void forEachEqual(byte[] value, int off, PdqHits hits, IntPredicate visitor) {
    if (exact != null) {
      for (int o = exact.find(value, off); o >= 0; o = exact.nextSameKey(o)) {
        if (!visitor.test(o)) {
          return;
        }
      }
    } else {
      pdq.search(value, off, 0, o -> true, hits);
      for (int i = 0; i < hits.size(); i++) {
        if (!visitor.test(hits.ordinal(i))) {
          return;
        }
      }
    }
  }

  ExactIndex exactIndex() {
    return exact;
  }

  PdqIndex pdqIndex() {
    return pdq;
  }

  /** The video frames (vpdq only, else null). */
  VideoFrames video() {
    return video;
  }

  PdqHits writerHits() {
    return writerHits;
  }

  void copyValue(int ordinal, byte[] dst, int off) {
    if (exact != null) {
      exact.copyKey(ordinal, dst, off);
    } else {
      pdq.copyHash(ordinal, dst, off);
    }
  }

  /** Bytes of the value index: exact table or PDQ index, and the video frames. */
  long indexBytes() {
    return Accountable.sum(exact, pdq, video);
  }

  /** Bytes of the per-entry columns. */
  long metadataBytes() {
    return Accountable.sum(listIds, categoryIds, sourceIds, addedAt);
  }

  @Override
  public long ramBytesUsed() {
    return indexBytes() + metadataBytes();
  }
}
