package org.hashdb.server;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a read replica knows about its primary, written by the follower and read by {@code
 * /readyz}, {@code /metrics} and the refusal of writes. Thread-safe (volatile fields, one writer).
 *
 * <p>Lag in sequences is the primary's newest sequence, as its feed last reported it, minus the
 * replica's; lag in seconds is how long the replica has not been caught up (0 while it is). A
 * replica is unready while it bootstraps, when it lags more than {@code replicaMaxLagSequences}
 * changes or longer than {@code replicaMaxLagSeconds}, or when the primary has not answered for
 * {@code replicaMaxPrimaryLossSeconds}.
 */
public final class ReplicaState {
  private final String primaryUrl;
  private volatile long applied;
  private volatile long primarySequence;
  private volatile long lastContactNanos;
  private volatile long caughtUpNanos;
  private volatile boolean bootstrapping = true;
  private volatile boolean contacted;
  private final AtomicLong bootstraps = new AtomicLong();
  private final AtomicLong digestMismatches = new AtomicLong();
  private final AtomicLong gaps = new AtomicLong();
  private final AtomicLong primaryErrors = new AtomicLong();

  public ReplicaState(String primaryUrl) {
    this.primaryUrl = primaryUrl;
    long now = System.nanoTime();
    lastContactNanos = now;
    caughtUpNanos = now;
  }

  /** The primary's base URL, as given to {@code --replica-of}. */
  public String primaryUrl() {
    return primaryUrl;
  }

  /** A feed answer: the primary is at {@code primarySeq}, this replica now at {@code appliedSeq}. */
  public void contact(long primarySeq, long appliedSeq) {
    long now = System.nanoTime();
    primarySequence = Math.max(primarySeq, appliedSeq);
    applied = appliedSeq;
    lastContactNanos = now;
    contacted = true;
    if (appliedSeq >= primarySeq) {
      caughtUpNanos = now;
    }
  }

  /** The primary answered a feed request (its page is being read). */
  public void answered() {
    if (contacted) {
      lastContactNanos = System.nanoTime();
    }
  }

  /** Changes applied locally (between two feed answers). */
  public void applied(long appliedSeq) {
    applied = appliedSeq;
    if (appliedSeq >= primarySequence) {
      caughtUpNanos = System.nanoTime();
    }
  }

  public void bootstrapping(boolean on) {
    if (on) {
      bootstraps.incrementAndGet();
    }
    bootstrapping = on;
  }

  public void digestMismatch() {
    digestMismatches.incrementAndGet();
  }

  public void gap() {
    gaps.incrementAndGet();
  }

  public void primaryError() {
    primaryErrors.incrementAndGet();
  }

  public long lagSequences() {
    return Math.max(0, primarySequence - applied);
  }

  public double lagSeconds() {
    return lagSequences() == 0 ? 0 : (System.nanoTime() - caughtUpNanos) / 1e9;
  }

  /** Seconds since the primary last answered the feed. */
  public double primaryContactAgeSeconds() {
    return (System.nanoTime() - lastContactNanos) / 1e9;
  }

  /** Why {@code /readyz} answers 503, or null when the replica is ready. */
  public String unreadyReason(ServerConfig config) {
    if (bootstrapping) {
      return "replica is bootstrapping from its primary";
    }
    if (!contacted) {
      return "replica has not reached its primary yet";
    }
    double lost = primaryContactAgeSeconds();
    if (lost > config.replicaMaxPrimaryLossSeconds()) {
      return String.format(Locale.ROOT, "replica has not reached its primary for %.0f s", lost);
    }
    long lag = lagSequences();
    if (lag > config.replicaMaxLagSequences()) {
      return "replica is " + lag + " changes behind its primary";
    }
    double secs = lagSeconds();
    if (secs > config.replicaMaxLagSeconds()) {
      return String.format(Locale.ROOT, "replica has been behind its primary for %.0f s", secs);
    }
    return null;
  }

  /** The replica's series in Prometheus text format. */
  public String prometheus(ServerConfig config) {
    StringBuilder sb = new StringBuilder(1024);
    gauge(sb, "hashdb_replica_lag_sequences", "changes the primary has that this replica has not applied",
        Long.toString(lagSequences()));
    gauge(sb, "hashdb_replica_lag_seconds", "seconds this replica has not been caught up with its primary (0 while it is)",
        String.format(Locale.ROOT, "%.3f", lagSeconds()));
    gauge(sb, "hashdb_replica_primary_contact_age_seconds", "seconds since the primary last answered the change feed",
        String.format(Locale.ROOT, "%.3f", primaryContactAgeSeconds()));
    gauge(sb, "hashdb_replica_primary_sequence", "the primary's newest sequence as last reported", Long.toString(primarySequence));
    gauge(sb, "hashdb_replica_applied_sequence", "the sequence this replica has applied", Long.toString(applied));
    gauge(sb, "hashdb_replica_ready", "1 when /readyz answers 200", unreadyReason(config) == null ? "1" : "0");
    counter(sb, "hashdb_replica_bootstraps_total", "snapshot bootstraps (the first and each re-bootstrap)", bootstraps.get());
    counter(sb, "hashdb_replica_digest_mismatches_total", "state digests that differed from the primary's (each re-bootstraps)", digestMismatches.get());
    counter(sb, "hashdb_replica_gaps_total", "feed answers that did not continue this replica's sequence (each re-bootstraps)", gaps.get());
    counter(sb, "hashdb_replica_primary_errors_total", "failed requests to the primary", primaryErrors.get());
    return sb.toString();
  }

  private static void gauge(StringBuilder sb, String name, String help, String value) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(" gauge\n").append(name).append(' ').append(value).append('\n');
  }

  private static void counter(StringBuilder sb, String name, String help, long value) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(" counter\n").append(name).append(' ').append(value).append('\n');
  }
}
