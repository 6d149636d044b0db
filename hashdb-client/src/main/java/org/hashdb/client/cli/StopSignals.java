package org.hashdb.client.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.hashdb.client.scan.TreeScanner;

/**
 * SIGINT and SIGTERM during a scan: the first one stops the scan cleanly (summary and report of
 * what was checked, marked incomplete, exit 2); a second one quits at once (exit 130). The
 * previous handlers are restored when the scan is over.
 */
@SuppressWarnings("removal") // sun.misc.Signal: the only way to handle SIGINT without exiting
final class StopSignals implements AutoCloseable {
  /** Exit code after a second signal, as a shell reports a process killed by SIGINT. */
  static final int FORCED_EXIT = 130;

  private final List<Object[]> previous = new ArrayList<>(); // {Signal, SignalHandler}

  private StopSignals() {}

  static StopSignals install(TreeScanner scanner, PrintWriter err) {
    StopSignals s = new StopSignals();
    java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        sun.misc.Signal sig = new sun.misc.Signal(name);
        sun.misc.SignalHandler old = sun.misc.Signal.handle(sig, signal -> {
          if (!stopping.compareAndSet(false, true)) {
            Runtime.getRuntime().halt(FORCED_EXIT);
          }
          scanner.stop("interrupted by SIG" + name + ": files not reached were not checked");
          synchronized (err) {
            err.println();
            err.println("hashdb scan: SIG" + name + ": stopping; the summary and report cover what was checked so far"
                + " (signal again to quit at once)");
            err.flush();
          }
        });
        s.previous.add(new Object[] {sig, old});
      } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
        // signal not available on this platform: the JVM's default handling applies
      }
    }
    return s;
  }

  @Override
  public void close() {
    for (Object[] p : previous) {
      try {
        sun.misc.Signal.handle((sun.misc.Signal) p[0], (sun.misc.SignalHandler) p[1]);
      } catch (IllegalArgumentException e) {
        // cannot restore: the process is about to exit anyway
      }
    }
  }
}
