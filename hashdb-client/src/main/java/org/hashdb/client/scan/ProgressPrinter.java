package org.hashdb.client.scan;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Shows a scan's progress: on a terminal one line redrawn in place ({@code \r}) a few times a
 * second; otherwise a plain log line every {@code logIntervalMillis}. Files and bytes done, rate,
 * and (once the counting walk has finished) percentage and ETA. Runs on its own daemon thread.
 */
public final class ProgressPrinter implements AutoCloseable {
  private final PrintWriter err;
  private final Supplier<ScanProgress> source;
  private final boolean terminal;
  private final Thread thread;
  private volatile boolean stopped;
  private int lastWidth;

  /**
   * @param terminal redraw one line (true) or log lines (false)
   * @param intervalMillis time between updates
   */
  public ProgressPrinter(PrintWriter err, Supplier<ScanProgress> source, boolean terminal, long intervalMillis) {
    this.err = err;
    this.source = source;
    this.terminal = terminal;
    this.thread = new Thread(() -> loop(intervalMillis), "hashdb-scan-progress");
    thread.setDaemon(true);
  }

  public ProgressPrinter start() {
    thread.start();
    return this;
  }

  /** True when stdout/stderr is an interactive terminal (also on JDK 22+, where a console always exists). */
  public static boolean isTerminal() {
    java.io.Console c = System.console();
    if (c == null) {
      return false;
    }
    try { // Console.isTerminal() exists from JDK 22 on
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
    } catch (ReflectiveOperationException e) {
      return true; // JDK < 22: a console exists only for a terminal
    }
  }

  private void loop(long intervalMillis) {
    while (!stopped) {
      try {
        Thread.sleep(intervalMillis);
      } catch (InterruptedException e) {
        return;
      }
      if (!stopped) {
        print(source.get());
      }
    }
  }

  private synchronized void print(ScanProgress p) {
    String line = format(p);
    if (terminal) {
      int pad = Math.max(0, lastWidth - line.length());
      err.print("\r" + line + " ".repeat(pad));
      lastWidth = line.length();
    } else {
      err.println("scan: " + line);
    }
    err.flush();
  }

  /** One progress line, e.g. {@code 1,234/5,000 files  1.2/4.8 GiB  25%  310.5 MiB/s  ETA 0:00:12}. */
  static String format(ScanProgress p) {
    double secs = p.elapsedNanos() / 1e9;
    double rate = secs > 0 ? p.bytesDone() / secs : 0;
    StringBuilder sb = new StringBuilder(96);
    if (p.totalKnown()) {
      sb.append(String.format(Locale.ROOT, "%,d/%,d files  %s/%s", p.filesDone(), p.totalFiles(),
          bytes(p.bytesDone()), bytes(p.totalBytes())));
      double frac = p.totalBytes() > 0 ? Math.min(1.0, (double) p.bytesDone() / p.totalBytes())
          : p.totalFiles() > 0 ? Math.min(1.0, (double) p.filesDone() / p.totalFiles()) : 1.0;
      sb.append(String.format(Locale.ROOT, "  %3d%%", (int) (frac * 100)));
    } else {
      sb.append(String.format(Locale.ROOT, "%,d files  %s", p.filesDone(), bytes(p.bytesDone())));
    }
    sb.append("  ").append(bytes((long) rate)).append("/s");
    if (p.totalKnown() && rate > 0) {
      long eta = (long) (Math.max(0, p.totalBytes() - p.bytesDone()) / rate);
      sb.append(String.format(Locale.ROOT, "  ETA %d:%02d:%02d", eta / 3600, eta / 60 % 60, eta % 60));
    }
    if (p.matches() > 0) {
      sb.append(String.format(Locale.ROOT, "  %,d matches", p.matches()));
    }
    if (p.errors() > 0) {
      sb.append(String.format(Locale.ROOT, "  %,d errors", p.errors()));
    }
    return sb.toString();
  }

  static String bytes(long b) {
    if (b < 1024) {
      return b + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = b;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  /**
   * Prints a result line (a match, an error) to {@code w}: on a terminal the live line is wiped
   * first, so the two never run together; the next update redraws it below.
   */
  public synchronized void printAbove(PrintWriter w, String line) {
    if (terminal && lastWidth > 0) {
      err.print("\r" + " ".repeat(lastWidth) + "\r");
      err.flush();
      lastWidth = 0;
    }
    w.println(line);
    w.flush();
  }

  /** Stops the thread and ends the terminal line. */
  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      if (terminal && lastWidth > 0) {
        err.print("\r" + " ".repeat(lastWidth) + "\r");
        err.flush();
      }
    }
  }
}
