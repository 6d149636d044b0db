package org.hashdb.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestInstancePreConstructCallback;
import org.junit.jupiter.api.extension.TestInstanceFactoryContext;
import org.opentest4j.TestAbortedException;

/**
 * Gives each test its {@link TestRandom} seed (set before the test instance is built, so field
 * initialisers see it too) and, when a test fails, prints and attaches how to repeat the run:
 * {@code reproduce with: -Dtest=Class#method -Dtests.seed=XXXX}. Registered for every test by
 * JUnit's extension auto-detection (see the parent POM's surefire configuration).
 */
public final class RandomSeedExtension implements TestInstancePreConstructCallback,
    BeforeEachCallback, AfterEachCallback, TestExecutionExceptionHandler,
    LifecycleMethodExecutionExceptionHandler {

  @Override
  public void preConstructTestInstance(TestInstanceFactoryContext factory, ExtensionContext context) {
    TestRandom.enter(context.getUniqueId());
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    TestRandom.enter(context.getUniqueId());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    TestRandom.enter(null);
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable t) throws Throwable {
    throw withSeed(context, t);
  }

  @Override
  public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable t)
      throws Throwable {
    throw withSeed(context, t);
  }

  @Override
  public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable t)
      throws Throwable {
    throw withSeed(context, t);
  }

  /** The line that repeats this test's run. */
  static String reproduceLine(ExtensionContext context) {
    String test = context.getRequiredTestClass().getName()
        + context.getTestMethod().map(m -> "#" + m.getName()).orElse("");
    return "reproduce with: -Dtest=" + test + " -D" + TestRandom.PROPERTY + "="
        + TestRandom.masterSeedText();
  }

  private static Throwable withSeed(ExtensionContext context, Throwable t) {
    if (t instanceof TestAbortedException) {
      return t; // an assumption that did not hold is no failure
    }
    String line = reproduceLine(context);
    System.err.println("NOTE: " + line);
    t.addSuppressed(new SeedNote(line));
    return t;
  }

  /** Carries the reproduce line into the test report, beside the failure. */
  static final class SeedNote extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SeedNote(String message) {
      super(message, null, false, false);
    }
  }
}
