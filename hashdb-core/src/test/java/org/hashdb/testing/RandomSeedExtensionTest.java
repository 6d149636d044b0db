package org.hashdb.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** Per-test seeds derived from the run's master seed, and the reproduce line of a failure. */
class RandomSeedExtensionTest {
  @Test
  void random_sameStreamInOneTest_equal_otherStreamsDiffer() {
    Random a = TestRandom.random(5);
    Random b = TestRandom.random(5);
    Random c = TestRandom.random(6);
    long[] first = {a.nextLong(), a.nextLong()};
    assertThat(new long[] {b.nextLong(), b.nextLong()}).isEqualTo(first);
    assertThat(new long[] {c.nextLong(), c.nextLong()}).isNotEqualTo(first);
    assertThat(TestRandom.seed()).as("a test's seed is its own, derived from the master seed")
        .isNotEqualTo(TestRandom.masterSeed());
  }

  @Test
  void masterSeedText_isWhatTestsSeedTakes() {
    assertThat(Long.parseUnsignedLong(TestRandom.masterSeedText(), 16))
        .isEqualTo(TestRandom.masterSeed());
  }

  @Test
  void failingTest_carriesTheReproduceLine() {
    List<Throwable> failures = new ArrayList<>();
    Launcher launcher = LauncherFactory.create();
    launcher.execute(LauncherDiscoveryRequestBuilder.request()
        .selectors(selectClass(AlwaysFails.class))
        .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
        .build(), new TestExecutionListener() {
          @Override
          public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            result.getThrowable().ifPresent(failures::add);
          }
        });
    assertThat(failures).hasSize(1);
    assertThat(failures.get(0)).hasMessage("planted failure");
    assertThat(failures.get(0).getSuppressed()).singleElement().extracting(Throwable::getMessage)
        .isEqualTo("reproduce with: -Dtest=" + AlwaysFails.class.getName() + "#fails"
            + " -Dtests.seed=" + TestRandom.masterSeedText());
  }

  /** Run only by {@link #failingTest_carriesTheReproduceLine} (nested static: not discovered). */
  static class AlwaysFails {
    @Test
    void fails() {
      throw new AssertionError("planted failure");
    }
  }
}
