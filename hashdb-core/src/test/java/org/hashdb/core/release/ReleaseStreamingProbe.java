package org.hashdb.core.release;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hashdb.core.db.NewEntry;

/**
 * Run in a child JVM with a small heap by {@link ListReleaseLargeTest}: verifies a release and
 * streams every entry, printing {@code rows xor} (a checksum of the values) on success.
 * Arguments: release file, trust file, spool directory.
 */
public final class ReleaseStreamingProbe {
  private ReleaseStreamingProbe() {}

  public static void main(String[] args) throws Exception {
    long rows = 0;
    long xor = 0;
    try (ListRelease r = ListRelease.verify(Path.of(args[0]), TrustedKeys.load(Path.of(args[1])), Path.of(args[2]))) {
      List<NewEntry> batch = new ArrayList<>(1000);
      boolean more;
      do {
        batch.clear();
        more = r.next(batch, 1000);
        for (NewEntry e : batch) {
          xor ^= checksum(e.value());
          rows++;
        }
      } while (more);
    }
    System.out.println(rows + " " + xor);
  }

  static long checksum(byte[] v) {
    long h = 0;
    for (byte b : v) {
      h = h * 31 + b;
    }
    return h;
  }
}
