package org.hashdb.core.disk;

/**
 * One change as read back from the log. The payload array belongs to the record (a fresh array
 * per record); its content is the database's business.
 *
 * @param sequence position in the log; consecutive across segments
 * @param timeMillis wall-clock time of the append (epoch millis)
 * @param kind record kind, chosen by the database
 * @param payload record content
 */
public record WalRecord(long sequence, long timeMillis, byte kind, byte[] payload) {}
