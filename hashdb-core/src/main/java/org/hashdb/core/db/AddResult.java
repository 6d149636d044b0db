package org.hashdb.core.db;

/**
 * Outcome of {@link HashDatabase#add}: how many entries were new, how many were already on
 * their list, and the sequence number of the change (unchanged when nothing was added).
 */
public record AddResult(int added, int alreadyPresent, long sequence) {}
