package org.hashdb.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.hashdb.client.FakeApiServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** SIGINT/SIGTERM stop a scan cleanly: summary and report so far, marked incomplete, exit 2. */
class ScanSignalTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"INT", "TERM"})
  void signal_midScan_writesSummaryAndReportMarkedIncompleteAndExitsTwo(String signal) throws Exception {
    Path root = Files.createDirectories(tmp.resolve("tree"));
    for (int i = 0; i < 60; i++) {
      Files.writeString(root.resolve("f" + i + ".txt"), "file " + i);
    }
    Path report = tmp.resolve("report.json");
    try (FakeApiServer server = new FakeApiServer()) {
      server.batchDelayMillis = 300; // 60 one-file batches: about 18 s unless stopped
      ChildScan scan = ChildScan.start(tmp, List.of("-Xmx128m"), Map.of(ScanCommand.KEY_ENV, FakeApiServer.KEY),
          root.toString(), "--server", server.url(), "--types", "md5", "--batch-size", "1", "--threads", "1",
          "--progress", "never", "--report", report.toString());
      long deadline = System.currentTimeMillis() + 60_000;
      while (server.received.size() < 4 && System.currentTimeMillis() < deadline) { // preflight + 3 batches
        Thread.sleep(20);
      }
      assertThat(scan.process.isAlive()).as("still scanning").isTrue();
      scan.signal(signal);
      int exit = scan.await(30);
      assertThat(exit).as(scan.err()).isEqualTo(2);
      assertThat(scan.out()).contains("SCAN SUMMARY").contains("Incomplete: interrupted by SIG" + signal)
          .contains("NOT EVERYTHING WAS CHECKED (exit 2)");
      assertThat(scan.err()).contains("SIG" + signal + ": stopping");
      String json = Files.readString(report);
      assertThat(json).contains("\"complete\" : false").contains("\"failure\" : \"interrupted by SIG" + signal)
          .contains("\"exitCode\" : 2");
      assertThat(server.received.size()).isLessThan(40);
    }
  }
}
