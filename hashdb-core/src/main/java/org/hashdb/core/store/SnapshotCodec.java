package org.hashdb.core.store;

import java.io.IOException;
import java.nio.file.Path;

/** Database content in snapshot sections. (Being wired in.) */
final class SnapshotCodec {
  private SnapshotCodec() {}

  static long export(HashDatabase db, Path file) throws IOException {
    throw new UnsupportedOperationException("snapshots land with the persist module");
  }
}
