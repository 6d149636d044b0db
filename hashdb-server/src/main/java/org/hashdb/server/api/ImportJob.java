package org.hashdb.server.api;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.hashdb.core.hash.HashFormatException;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.store.AddResult;
import org.hashdb.core.store.EntryValidator;
import org.hashdb.core.store.HashDatabase;
import org.hashdb.core.store.NewEntry;
import org.hashdb.server.auth.ApiKey;

/**
 * One streamed list import: the event loop hands body chunks over with {@link #offer}, a worker
 * thread parses lines as they arrive and adds them in durable batches of {@value #BATCH}
 * entries. Lines that do not parse are rejected with their line number; the others are added
 * (an import is not all-or-nothing: batches already added stay when a later line is bad or the
 * client disconnects). The response future completes once the whole body was read.
 *
 * <p>Formats: CSV {@code type,hash[,category[,source]]} with an optional header line
 * ({@code type,...}), no quoting (the source takes the rest of the line, commas included); or
 * one hex hash per line with the type given as a parameter. Blank lines and lines starting
 * with {@code #} are skipped.
 */
public final class ImportJob implements Runnable {
  /** Entries per durable batch. */
  static final int BATCH = 10_000;
  /** Longest line accepted, bytes. */
  static final int MAX_LINE = 8192;
  /** Rejected lines reported in the response (all are counted). */
  static final int MAX_REPORTED = 1000;
  private static final long HIGH_WATER = 4 << 20; // pause reading above this many queued bytes
  private static final long LOW_WATER = 1 << 20; // resume below this
  private static final Object END = new Object();
  private static final Object ABORT = new Object();

  /** Body format. */
  public enum Format {
    CSV,
    HEX
  }

  private final HashDatabase db;
  private final ApiService service;
  private final ApiKey key;
  private final String list;
  private final Format format;
  private final HashType hexType; // type of hex lines (and nothing for CSV)
  private final ByteBufAllocator alloc;
  private final LinkedBlockingQueue<Object> chunks = new LinkedBlockingQueue<>();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicBoolean paused = new AtomicBoolean();
  private final CompletableFuture<FullHttpResponse> result = new CompletableFuture<>();
  private volatile Runnable resume = () -> {};

  // worker state
  private long added;
  private long alreadyPresent;
  private long rejected;
  private long sequence;
  private final List<long[]> reportedLines = new ArrayList<>(); // {line}
  private final List<String> reportedMessages = new ArrayList<>();
  private final List<NewEntry> batch = new ArrayList<>(BATCH);
  private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

  ImportJob(HashDatabase db, ApiService service, ApiKey key, String list, Format format,
      HashType hexType, ByteBufAllocator alloc) {
    this.db = db;
    this.service = service;
    this.key = key;
    this.list = list;
    this.format = format;
    this.hexType = hexType;
    this.alloc = alloc;
  }

  /** The response, completed after {@link #finish()} once everything was added. */
  public CompletableFuture<FullHttpResponse> result() {
    return result;
  }

  /** Called (from the worker) when reading may resume after {@link #offer} returned false. */
  public void onResume(Runnable r) {
    this.resume = r;
  }

  /**
   * Hands a chunk of the body over (ownership included). Returns false when the worker is
   * behind: the caller should stop reading until the resume callback runs.
   */
  public boolean offer(ByteBuf chunk) {
    long q = queuedBytes.addAndGet(chunk.readableBytes());
    chunks.add(chunk);
    if (q > HIGH_WATER) {
      paused.set(true);
      if (queuedBytes.get() > LOW_WATER) {
        return false;
      }
      paused.set(false);
    }
    return true;
  }

  /** The body is complete. */
  public void finish() {
    chunks.add(END);
  }

  /** The client is gone: stop after the current batch, drop what is queued. */
  public void abort() {
    chunks.add(ABORT);
  }

