package org.hashdb.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.db.HashDatabase;

/** The server's meters, registered once; every recording method is thread-safe and lock-free. */
public final class ServerMetrics {
  private static final Duration[] LATENCY_BUCKETS = {
    Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000),
    Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5), Duration.ofMillis(10),
    Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
    Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
    Duration.ofSeconds(10), Duration.ofSeconds(30)
  };
  private static final int STATUSES = 600;

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final String[] routeNames;
  // requests[route] -> timer per status code, created on first use
  private final AtomicReferenceArray<Timer>[] requests;
  private final Counter[] lookups = new Counter[HashType.values().length];
  private final ConcurrentHashMap<String, Counter>[] matches;
  private final Timer addTimer;
  private final Timer removeTimer;
  private final Counter auditDropped;
  private final Counter accessDropped;
  private final Counter privateLookups;
  private volatile LongSupplier keysFailures = () -> 0;

  /**
   * @param routeNames metric label of each route, indexed by the route number used in {@link
   *     #recordRequest}
   * @param database supplies the database once it is loaded (null before)
   */
  // Gauges hold their state object weakly unless told otherwise; the supplier below is often a
  // lambda nothing else references, so a GC would turn the gauges into NaN.
  @SuppressWarnings("unchecked")
  public ServerMetrics(String[] routeNames, Supplier<HashDatabase> database) {
    this.routeNames = routeNames.clone();
    this.requests = new AtomicReferenceArray[routeNames.length];
    for (int i = 0; i < routeNames.length; i++) {
      requests[i] = new AtomicReferenceArray<>(STATUSES);
    }
    matches = new ConcurrentHashMap[HashType.values().length];
    for (HashType t : HashType.values()) {
      lookups[t.ordinal()] = Counter.builder("hashdb.lookups")
          .description("Hashes looked up, by hash type").tag("type", t.apiName())
          .register(registry);
      matches[t.ordinal()] = new ConcurrentHashMap<>();
      Gauge.builder("hashdb.entries", database, s -> {
        HashDatabase db = s.get();
        return db == null ? Double.NaN : db.stats().types().get(t).live();
      }).description("Live entries, by hash type").tag("type", t.apiName())
          .strongReference(true).register(registry);
    }
    Gauge.builder("hashdb.memory.used", database, s -> {
      HashDatabase db = s.get();
      return db == null ? Double.NaN : db.ramBytesUsed();
    }).description("Bytes held by the database's indexes and columns").baseUnit("bytes")
        .strongReference(true).register(registry);
    Gauge.builder("hashdb.sequence", database, s -> {
      HashDatabase db = s.get();
      return db == null ? Double.NaN : db.sequence();
    }).description("Sequence number of the last applied change").strongReference(true)
        .register(registry);
    Gauge.builder("hashdb.ready", database, s -> s.get() == null ? 0 : 1)
        .description("1 once the database is loaded").strongReference(true).register(registry);
    FunctionCounter.builder("hashdb.snapshot.failures", database, s -> {
      HashDatabase db = s.get();
      return db == null ? 0 : db.checkpointFailures();
    }).description("Snapshots that failed (each is retried with exponential back-off)")
        .register(registry);
    privateLookups = Counter.builder("hashdb.private.lookups")
        .description("Blinded queries answered by POST /v1/psi/lookup").register(registry);
    addTimer = writeTimer("add");
    removeTimer = writeTimer("remove");
    auditDropped = Counter.builder("hashdb.audit.dropped")
        .description("Audit records dropped because the audit writer fell behind")
        .register(registry);
    accessDropped = Counter.builder("hashdb.access.dropped")
        .description("Access log lines dropped because the access log writer fell behind")
        .register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
  }

  /**
   * {@code hashdb_keys_reload_failed} (1 while the keys file does not read and the keys of an
   * earlier version are in force) and {@code hashdb_keys_reload_failures_total}.
   */
  public void keysFile(BooleanSupplier failed, LongSupplier failures) {
    keysFailures = failures; // a function counter holds its state object weakly
    Gauge.builder("hashdb.keys.reload.failed", failed, f -> f.getAsBoolean() ? 1 : 0)
        .description("1 while keys.json does not read: the keys read before it are in force")
        .strongReference(true).register(registry);
    FunctionCounter.builder("hashdb.keys.reload.failures", this, m -> m.keysFailures.getAsLong())
        .description("Versions of keys.json that did not read").register(registry);
  }

  private Timer writeTimer(String op) {
    return Timer.builder("hashdb.wal.write")
        .description("Durable writes: write-ahead log append and fsync (group commit included)")
        .tag("op", op).serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
  }

  /** Records one finished request of route number {@code route}. */
  public void recordRequest(int route, int status, long nanos) {
    int s = status >= 0 && status < STATUSES ? status : 0;
    AtomicReferenceArray<Timer> byStatus = requests[route];
    Timer t = byStatus.get(s);
    if (t == null) {
      t = Timer.builder("hashdb.http.requests").description("HTTP requests by route and status")
          .tag("route", routeNames[route]).tag("status", Integer.toString(status))
          .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
      byStatus.set(s, t); // registering twice returns the same meter
    }
    t.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Counts {@code n} hashes of {@code type} looked up. */
  public void lookups(HashType type, long n) {
    lookups[type.ordinal()].increment(n);
  }

  /** Counts one matching entry of {@code type} on {@code list}. */
  public void match(HashType type, String list) {
    matches[type.ordinal()].computeIfAbsent(list, l -> Counter.builder("hashdb.matches")
        .description("Matching entries returned, by hash type and list")
        .tag("type", type.apiName()).tag("list", l).register(registry)).increment();
  }

  /** Records the duration of a database add (write-ahead log append and fsync). */
  public void addLatency(long nanos) {
    addTimer.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Records the duration of a database remove. */
  public void removeLatency(long nanos) {
    removeTimer.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void auditDropped(long n) {
    auditDropped.increment(n);
  }

  public void accessDropped(long n) {
    accessDropped.increment(n);
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  /**
   * The exposition for a caller that may see only {@code visibleLists} (null: every list):
   * samples labelled with another list are left out, so a key learns no list name it could not
   * query.
   */
  public String scrape(Set<String> visibleLists) {
    String all = registry.scrape();
    return visibleLists == null ? all : PerListFilter.keep(all, visibleLists);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Counts {@code n} answered private (blinded) queries. */
  public void privateLookups(int n) {
    privateLookups.increment(n);
  }
}
