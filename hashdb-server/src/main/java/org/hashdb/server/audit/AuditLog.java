package org.hashdb.server.audit;

import org.hashdb.server.logs.LineWriter;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.hashdb.core.db.ListUpdateResult;
import org.hashdb.core.release.ReleaseHeader;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * The audit trail, in two streams. Match records ({@code audit.jsonl}, one per request that
 * matched, see {@link MatchSummary}) are appended from any thread without blocking it: encoded
 * by the caller and handed to one writer thread through a bounded lock-free queue
 * ({@link LineWriter}); if the writer falls behind by more than the queue holds, records are
 * dropped, counted, and a record saying how many were dropped is written once it catches up
 * (blocking an event loop on disk would stall every client). Administrative changes
 * ({@link #event}) go to their own stream, {@link AdminAuditLog}, which is written and fsynced
 * on the calling (worker) thread before the change is acknowledged, never dropped and never
 * rotated away.
 */
public final class AuditLog implements Closeable {
  /** Name of the current audit file. */
  public static final String FILE_NAME = "audit.jsonl";

  private static final JsonFactory JSON = new JsonFactory();

  private final LineWriter writer; // match records; null: disabled
  private final AdminAuditLog admin;

  private AuditLog(LineWriter writer, AdminAuditLog admin) {
    this.writer = writer;
    this.admin = admin;
  }

  /**
   * Opens the audit logs of {@code dir}: {@code audit.jsonl} (matches, rotated) and
   * {@code admin-audit.jsonl} (changes, durable).
   *
   * @param maxBytes rotate once the current file reaches this size (>= 4096)
   * @param maxFiles rotated files to keep (>= 1)
   * @param droppedCounter told how many records were dropped, e.g. a metric
   */
  public static AuditLog open(Path dir, long maxBytes, int maxFiles, LongConsumer droppedCounter)
      throws IOException {
    AdminAuditLog admin = AdminAuditLog.open(dir);
    try {
      return new AuditLog(new LineWriter(dir, FILE_NAME, maxBytes, maxFiles, 1 << 16,
          "hashdb-audit", droppedCounter,
          n -> new Encoded(encode("audit_dropped", "", null,
              g -> g.writeNumberField("records", n)))), admin);
    } catch (IOException | RuntimeException e) {
      admin.close();
      throw e;
    }
  }

  /** An audit log that records nothing. */
  public static AuditLog disabled() {
    return new AuditLog(null, AdminAuditLog.disabled());
  }

  /**
   * Records what one request of key {@code keyName} ({@code keyId}) on {@code route} matched:
   * one record however many hashes matched. Nothing when {@code s} is empty. Never blocks.
   */
  public void matches(String keyName, String keyId, String route, MatchSummary s) {
    if (writer == null || s.isEmpty()) {
      return;
    }
    String digest = s.digestHex();
    writer.offer(new Encoded(encode("match", keyName, keyId, g -> {
      g.writeStringField("route", route);
      g.writeNumberField("hashes", s.hashes());
      g.writeNumberField("matches", s.matches());
      g.writeStringField("digest", "sha256:" + digest);
      g.writeArrayFieldStart("lists");
      for (Map.Entry<String, Map<String, long[]>> l : s.groups().entrySet()) {
        for (Map.Entry<String, long[]> c : l.getValue().entrySet()) {
          g.writeStartObject();
          g.writeStringField("list", l.getKey());
          g.writeStringField("category", c.getKey());
          g.writeNumberField("matches", c.getValue()[0]);
          g.writeEndObject();
        }
      }
      g.writeEndArray();
      if (s.otherMatches() > 0) {
        g.writeNumberField("otherMatches", s.otherMatches());
      }
    })));
  }

  /**
   * The fields of an {@code import} record, the same whether the server or {@code hashdb import}
   * ran it: {@link #writeImportCounts} and the sequence number.
   *
   * @param release the release number of a signed release, or -1
   */
  public static Fields importFields(String list, long release, long added, long alreadyPresent,
      long rejected, long sequence) {
    return g -> {
      writeImportCounts(g, list, release, added, alreadyPresent, rejected);
      g.writeNumberField("sequence", sequence);
    };
  }

  /**
   * What an import did, as its audit record and its API response both give it: list, release
   * (when one was imported, else -1 and left out), added, alreadyPresent, rejected.
   */
  public static void writeImportCounts(JsonGenerator g, String list, long release, long added,
      long alreadyPresent, long rejected) throws IOException {
    g.writeStringField("list", list);
    if (release >= 0) {
      g.writeNumberField("release", release);
    }
    g.writeNumberField("added", added);
    g.writeNumberField("alreadyPresent", alreadyPresent);
    g.writeNumberField("rejected", rejected);
  }

  /**
   * The audit record (and API response fields) of an imported release: list, release number,
   * kind, signer key id, added, alreadyPresent, removed, rejected (0), the sequence number of its
   * one change and, when the operator allowed a rollback, {@code allowRollback: true} with the
   * highest number imported before ({@code previousRelease}, -1 for none).
   */
  public static Fields releaseFields(ReleaseHeader h, String signer, boolean allowRollback,
      long previousRelease, ListUpdateResult r) {
    return g -> {
      writeImportCounts(g, h.list(), h.release(), r.added(), r.alreadyPresent(), 0);
      g.writeStringField("kind", h.kind().apiName());
      g.writeStringField("signer", signer);
      g.writeNumberField("removed", r.removed());
      if (allowRollback) {
        g.writeBooleanField("allowRollback", true);
        g.writeNumberField("previousRelease", previousRelease);
      }
      g.writeNumberField("sequence", r.sequence());
    };
  }

  /** Fields of one record, written by the caller. */
  public interface Fields {
    void write(JsonGenerator g) throws IOException;
  }

  /**
   * Records an administrative change (add, remove, import, snapshot) made with key
   * {@code keyName}: appended to the admin stream and fsynced before this returns, so call it
   * after the change is durable and before it is acknowledged. Blocks on disk: worker threads
   * only.
   *
   * @throws UncheckedIOException when the record cannot be written (the change must then not be
   *     reported as done)
   */
  public void event(String event, String keyName, Fields fields) {
    event(event, keyName, null, fields);
  }

  /** {@link #event(String, String, Fields)} with the key's public id. */
  public void event(String event, String keyName, String keyId, Fields fields) {
    try {
      admin.append(encode(event, keyName, keyId, fields));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the admin audit record: " + e.getMessage(), e);
    }
  }

  /**
   * One line of the admin stream for a change made outside the server (a {@code keys} command):
   * {@code actor} says who, e.g. {@code cli}.
   */
  public static void recordOffline(Path dir, String event, String actor, Fields fields)
      throws IOException {
    AdminAuditLog.appendOnce(dir, encode(event, actor, null, fields));
  }

  private static byte[] encode(String event, String keyName, String keyId, Fields fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = JSON.createGenerator((OutputStream) out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField("time", Instant.now().toString());
      g.writeStringField("event", event);
      g.writeStringField("key", keyName);
      if (keyId != null) {
        g.writeStringField("keyId", keyId);
      }
      fields.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.write('\n');
    return out.toByteArray();
  }

  /** A record encoded by the caller. */
  private static final class Encoded extends LineWriter.Line {
    private final byte[] bytes;

    Encoded(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    protected void encode(ByteArrayOutputStream out) {
      out.writeBytes(bytes);
    }
  }

  /** Writes what is queued and stops the writer; closes the admin stream. */
  @Override
  public void close() {
    if (writer != null) {
      writer.close();
    }
    try {
      admin.close();
    } catch (IOException ignored) {
      // every record was fsynced when written: nothing is lost
    }
  }
}
