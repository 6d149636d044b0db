package org.hashdb.core.db;

/** Outcome of {@link HashDatabase#remove}: entries removed and the sequence number of the change. */
public record RemoveResult(int removed, long sequence) {}
