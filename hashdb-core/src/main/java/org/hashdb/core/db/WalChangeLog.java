package org.hashdb.core.db;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.hashdb.core.disk.WalRecord;
import org.hashdb.core.disk.WriteAheadLog;

/** {@link ChangeLog} over the write-ahead log of a data directory. */
final class WalChangeLog implements ChangeLog {
  private final WriteAheadLog wal;

  WalChangeLog(WriteAheadLog wal) {
    this.wal = wal;
  }

  @Override
  public long append(byte kind, long timeMillis, byte[] payload, int len) throws IOException {
    return wal.append(kind, timeMillis, payload, 0, len);
  }

  @Override
  public void scanRecords(long fromSequence, int limit, WriteAheadLog.RecordVisitor visitor)
      throws IOException {
    wal.scan(fromSequence, limit, visitor);
  }

  @Override
  public void sync(long sequence) throws IOException {
    wal.sync(sequence);
  }

  @Override
  public long sizeBytes() {
    return wal.sizeBytes();
  }

  @Override
  public List<Change> read(long fromSequence, int limit) throws IOException {
    List<Change> out = new ArrayList<>();
    for (WalRecord r : wal.read(fromSequence, limit)) {
      out.add(decode(r.sequence(), r.timeMillis(), r.kind(), r.payload()));
    }
    return out;
  }

  @Override
  public void scan(long fromSequence, int limit, ChangeVisitor visitor) throws IOException {
    wal.scan(fromSequence, limit,
        r -> visitor.visit(decode(r.sequence(), r.timeMillis(), r.kind(), r.payload())));
  }

  /** Every change up to this sequence is durable (the feed returns no later ones). */
  long durableSequence() {
    return wal.durableSequence();
  }

  static Change decode(long seq, long timeMillis, byte kind, byte[] payload) throws IOException {
    if (kind == ChangeFormat.KIND_ADD) {
      return new Change(seq, timeMillis, Change.Kind.ADD, ChangeFormat.decodeAdd(payload).entries());
    }
    if (kind == ChangeFormat.KIND_REMOVE) {
      return new Change(seq, timeMillis, Change.Kind.REMOVE, List.of(ChangeFormat.decodeRemove(payload)));
    }
    if (kind == ChangeFormat.KIND_LIST) {
      return ListChangeFormat.decode(seq, timeMillis, payload);
    }
    throw new IOException("unknown log record kind " + kind + " at sequence " + seq);
  }

  @Override
  public long firstAvailableSequence() {
    return wal.firstAvailableSequence();
  }

  @Override
  public void close() throws IOException {
    // the Storage closes the log
  }
}
