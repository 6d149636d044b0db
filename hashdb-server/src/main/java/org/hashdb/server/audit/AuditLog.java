package org.hashdb.server.audit;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.LongConsumer;
import org.hashdb.core.store.Match;

/**
 * Appends audit records from any thread without blocking it: records are encoded by the caller
 * (so a record shows the values as they were at the call) and handed to one writer thread
 * through a bounded lock-free queue ({@link LineWriter}). If the writer falls behind by more
 * than the queue holds, records are dropped, counted, and a record saying how many were dropped
 * is written once it catches up (blocking an event loop on disk would stall every client).
 */
public final class AuditLog implements Closeable {
  /** Name of the current audit file. */
  public static final String FILE_NAME = "audit.jsonl";

  private static final JsonFactory JSON = new JsonFactory();

  private final LineWriter writer; // null: disabled

  private AuditLog(LineWriter writer) {
    this.writer = writer;
  }

  /**
   * Opens the audit log of {@code dir}.
   *
   * @param maxBytes rotate once the current file reaches this size (>= 4096)
   * @param maxFiles rotated files to keep (>= 1)
   * @param droppedCounter told how many records were dropped, e.g. a metric
   */
  public static AuditLog open(Path dir, long maxBytes, int maxFiles, LongConsumer droppedCounter)
      throws IOException {
    return new AuditLog(new LineWriter(dir, FILE_NAME, maxBytes, maxFiles, 1 << 16,
        "hashdb-audit", droppedCounter,
        n -> new Encoded(encode("audit_dropped", "", g -> g.writeNumberField("records", n)))));
  }

  /** An audit log that records nothing. */
  public static AuditLog disabled() {
    return new AuditLog(null);
  }

  /** Records a match returned to key {@code keyName} by {@code route}. */
  public void match(String keyName, String route, Match m) {
    if (writer == null) {
      return;
    }
    writer.offer(new Encoded(encode("match", keyName, g -> {
      g.writeStringField("route", route);
      g.writeStringField("type", m.type().apiName());
      g.writeStringField("entry", m.entry());
      g.writeStringField("list", m.list());
      g.writeStringField("category", m.category());
      g.writeNumberField("distance", m.distance());
    })));
  }

  /** Fields of one record, written by the caller. */
  public interface Fields {
    void write(JsonGenerator g) throws IOException;
  }

  /** Records an event (e.g. an administrative change) with its fields. */
  public void event(String event, String keyName, Fields fields) {
    if (writer == null) {
      return;
    }
    writer.offer(new Encoded(encode(event, keyName, fields)));
  }

  private static byte[] encode(String event, String keyName, Fields fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = JSON.createGenerator((OutputStream) out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField("time", Instant.now().toString());
      g.writeStringField("event", event);
      g.writeStringField("key", keyName);
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
    void encode(ByteArrayOutputStream out) {
      out.writeBytes(bytes);
    }
  }

  /** Writes what is queued and stops the writer. */
  @Override
  public void close() {
    if (writer != null) {
      writer.close();
    }
  }
}
