package org.hashdb.client;

import java.util.List;
import org.hashdb.core.video.VpdqFrame;

/**
 * The video part of a {@link ContentCheck}: the frames hashed on this host and the stored videos
 * they matched.
 *
 * @param frames the vPDQ frames of the content, in decoding order
 * @param matches matched stored videos; empty when none
 */
public record VideoCheck(List<VpdqFrame> frames, List<VideoMatch> matches) {
  public VideoCheck {
    frames = List.copyOf(frames);
    matches = List.copyOf(matches);
  }

  public boolean match() {
    return !matches.isEmpty();
  }
}
