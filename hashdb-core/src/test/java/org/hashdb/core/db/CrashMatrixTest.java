package org.hashdb.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The CI subset of the crash and disk-fault matrix ({@code benchmarks/crash-matrix.sh}). */
@Tag("slow")
class CrashMatrixTest {
  @Test
  void fewTrialsPerRow_noAcknowledgedWriteLost_everyRestartWorks_damageDetected() throws Exception {
    int trials = Integer.getInteger("hashdb.crashMatrixTrials", 2);
    ByteArrayOutputStream table = new ByteArrayOutputStream();
    List<CrashMatrix.Row> rows = CrashMatrix.run(trials, "",
        new PrintStream(table, true, StandardCharsets.UTF_8));
    System.out.println(table.toString(StandardCharsets.UTF_8));
    assertThat(rows).hasSize(4 * 4 + 1 + 5);
    for (CrashMatrix.Row r : rows) {
      assertThat(r.lost()).as(r.name() + ": acknowledged entries lost").isZero();
      assertThat(r.failedRestarts()).as(r.name() + ": failed restarts").isZero();
      assertThat(r.detected()).as(r.name() + ": corruptions detected").isEqualTo(r.corruptions());
      if (r.fired() >= 0) {
        assertThat(r.fired()).as(r.name() + ": trials in which the fault fired").isPositive();
      }
    }
    assertThat(rows.stream().mapToLong(CrashMatrix.Row::acked).sum()).isPositive();
  }
}
