/**
 * The server's two logs, JSON lines in the data directory, rotated by size ({@code NAME.1} is
 * the newest old file) and written off the event loop by one shared machine,
 * {@code LineWriter}: a bounded lock-free queue to one writer thread per log, dropping (and
 * counting, and saying so in the file) rather than blocking when the disk falls behind.
 *
 * <p>{@link org.hashdb.server.audit.AuditLog} ({@code audit.jsonl}) records every match (time,
 * key name, entry, list, category, distance) and every administrative change.
 * {@link org.hashdb.server.audit.AccessLog} ({@code access.jsonl}) records every answered
 * request: key id, method, route name, status, sizes, duration, protocol. Neither ever records
 * the hashes of lookups that did not match (the access log names routes, never paths), nor any
 * key secret: the first would turn the list operator into a log of everything its clients hold.
 */
package org.hashdb.server.audit;
