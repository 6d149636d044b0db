package org.hashdb.core.db;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.hashdb.core.disk.DiskFullException;
import org.hashdb.core.disk.FaultInjectingFileIo;

/**
 * Child process of {@link CrashMatrix}: writes to a data directory in one of four workloads
 * until it is killed, and prints {@code ack N} once entries 0..N are acknowledged. A fault may be
 * injected after a random number of writes through the {@link FaultInjectingFileIo} seam: the
 * disk fills up (and frees again later), fsync fails, or writes fail with EIO. The fault point is
 * chosen inside the next operation from what the previous one really did (a random byte of the
 * bytes it wrote, a random one of its write or fsync calls), so that it is reached; the child
 * prints {@code fault} when it arms it and {@code fired} once the seam has refused something, and
 * the parent kills it a random moment after {@code fault}.
 *
 * <p>Args: data dir, workload (writes|import|snapshot|rotation), fault (none|diskfull|fsync|eio),
 * seed.
 */
public final class CrashMatrixChild {
  private CrashMatrixChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String workload = args[1];
    String fault = args[2];
    Random rnd = new Random(Long.parseLong(args[3]));
    FaultInjectingFileIo io = new FaultInjectingFileIo();
    long segment = workload.equals("rotation") ? 4096 : 64L << 20;
    long snapshotLog = workload.equals("snapshot") ? 64 << 10 : 1L << 40;
    DatabaseOptions opts = new DatabaseOptions(true, snapshotLog, segment).withFileIo(io);
    PrintStream out = System.out;
    // an import batch is large and slow: arm the fault within the first few of them
    int faultAt = workload.equals("import") ? 1 + rnd.nextInt(2) : 1 + rnd.nextInt(30);
    int freeAfter = 1 + rnd.nextInt(10); // a full disk is freed this many writes after it fired
    int freeAt = Integer.MAX_VALUE;
    long bytesBefore = 0;
    long writesBefore = 0;
    long fsyncsBefore = 0;
    boolean fired = false;
    try (HashDatabase db = HashDatabase.open(dir, opts)) {
      out.println("ready " + db.sequence());
      out.flush();
      long next = 0;
      for (int write = 0; ; write++) {
        if (write == faultAt && !fault.equals("none")) {
          // what the previous write (and checkpoint) did: the fault lands at a random point of that
          long bytes = Math.max(1, io.bytesWritten() - bytesBefore);
          long writes = Math.max(1, io.writeCalls() - writesBefore);
          long fsyncs = Math.max(1, io.fsyncCalls() - fsyncsBefore);
          switch (fault) {
            case "diskfull" -> io.diskFullAfter(nextLong(rnd, bytes));
            case "fsync" -> io.failFsyncAfter(nextLong(rnd, fsyncs));
            case "eio" -> io.failWritesAfter(nextLong(rnd, writes));
            default -> throw new IllegalArgumentException(fault);
          }
          out.println("fault");
          out.flush();
        }
        bytesBefore = io.bytesWritten();
        writesBefore = io.writeCalls();
        fsyncsBefore = io.fsyncCalls();
        if (write == freeAt && fault.equals("diskfull")) {
          io.freeSpace();
        }
        int n = switch (workload) {
          case "import" -> 2000; // a streaming import's durable batch
          default -> 1 + rnd.nextInt(8);
        };
        List<NewEntry> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          batch.add(CrashRecoveryTest.entry(next + i));
        }
        try {
          db.add(batch);
          next += n;
          out.println("ack " + (next - 1));
        } catch (DiskFullException e) {
          out.println("refused " + next); // the same entries are tried again next time
        } catch (IOException e) {
          out.println("failed " + e.getMessage().replace('\n', ' '));
          out.println("fired");
          out.flush();
          Thread.sleep(60_000); // writes stay stopped until restart: wait for the kill
        }
        if (!fired && io.writeFaults() + io.fsyncFaults() > 0) {
          fired = true;
          freeAt = write + freeAfter;
          out.println("fired");
        }
        out.flush();
        if (workload.equals("snapshot") && write % 3 == 0) {
          try {
            db.checkpoint();
          } catch (IOException e) {
            out.println("snapshot-failed");
          }
        }
      }
    }
  }

  /** Uniform in [0, bound). */
  private static long nextLong(Random rnd, long bound) {
    return (long) (rnd.nextDouble() * bound);
  }
}
