package org.hashdb.client.scan;

import org.hashdb.client.Match;
import org.hashdb.core.hash.HashType;

/**
 * One match found by a scan.
 *
 * @param path the file
 * @param size its size in bytes when hashed
 * @param type the hash type that matched
 * @param hash the file's hash of that type, lowercase hex
 * @param match the list entry it matched
 */
public record FileMatch(ReportPath path, long size, HashType type, String hash, Match match) {}
