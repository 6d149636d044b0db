package org.hashdb.core.db;

/**
 * Outcome of {@link HashDatabase#update}.
 *
 * @param added entries added to the list
 * @param alreadyPresent given entries that were already on it (kept) or repeated
 * @param removed entries taken off the list
 * @param sequence the one sequence number of the change (the current one when nothing was logged)
 */
public record ListUpdateResult(long added, long alreadyPresent, long removed, long sequence) {}
