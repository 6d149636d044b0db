package org.hashdb.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.hashdb.core.disk.WalRecord;
import org.hashdb.core.disk.WriteAheadLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalSyncBenchmarkTest {
  @TempDir Path tmp;

  @Test
  void appendAndSync_concurrentWriters_everyRecordDurableAndRecoverable() throws Exception {
    WalSyncBenchmark b = new WalSyncBenchmark();
    b.payloadBytes = 100;
    b.dir = tmp.toString();
    b.setUp();
    ExecutorService ex = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        fs.add(
            ex.submit(
                () -> {
                  for (int i = 0; i < 50; i++) {
                    long seq = b.oneWriter();
                    assertThat(b.log.durableSequence()).isGreaterThanOrEqualTo(seq);
                  }
                  return null;
                }));
      }
      for (Future<?> f : fs) {
        f.get(60, TimeUnit.SECONDS);
      }
      assertThat(b.log.lastSequence()).isEqualTo(200);
      List<WalRecord> recs = b.log.read(1, 1000);
      assertThat(recs).hasSize(200);
      assertThat(recs.get(199).payload()).hasSize(100);
      List<WalRecord> recovered = new ArrayList<>();
      WriteAheadLog.recover(b.base, 0, recovered::add);
      assertThat(recovered).hasSize(200);
    } finally {
      ex.shutdown();
      b.tearDown();
    }
    assertThat(b.base).doesNotExist();
  }
}
