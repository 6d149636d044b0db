package org.hashdb.server.audit;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.hashdb.core.store.Match;

/**
 * Appends audit records from any thread without blocking it: records are encoded by the caller
 * and handed to one writer thread through a bounded queue. If the writer falls behind by more
 * than the queue holds, records are dropped, counted, and a record saying how many were dropped
 * is written once it catches up (blocking an event loop on disk would stall every client).
 */
public final class AuditLog implements Closeable {
  /** Name of the current audit file. */
  public static final String FILE_NAME = "audit.jsonl";

  private static final System.Logger LOG = System.getLogger(AuditLog.class.getName());
  private static final JsonFactory JSON = new JsonFactory();
  private static final byte[] STOP = new byte[0];

  private final Path dir; // null: disabled
  private final long maxBytes;
  private final int maxFiles;
  private final LongConsumer droppedCounter;
  private final BlockingQueue<byte[]> queue;
  private final AtomicLong dropped = new AtomicLong();
  private final Thread writer;
  private volatile boolean closed;

  private AuditLog(Path dir, long maxBytes, int maxFiles, int queueSize, LongConsumer dropped) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.maxFiles = maxFiles;
    this.droppedCounter = dropped;
    this.queue = new ArrayBlockingQueue<>(queueSize);
    if (dir != null) {
      writer = new Thread(this::run, "hashdb-audit");
      writer.setDaemon(true);
      writer.start();
    } else {
      writer = null;
    }
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
    if (maxBytes < 4096) {
      throw new IllegalArgumentException("maxBytes must be >= 4096, got " + maxBytes);
    }
    if (maxFiles < 1) {
      throw new IllegalArgumentException("maxFiles must be >= 1, got " + maxFiles);
    }
    Files.createDirectories(dir);
    return new AuditLog(dir, maxBytes, maxFiles, 1 << 16, droppedCounter);
  }

  /** An audit log that records nothing. */
  public static AuditLog disabled() {
    return new AuditLog(null, Long.MAX_VALUE, 1, 1, n -> {});
  }

  /** Records a match returned to key {@code keyName} by {@code route}. */
  public void match(String keyName, String route, Match m) {
    if (dir == null) {
      return;
    }
    enqueue(encode("match", keyName, g -> {
      g.writeStringField("route", route);
      g.writeStringField("type", m.type().apiName());
      g.writeStringField("entry", m.entry());
      g.writeStringField("list", m.list());
      g.writeStringField("category", m.category());
      g.writeNumberField("distance", m.distance());
    }));
  }

  /** Fields of one record, written by the caller. */
  public interface Fields {
    void write(JsonGenerator g) throws IOException;
  }

  /** Records an event (e.g. an administrative change) with its fields. */
  public void event(String event, String keyName, Fields fields) {
    if (dir == null) {
      return;
    }
    enqueue(encode(event, keyName, fields));
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

  private void enqueue(byte[] record) {
    if (closed || !queue.offer(record)) {
      dropped.incrementAndGet();
      droppedCounter.accept(1);
    }
  }

  private void run() {
    Path file = dir.resolve(FILE_NAME);
    OutputStream out = null;
    long size = 0;
    List<byte[]> batch = new ArrayList<>();
    try {
      out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      size = Files.size(file);
      while (true) {
        byte[] first = queue.poll(1, TimeUnit.SECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, 4096);
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
          batch.add(encode("audit_dropped", "", g -> g.writeNumberField("records", lost)));
        }
        boolean stop = false;
        for (byte[] r : batch) {
          if (r == STOP) {
            stop = true;
            continue;
          }
          if (size > 0 && size + r.length > maxBytes) {
            out.close();
            rotate(file);
            out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            size = 0;
          }
          out.write(r);
          size += r.length;
        }
        batch.clear();
        out.flush();
        if (stop) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.ERROR, "audit log stopped: " + e.getMessage(), e);
    } finally {
      if (out != null) {
        try {
          out.close();
        } catch (IOException ignored) {
          // nothing left to do with a closing audit file
        }
      }
    }
  }

  private void rotate(Path file) throws IOException {
    Files.deleteIfExists(dir.resolve(FILE_NAME + "." + maxFiles));
    for (int i = maxFiles - 1; i >= 1; i--) {
      Path from = dir.resolve(FILE_NAME + "." + i);
      if (Files.exists(from)) {
        Files.move(from, dir.resolve(FILE_NAME + "." + (i + 1)), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.move(file, dir.resolve(FILE_NAME + ".1"), StandardCopyOption.REPLACE_EXISTING);
  }

  /** Writes what is queued and stops the writer. */
  @Override
  public void close() {
    if (writer == null || closed) {
      return;
    }
    closed = true;
    try {
      queue.put(STOP);
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
