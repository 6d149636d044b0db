/**
 * Prometheus metrics of the server through Micrometer: requests by route and status with
 * latency histograms, lookups and matches by hash type and list, entries per type, write
 * (write-ahead log append + fsync) latency, and JVM memory. {@link
 * org.hashdb.server.metrics.ServerMetrics} caches every meter the hot path touches, so
 * recording a request is a few array reads and an atomic add, with no tag allocation.
 */
package org.hashdb.server.metrics;
