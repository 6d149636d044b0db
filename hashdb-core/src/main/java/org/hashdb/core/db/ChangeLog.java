package org.hashdb.core.db;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * Where the database logs its changes before acknowledging them: the write-ahead log of a data
 * directory, or nothing for an in-memory database. {@link #append} is called under the
 * database's writer lock; {@link #sync} outside it, so that concurrent writers share fsyncs.
 */
interface ChangeLog extends Closeable {
  /** Logs a record (not yet durable) stamped {@code timeMillis} and returns its sequence number. */
  default long append(byte kind, long timeMillis, byte[] payload) throws IOException {
    return append(kind, timeMillis, payload, payload.length);
  }

  /** Logs the first {@code len} bytes of {@code payload} as a record stamped now. */
  default long append(byte kind, byte[] payload, int len) throws IOException {
    return append(kind, System.currentTimeMillis(), payload, len);
  }

  /** Logs the first {@code len} bytes of {@code payload} as a record; see {@link #append(byte, long, byte[])}. */
  long append(byte kind, long timeMillis, byte[] payload, int len) throws IOException;

  /** Returns once every record up to {@code sequence} is durable. */
  void sync(long sequence) throws IOException;

  /** Bytes of log not yet folded into a snapshot. */
  long sizeBytes();

  /** Logged changes from {@code fromSequence} on, at most {@code limit}. */
  List<Change> read(long fromSequence, int limit) throws IOException;

  /** Streams logged changes from {@code fromSequence} on, at most {@code limit}, to {@code visitor}. */
  void scan(long fromSequence, int limit, ChangeVisitor visitor) throws IOException;

  /** Streams the raw logged records from {@code fromSequence} on, at most {@code limit}. */
  void scanRecords(long fromSequence, int limit, org.hashdb.core.disk.WriteAheadLog.RecordVisitor visitor)
      throws IOException;

  /** Oldest sequence {@link #read} can still return. */
  long firstAvailableSequence();

  /** A log that keeps nothing: sequence numbers only. */
  static ChangeLog none(long lastSequence) {
    return new ChangeLog() {
      private long last = lastSequence;

      @Override
      public long append(byte kind, long timeMillis, byte[] payload, int len) {
        return ++last;
      }

      @Override
      public void sync(long sequence) {}

      @Override
      public long sizeBytes() {
        return 0;
      }

      @Override
      public List<Change> read(long fromSequence, int limit) {
        return List.of();
      }

      @Override
      public void scan(long fromSequence, int limit, ChangeVisitor visitor) {}

      @Override
      public void scanRecords(long fromSequence, int limit,
          org.hashdb.core.disk.WriteAheadLog.RecordVisitor visitor) {}

      @Override
      public long firstAvailableSequence() {
        return last + 1;
      }

      @Override
      public void close() {}
    };
  }
}
