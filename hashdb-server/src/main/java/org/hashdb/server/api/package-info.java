/**
 * The routes of the lookup API and their codecs. {@link org.hashdb.server.api.Route} is the
 * route table (the OpenAPI document is tested against it); {@link
 * org.hashdb.server.api.ApiService} answers a routed, authenticated request: it owns the
 * lifecycle and dispatches each route to its group, {@code LookupRoutes} (the allocation-free
 * hot path), {@code AdminRoutes} (durable writes and imports), {@code ReplicaRoutes} (change
 * feed and snapshot) and {@code StatsRoute}; {@code Workers} runs blocking work off the event
 * loops. {@link org.hashdb.server.api.LookupCodec} parses and writes the JSON lookup bodies
 * strictly and without per-query objects; {@link org.hashdb.server.api.ImportJob} parses a
 * streamed list import on a worker thread. Errors are {@link org.hashdb.server.ApiException}s
 * carrying their status and error code (one mapping, {@code ApiErrors}, for every failure); the
 * HTTP layer turns them into the JSON error body.
 */
package org.hashdb.server.api;
