package org.hashdb.core.db;

import org.hashdb.core.Accountable;
import org.hashdb.core.pdq.PdqIndex;

/**
 * The frames of the stored videos: one PDQ index over every frame hash of every video (the same
 * multi-index hashing as pdq entries), a column mapping each frame back to its video's ordinal,
 * and each video's frame count. A video's frames are appended contiguously, before the video
 * itself is published, so a reader that finds a frame can always resolve its video (and then
 * checks that the video is visible and live). Append-only, one writer.
 */
final class VideoFrames implements Accountable {
  final PdqIndex index = new PdqIndex();
  final IntColumn videoOf = new IntColumn(); // frame ordinal -> video ordinal
  final IntColumn frameCount = new IntColumn(); // video ordinal -> number of frames
  final IntColumn firstFrame = new IntColumn(); // video ordinal -> ordinal of its first frame

  /** Writer only: appends the frames of video {@code videoOrdinal}, which must be the next one. */
  void append(int videoOrdinal, byte[] frames) {
    if (videoOrdinal != frameCount.size()) {
      throw new IllegalStateException("video " + videoOrdinal + " appended out of order");
    }
    int n = frames.length / 32;
    if ((long) index.size() + n > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("the video frame index is full");
    }
    for (int i = 0; i < n; i++) {
      videoOf.append(videoOrdinal); // before the hash: a reader finding it resolves the video
      index.append(frames, i * 32);
    }
    firstFrame.append(index.size() - n);
    frameCount.append(n);
  }

  /** Loading: appends frame counts read from a snapshot (their hashes follow with {@link #loadHashes}). */
  void loadCounts(int[] counts, int off, int len) {
    for (int i = 0; i < len; i++) {
      int video = frameCount.size();
      int first = videoOf.size();
      for (int k = 0; k < counts[off + i]; k++) {
        videoOf.append(video);
      }
      firstFrame.append(first);
      frameCount.append(counts[off + i]);
    }
  }

  /** Copies the frames of video {@code ordinal} into a new array. */
  byte[] copyFrames(int ordinal) {
    int first = firstFrame.get(ordinal);
    byte[] out = new byte[frameCount.get(ordinal) * 32];
    for (int i = 0; i < out.length / 32; i++) {
      index.copyHash(first + i, out, i * 32);
    }
    return out;
  }

  /** Frames over all stored videos. */
  long frames() {
    return index.size();
  }

  @Override
  public long ramBytesUsed() {
    return Accountable.sum(index, videoOf, frameCount, firstFrame);
  }
}
