package org.hashdb.core.db;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hashdb.core.hash.HashType;

/**
 * Child process of {@link CrashRecoveryTest}: adds entries to a data directory in a loop and
 * prints {@code ack N} after each add of entry N returned (was acknowledged), until killed.
 * Args: data dir, first entry number, snapshot threshold in bytes.
 */
public final class CrashWriterMain {
  private CrashWriterMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    long next = Long.parseLong(args[1]);
    long snapshotBytes = Long.parseLong(args[2]);
    PrintStream out = System.out;
    try (HashDatabase db = HashDatabase.open(dir, DatabaseOptions.defaults().withSnapshotLogBytes(snapshotBytes))) {
      out.println("ready " + db.sequence());
      out.flush();
      long batches = 0;
      while (true) {
        // Batches of 1..8 entries so that records of several sizes get torn.
        int n = 1 + (int) (next % 8);
        List<NewEntry> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          batch.add(CrashRecoveryTest.entry(next + i));
        }
        db.add(batch);
        next += n;
        out.println("ack " + (next - 1));
        out.flush();
        // In rounds with a small snapshot threshold, also snapshot in the foreground now and
        // then, so that kills land during and between snapshots even when the background one
        // would not finish before the kill.
        if (snapshotBytes < (1 << 20) && ++batches % 20 == 0) {
          db.checkpoint();
        }
        if (next % 97 < 8) {
          // Removals are logged too: remove an entry of an earlier batch from the "gone" list.
          db.remove(HashType.SHA256, CrashRecoveryTest.value(next - 3), "gone");
        }
      }
    }
  }
}
