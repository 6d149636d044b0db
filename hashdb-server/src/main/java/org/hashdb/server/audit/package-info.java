/**
 * The audit log: one JSON object per line in {@code audit.jsonl} in the data directory,
 * rotated by size ({@code audit.jsonl.1} is the newest old file). It records every match
 * (time, key name, entry, list, category, distance) and every administrative change. It never
 * records the hashes of lookups that did not match, nor any key secret: the first would turn the
 * list operator into a log of everything its clients hold.
 */
package org.hashdb.server.audit;
