/**
 * The audit streams: {@link org.hashdb.server.audit.AuditLog} ({@code audit.jsonl}) records every
 * match (time, key name, entry, list, category, distance) and {@link
 * org.hashdb.server.audit.AdminAuditLog} every administrative change. Written through the shared
 * line writer of {@code org.hashdb.server.logs}. Never records the hashes of lookups that did not
 * match, nor any key secret: the first would turn the list operator into a log of everything its
 * clients hold.
 */
package org.hashdb.server.audit;