  @Override
  public void run() {
    Throwable failure = null;
    boolean aborted = false;
    try {
      aborted = parse();
      if (!aborted) {
        flush();
      }
    } catch (Throwable t) {
      failure = t;
      aborted = drain();
    }
    if (aborted) {
      result.cancel(false);
      return;
    }
    if (failure != null) {
      result.completeExceptionally(failure);
      return;
    }
    long s = sequence == 0 ? db.sequence() : sequence;
    service.audit().event("import", key.name(), g -> {
      g.writeStringField("list", list);
      g.writeNumberField("added", added);
      g.writeNumberField("alreadyPresent", alreadyPresent);
      g.writeNumberField("rejected", rejected);
      g.writeNumberField("sequence", s);
    });
    try {
      result.complete(ApiService.json(alloc, HttpResponseStatus.OK, g -> {
        g.writeStartObject();
        g.writeStringField("list", list);
        g.writeNumberField("added", added);
        g.writeNumberField("alreadyPresent", alreadyPresent);
        g.writeNumberField("rejected", rejected);
        g.writeArrayFieldStart("rejectedLines");
        for (int i = 0; i < reportedLines.size(); i++) {
          g.writeStartObject();
          g.writeNumberField("line", reportedLines.get(i)[0]);
          g.writeStringField("message", reportedMessages.get(i));
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeBooleanField("rejectedLinesTruncated", rejected > reportedLines.size());
        g.writeNumberField("sequence", s);
        g.writeEndObject();
      }));
    } catch (Throwable t) {
      result.completeExceptionally(t);
    }
  }

  /** Reads and discards the rest of the body; true when the client aborted. */
  private boolean drain() {
    while (true) {
      Object o = take();
      if (o == END) {
        return false;
      }
      if (o == ABORT || o == null) {
        return true;
      }
      release((ByteBuf) o);
    }
  }

  private Object take() {
    try {
      return chunks.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private void release(ByteBuf b) {
    long q = queuedBytes.addAndGet(-b.readableBytes());
    b.release();
    if (q < LOW_WATER && paused.compareAndSet(true, false)) {
      resume.run();
    }
  }

  /** Parses lines until the end of the body; true when the client aborted. */
  private boolean parse() throws IOException {
    byte[] line = new byte[MAX_LINE];
    int len = 0;
    boolean tooLong = false;
    long lineNo = 0;
    while (true) {
      Object o = take();
      if (o == ABORT || o == null) {
        return true;
      }
      if (o == END) {
        if (len > 0 || tooLong) {
          lineNo++;
          line(line, len, tooLong, lineNo);
        }
        return false;
      }
      ByteBuf b = (ByteBuf) o;
      int readable = b.readableBytes();
      try {
        for (int i = b.readerIndex(), end = b.writerIndex(); i < end; i++) {
          byte c = b.getByte(i);
          if (c == '\n') {
            lineNo++;
            line(line, len, tooLong, lineNo);
            len = 0;
            tooLong = false;
          } else if (len < MAX_LINE) {
            line[len++] = c;
          } else {
            tooLong = true;
          }
        }
      } finally {
        long q = queuedBytes.addAndGet(-readable);
        b.release();
        if (q < LOW_WATER && paused.compareAndSet(true, false)) {
          resume.run();
        }
      }
    }
  }

  private void line(byte[] buf, int len, boolean tooLong, long lineNo) throws IOException {
    if (tooLong) {
      reject(lineNo, "line longer than " + MAX_LINE + " bytes");
      return;
    }
    String text;
    try {
      text = utf8.decode(ByteBuffer.wrap(buf, 0, len)).toString();
    } catch (CharacterCodingException e) {
      reject(lineNo, "invalid UTF-8");
      return;
    }
    text = text.strip();
    if (text.isEmpty() || text.charAt(0) == '#') {
      return;
    }
    NewEntry e;
    try {
      e = format == Format.HEX ? new NewEntry(hexType, Hex.decode(hexType, text), list, "", "")
          : csv(text, lineNo);
      if (e == null) {
        return; // header
      }
      EntryValidator.check(e);
    } catch (IllegalArgumentException ex) {
      reject(lineNo, ex.getMessage());
      return;
    }
    batch.add(e);
    if (batch.size() >= BATCH) {
      flush();
    }
  }

  private NewEntry csv(String text, long lineNo) {
    String[] f = text.split(",", 4);
    String typeName = f[0].strip();
    if (added + alreadyPresent + batch.size() + rejected == 0 && typeName.equalsIgnoreCase("type")) {
      return null;
    }
    if (f.length < 2) {
      throw new IllegalArgumentException("expected type,hash[,category[,source]]");
    }
    HashType type = HashType.parse(typeName);
    byte[] value;
    try {
      value = Hex.decode(type, f[1].strip());
    } catch (HashFormatException ex) {
      throw ex;
    }
    String category = f.length > 2 ? f[2].strip() : "";
    String source = f.length > 3 ? f[3].strip() : "";
    return new NewEntry(type, value, list, category, source);
  }

  private void reject(long lineNo, String message) {
    rejected++;
    if (reportedLines.size() < MAX_REPORTED) {
      reportedLines.add(new long[] {lineNo});
      reportedMessages.add(message);
    }
  }

  private void flush() throws IOException {
    if (batch.isEmpty()) {
      return;
    }
    long t0 = System.nanoTime();
    AddResult r = db.add(batch);
    service.metrics().addLatency(System.nanoTime() - t0);
    added += r.added();
    alreadyPresent += r.alreadyPresent();
    sequence = Math.max(sequence, r.sequence());
    batch.clear();
  }
}
