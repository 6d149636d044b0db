package org.hashdb.client.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void format_totalsKnown_showsPercentRateAndEta() {
    // 1 GiB of 4 GiB in 10 s: 102.4 MiB/s, 3 GiB left = 30 s
    ScanProgress p = new ScanProgress(1000, 1L << 30, 4000, 4L << 30, true, 2, 1, 10 * SECOND);
    assertThat(ProgressPrinter.format(p))
        .isEqualTo("1,000/4,000 files  1.0 GiB/4.0 GiB   25%  102.4 MiB/s  ETA 0:00:30  1 matches  2 errors");
  }

  @Test
  void format_totalsStillCounting_showsNoEta() {
    ScanProgress p = new ScanProgress(5, 2048, 9, 9999, false, 0, 0, 2 * SECOND);
    assertThat(ProgressPrinter.format(p)).isEqualTo("5 files  2.0 KiB  1.0 KiB/s");
  }

  @Test
  void close_onTerminal_redrawsInPlaceAndClearsTheLine() throws Exception {
    StringWriter sw = new StringWriter();
    AtomicReference<ScanProgress> now = new AtomicReference<>(new ScanProgress(1, 10, 0, 0, false, 0, 0, SECOND));
    try (ProgressPrinter pp = new ProgressPrinter(new PrintWriter(sw), now::get, true, 5).start()) {
      long deadline = System.nanoTime() + 5 * SECOND;
      while (!sw.toString().contains("\r") && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    }
    String s = sw.toString();
    assertThat(s).startsWith("\r1 files  10 B").doesNotContain("\n").endsWith("\r");
  }

  @Test
  void printAbove_onTerminal_wipesTheProgressLineBeforeTheResultLine() throws Exception {
    StringWriter terminal = new StringWriter(); // stdout and stderr share the terminal
    PrintWriter both = new PrintWriter(terminal);
    AtomicReference<ScanProgress> now = new AtomicReference<>(new ScanProgress(1, 10, 0, 0, false, 0, 0, SECOND));
    String line = ProgressPrinter.format(now.get());
    try (ProgressPrinter pp = new ProgressPrinter(both, now::get, true, 5).start()) {
      long deadline = System.nanoTime() + 5 * SECOND;
      while (!terminal.toString().contains("\r") && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      pp.printAbove(both, "/srv/x.jpg: MATCH md5");
    }
    String s = terminal.toString();
    assertThat(s).contains(line + "\r" + " ".repeat(line.length()) + "\r/srv/x.jpg: MATCH md5\n");
  }

  @Test
  void print_notATerminal_writesLogLines() throws Exception {
    StringWriter sw = new StringWriter();
    try (ProgressPrinter pp = new ProgressPrinter(new PrintWriter(sw),
        () -> new ScanProgress(3, 30, 0, 0, false, 0, 0, SECOND), false, 5).start()) {
      long deadline = System.nanoTime() + 5 * SECOND;
      while (!sw.toString().contains("\n") && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    }
    assertThat(sw.toString()).startsWith("scan: 3 files  30 B").doesNotContain("\r");
  }
}
