package org.hashdb.server.api;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.db.Change;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.NewEntry;
import org.hashdb.core.db.StateDigest;
import org.hashdb.core.disk.WalRecord;

/**
 * Writes one page of the change feed as JSON to a file, reading the log one change at a time,
 * so that neither the changes nor the response are ever held in memory whole (one change may be
 * an import batch of 10,000 entries). A page ends at the first of: {@code limit} changes, a
 * change that would take it past {@code maxEntries} entries or {@code maxBytes} bytes, or the
 * newest durable change. It always holds at least one change when one is available, so a reader
 * that passes {@code next} back as {@code since} always progresses.
 */
final class ChangeFeedWriter {
  /** Room kept for the fields after the array, so that a whole page stays within maxBytes. */
  static final int TRAILER_BYTES = 192;

  /** What ended a page. */
  enum Bound {
    NONE, LIMIT, ENTRIES, BYTES;

    String apiName() {
      return this == NONE ? null : name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The page written: changes and entries in it, the last sequence, what ended it. */
  record Page(int changes, long entries, long next, Bound bound, long bytes) {}

  private ChangeFeedWriter() {}

  /** Writes the page of changes after {@code since} to {@code file}, with entries (no records). */
  static Page write(HashDatabase d, long since, int limit, long maxEntries, long maxBytes,
      Path file) throws IOException {
    byte[] sinceDigest = d.digestAt(since);
    if (sinceDigest == null) {
      throw new IOException("no state digest known at sequence " + since);
    }
    return write(d, since, sinceDigest, false, limit, maxEntries, maxBytes, file);
  }

  /**
   * Writes the page of changes after {@code since} to {@code file}. {@code sinceDigest} is the
   * running state digest at {@code since}: each change carries the digest after it and the page
   * the digest at {@code next}. With {@code records}, each change carries its log record (kind
   * code, time, payload) for a replica to apply, instead of the decoded entries.
   */
  static Page write(HashDatabase d, long since, byte[] sinceDigest, boolean records, int limit,
      long maxEntries, long maxBytes, Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
        JsonGenerator g = LookupCodec.JSON.createGenerator(out, JsonEncoding.UTF8)) {
      long current = d.sequence();
      g.writeStartObject();
      g.writeNumberField("since", since);
      g.writeNumberField("sequence", current);
      g.writeArrayFieldStart("changes");
      long[] next = {since};
      long[] entries = {0};
      int[] count = {0};
      Bound[] bound = {Bound.NONE};
      long byteBudget = Math.max(0, maxBytes - TRAILER_BYTES);
      byte[] digest = sinceDigest.clone();
      byte[] after = new byte[StateDigest.BYTES];
      StateDigest hasher = new StateDigest();
      d.forEachRecord(since + 1, limit, r -> {
        Change c = HashDatabase.decodeChange(r);
        if (count[0] > 0 && entries[0] + c.size() > maxEntries) {
          bound[0] = Bound.ENTRIES;
          return false;
        }
        hasher.next(digest, r.sequence(), r.kind(), r.payload(), after);
        g.flush();
        long before = ch.position();
        writeChange(g, c, records ? r : null, after);
        g.flush();
        if (count[0] > 0 && ch.position() > byteBudget) {
          // this change does not fit: cut it (and its separating comma) off again
          ch.truncate(before);
          ch.position(before);
          bound[0] = Bound.BYTES;
          return false;
        }
        count[0]++;
        entries[0] += c.size();
        next[0] = c.sequence();
        System.arraycopy(after, 0, digest, 0, StateDigest.BYTES);
        return true;
      });
      boolean more = next[0] < Math.max(current, d.sequence());
      if (!more) {
        bound[0] = Bound.NONE; // nothing was left out
      } else if (bound[0] == Bound.NONE && count[0] == limit) {
        bound[0] = Bound.LIMIT;
      }
      g.writeEndArray();
      g.writeNumberField("next", next[0]);
      g.writeBooleanField("more", more);
      g.writeNumberField("entries", entries[0]);
      g.writeStringField("digest", Hex.encode(digest));
      if (bound[0] == Bound.NONE) {
        g.writeNullField("limitedBy");
      } else {
        g.writeStringField("limitedBy", bound[0].apiName());
      }
      g.writeEndObject();
      g.flush();
      return new Page(count[0], entries[0], next[0], bound[0], ch.position());
    }
  }

  /**
   * One change, with the running state digest after it. A LIST change (a release applied to one
   * list) also names the list, its mode (full or delta), the release and the values it took off
   * the list: a follower applies its removals and adds as one step. With {@code record}, the
   * change is sent as its logged record instead of its entries (for a replica).
   */
  private static void writeChange(JsonGenerator g, Change c, WalRecord record, byte[] digest)
      throws IOException {
    boolean add = c.kind() != Change.Kind.REMOVE;
    g.writeStartObject();
    g.writeNumberField("sequence", c.sequence());
    g.writeStringField("time", Instant.ofEpochMilli(c.timeMillis()).toString());
    g.writeStringField("kind", c.kind().name().toLowerCase(java.util.Locale.ROOT));
    g.writeStringField("digest", Hex.encode(digest));
    if (record != null) { // for a replica: the record as logged, applied as a replay would
      g.writeNumberField("timeMillis", record.timeMillis());
      g.writeNumberField("record", record.kind());
      g.writeFieldName("payload");
      g.writeBinary(record.payload());
      g.writeEndObject();
      return;
    }
    if (c.kind() == Change.Kind.LIST) {
      g.writeStringField("list", c.list());
      g.writeStringField("mode", c.full() ? "full" : "delta");
      if (c.release() == null) {
        g.writeNullField("release");
      } else {
        g.writeObjectFieldStart("release");
        g.writeNumberField("number", c.release().number());
        g.writeStringField("signer", c.release().signer());
        g.writeBooleanField("allowRollback", c.release().allowRollback());
        g.writeEndObject();
      }
    }
    g.writeArrayFieldStart("entries");
    for (NewEntry e : c.entries()) {
      g.writeStartObject();
      g.writeStringField("type", e.type().apiName());
      g.writeStringField("hash", Hex.encode(e.value()));
      if (add || !e.list().isEmpty()) {
        g.writeStringField("list", e.list());
      } else {
        g.writeNullField("list");
      }
      if (add) {
        g.writeStringField("category", e.category());
        g.writeStringField("source", e.source());
        if (e.frames() != null) { // a video: its frame hashes, so a follower can rebuild it
          g.writeArrayFieldStart("frames");
          for (int f = 0; f < e.frames().length; f += 32) {
            g.writeString(Hex.encode(e.frames(), f, 32));
          }
          g.writeEndArray();
        }
      }
      g.writeEndObject();
    }
    g.writeEndArray();
    if (c.kind() == Change.Kind.LIST) {
      g.writeArrayFieldStart("removed");
      for (NewEntry e : c.removed()) {
        g.writeStartObject();
        g.writeStringField("type", e.type().apiName());
        g.writeStringField("hash", Hex.encode(e.value()));
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }
}
