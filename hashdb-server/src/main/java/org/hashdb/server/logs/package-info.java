/**
 * The server's JSON-lines logs in the data directory, rotated by size ({@code NAME.1} is the
 * newest old file) and written off the event loop by one shared machine,
 * {@link org.hashdb.server.logs.LineWriter}: a bounded lock-free queue to one writer thread per
 * log, dropping (and counting, and saying so in the file) rather than blocking when the disk falls
 * behind. The audit streams ({@code org.hashdb.server.audit}) use it too.
 *
 * <p>{@link org.hashdb.server.logs.AccessLog} ({@code access.jsonl}) records every answered
 * request: key id, method, route name, status, sizes, duration, protocol. It names routes, never
 * paths, so the hashes of lookups never reach it, nor does any key secret.
 */
package org.hashdb.server.logs;
