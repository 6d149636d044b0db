package org.hashdb.testing;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.Arrays;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs one JUnit test method in a plain JVM, without Maven: {@code benchmarks/fuzz.sh} starts
 * one per fuzz target with {@code JAZZER_FUZZ=1}, so a target's run is the fuzzing alone, not
 * Maven's start-up and up-to-date checks. Usage: {@code FuzzMain <class>#<method>}; exits 1 if
 * the test failed (a finding) or was not found, 2 on bad usage.
 */
public final class FuzzMain {
  private FuzzMain() {}

  public static void main(String[] args) throws ClassNotFoundException {
    int hash = args.length == 1 ? args[0].indexOf('#') : -1;
    if (hash <= 0) {
      System.err.println("usage: FuzzMain <test class>#<method>");
      System.exit(2);
    }
    Class<?> testClass = Class.forName(args[0].substring(0, hash));
    String name = args[0].substring(hash + 1);
    // a fuzz test takes an argument, so it is selected by its Method, not by its bare name
    Method method = Arrays.stream(testClass.getDeclaredMethods())
        .filter(m -> m.getName().equals(name))
        .findFirst()
        .orElse(null);
    if (method == null) {
      System.err.println("no method " + name + " in " + testClass.getName());
      System.exit(1);
    }
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(selectMethod(testClass, method))
        // as under surefire (the parent pom): RandomSeedExtension for every test
        .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
        .build();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create().execute(request, listener);
    TestExecutionSummary summary = listener.getSummary();
    PrintWriter out = new PrintWriter(System.out, true);
    summary.printTo(out);
    summary.printFailuresTo(out, 60);
    // JUnit 5.13/5.14 wraps whatever an old-style ArgumentsProvider throws (Jazzer's start-up
    // included) in "ArgumentsProvider does not override ...": name every cause
    for (TestExecutionSummary.Failure f : summary.getFailures()) {
      for (Throwable t = f.getException(); t != null; t = t.getCause()) {
        out.println("cause: " + t);
      }
    }
    out.flush();
    boolean ok = summary.getTotalFailureCount() == 0 && summary.getTestsSucceededCount() > 0;
    System.exit(ok ? 0 : 1);
  }
}
