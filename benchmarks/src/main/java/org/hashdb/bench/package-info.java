/**
 * JMH benchmarks of HashDB's hot paths, one class per path, each with the command that runs it
 * in its javadoc, and competitors behind one adapter interface where there are any (for example
 * {@code ExactLookupBenchmark}: HashDB's index against {@code java.util.HashSet}). Every benchmark
 * has a unit test that checks it computes the right answer. Build the runnable jar with
 * {@code mvn -B -ntp -pl benchmarks -am package -DskipTests}; it is
 * {@code benchmarks/target/benchmarks.jar}.
 */
package org.hashdb.bench;
