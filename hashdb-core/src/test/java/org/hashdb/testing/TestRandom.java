package org.hashdb.testing;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Randomness for tests, different on every run and repeatable: one master seed per test JVM,
 * chosen at random or given with {@code -Dtests.seed=<hex>}, from which each test derives its
 * own seed (from the master seed and the test's unique id, so a test run alone sees the same
 * values as in the whole suite). A failing test prints the master seed
 * ({@link RandomSeedExtension}), so its run can be repeated.
 *
 * <p>Tests call {@link #random(long)} where they used {@code new Random(n)}: the stream is
 * {@code n}'s within this test and run, so two calls with the same {@code n} in one test still
 * give equal streams.
 */
public final class TestRandom {
  /** The system property that fixes the master seed. */
  public static final String PROPERTY = "tests.seed";

  private static final long MASTER = chooseMasterSeed();
  private static final ThreadLocal<Long> TEST_SEED = new ThreadLocal<>();

  private TestRandom() {}

  /** The run's master seed. */
  public static long masterSeed() {
    return MASTER;
  }

  /** The master seed as {@code -Dtests.seed} takes it. */
  public static String masterSeedText() {
    return Long.toHexString(MASTER).toUpperCase(Locale.ROOT);
  }

  /** The current test's seed; the master seed outside a test (another thread, say). */
  public static long seed() {
    Long s = TEST_SEED.get();
    return s == null ? MASTER : s;
  }

  /** A random stream for {@code stream} within the current test. */
  public static Random random(long stream) {
    return new Random(mix(seed() + 0x9E3779B97F4A7C15L * stream));
  }

  /** A {@link SplittableRandom} for {@code stream} within the current test. */
  public static SplittableRandom splittable(long stream) {
    return new SplittableRandom(mix(seed() + 0x9E3779B97F4A7C15L * stream));
  }

  /** Called by {@link RandomSeedExtension} around each test; null clears. */
  static void enter(String testId) {
    if (testId == null) {
      TEST_SEED.remove();
    } else {
      TEST_SEED.set(mix(MASTER ^ mix(testId.hashCode())));
    }
  }

  private static long chooseMasterSeed() {
    String given = System.getProperty(PROPERTY, "").strip();
    if (given.isEmpty()) {
      return new SecureRandom().nextLong();
    }
    try {
      return Long.parseUnsignedLong(given, 16);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-D" + PROPERTY + " must be up to 16 hex digits, got '"
          + given + "'", e);
    }
  }

  /** Stafford's variant 13 of the 64-bit finaliser (as in SplittableRandom). */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
