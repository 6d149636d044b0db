package org.hashdb.server.api;

import org.hashdb.server.ApiException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.lists.ListFormat;
import org.hashdb.core.lists.ListReader;
import org.hashdb.core.release.ListRelease;
import org.hashdb.core.release.ReleaseDecryptionException;
import org.hashdb.core.release.ReleaseEncryption;
import org.hashdb.core.release.ReleaseEnvelopeFormat;
import org.hashdb.core.release.ReleaseVerificationException;
import org.hashdb.core.release.TrustedKeys;
import org.hashdb.core.release.X25519KeyPair;
import org.hashdb.core.db.AddResult;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.ListUpdateResult;
import org.hashdb.core.db.ReleaseRollbackException;
import org.hashdb.core.db.NewEntry;
import org.hashdb.server.audit.AuditLog;
import org.hashdb.server.auth.ApiKey;
import org.hashdb.server.metrics.ServerMetrics;

/**
 * One streamed list import: the event loop hands body chunks over with {@link #offer}, a worker
 * thread parses lines as they arrive and adds them in durable batches of {@value #BATCH}
 * entries. Lines that do not parse are rejected with their line number; the others are added
 * (an import is not all-or-nothing: batches already added stay when a later line is bad or the
 * client disconnects). The response future completes once the whole body was read.
 *
 * <p>Formats are those of {@link ListReader} (CSV {@code type,hash[,category[,source[,quality]]]}
 * with optional header and RFC 4180 quoting, or one hex hash per line of a given type), the
 * same as the offline {@code hashdb import}; or a signed list release ({@link ListRelease}),
 * verified against the server's trusted keys before anything is added, and decrypted first with
 * the configured key if it is encrypted ({@link ReleaseEnvelopeFormat}). Invalid UTF-8 stops the
 * import at that line (the batches before it stay added) with a 400 naming the line.
 */
public final class ImportJob implements Runnable {
  /** Entries per durable batch. */
  static final int BATCH = 10_000;
  /** Rejected lines reported in the response (all are counted). */
  static final int MAX_REPORTED = 1000;
  private static final long HIGH_WATER = 4 << 20; // pause reading above this many queued bytes
  private static final long LOW_WATER = 1 << 20; // resume below this
  private static final Object END = new Object();
  private static final Object ABORT = new Object();

  private final HashDatabase db;
  private final AuditLog audit;
  private final ServerMetrics metrics;
  private final ApiKey key;
  private String list; // from the request, or from the release header
  private final TrustedKeys releaseKeys; // non-null: the body is a signed release
  private final Path releaseDecryptKey; // decrypts an encrypted release; null: those are refused
  private long releaseNumber = -1;
  private final boolean allowRollback; // a release not newer than the last one is imported anyway
  private AuditLog.Fields releaseFields; // set once a release was imported
  private final ListFormat format;
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
  private final List<Long> reportedLines = new ArrayList<>();
  private final List<String> reportedMessages = new ArrayList<>();
  private final List<NewEntry> batch = new ArrayList<>(BATCH);
  private final ChunkStream body = new ChunkStream();

  ImportJob(HashDatabase db, AuditLog audit, ServerMetrics metrics, ApiKey key, String list,
      ListFormat format, HashType hexType, TrustedKeys releaseKeys, Path releaseDecryptKey,
      boolean allowRollback, ByteBufAllocator alloc) {
    this.allowRollback = allowRollback;
    this.releaseKeys = releaseKeys;
    this.releaseDecryptKey = releaseDecryptKey;
    this.db = db;
    this.audit = audit;
    this.metrics = metrics;
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
    ByteBuf c = chunk.readerIndex() == 0 ? chunk : chunk.slice(); // accounting uses writerIndex
    long q = queuedBytes.addAndGet(c.writerIndex());
    chunks.add(c);
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
    } finally {
      body.close();
    }
    if ((aborted || failure != null) && added > 0) {
      // batches already added stay: the change is recorded although the request failed
      try {
        String outcome = aborted ? "aborted" : "failed";
        audit.event("import", key.name(), key.id(), g -> {
          g.writeStringField("list", list);
          g.writeNumberField("added", added);
          g.writeStringField("outcome", outcome);
          g.writeNumberField("sequence", db.sequence());
        });
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (aborted) {
      result.cancel(false);
      return;
    }
    if (failure != null) {
      result.completeExceptionally(partial(failure));
      return;
    }
    long s = sequence == 0 ? db.sequence() : sequence;
    try {
      AuditLog.Fields fields = releaseFields != null ? releaseFields
          : AuditLog.importFields(list, releaseNumber, added, alreadyPresent, rejected, s);
      // durable before the import is acknowledged; a failure here fails the request
      audit.event("import", key.name(), key.id(), fields);
      result.complete(ApiService.json(alloc, HttpResponseStatus.OK, g -> {
        g.writeStartObject();
        if (releaseFields != null) {
          releaseFields.write(g);
          g.writeEndObject();
          return;
        }
        AuditLog.writeImportCounts(g, list, releaseNumber, added, alreadyPresent, rejected);
        g.writeArrayFieldStart("rejectedLines");
        for (int i = 0; i < reportedLines.size(); i++) {
          g.writeStartObject();
          g.writeNumberField("line", reportedLines.get(i));
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

  /**
   * An import is not all-or-nothing: when storage refuses a batch (disk full, capacity), the
   * error says how much of the import was durably added before it.
   */
  private Throwable partial(Throwable failure) {
    ApiException a = ApiErrors.of(failure);
    if (a.status().code() != 507) {
      return failure;
    }
    return new ApiException(a.status(), a.code(), a.getMessage() + "; this import added "
        + added + " entries before it stopped (durable, up to sequence " + sequence + ")");
  }

  /** Reads and discards the rest of the body; true when the client aborted. */
  private boolean drain() {
    try {
      byte[] skip = new byte[8192];
      while (body.read(skip, 0, skip.length) >= 0) {
        // discard
      }
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** Parses and adds the whole body; true when the client aborted. */
  private boolean parse() throws IOException {
    if (releaseKeys != null) {
      return parseRelease();
    }
    ListReader reader;
    try {
      reader = ListReader.builder(body, list).format(format).type(hexType).build();
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidRequest(e.getMessage());
    }
    try {
      boolean more = true;
      while (more) {
        more = reader.next(batch, BATCH, err -> reject(err.line(), err.reason()));
        flush();
      }
      return false;
    } catch (ClientGone e) {
      return true;
    } catch (CharacterCodingException e) {
      throw ApiException.invalidRequest(e.getMessage() + "; " + added
          + " entries from the lines before it were added");
    }
  }

  /**
   * A signed release: verified completely (spooled to a private temp file), then applied as one
   * atomic change (a full release replaces the list, a delta adds and removes), so a tampered,
   * truncated, untrusted or older release changes nothing.
   */
  private boolean parseRelease() throws IOException {
    try (ListRelease rel = ListRelease.verify(maybeDecrypting(), -1, releaseKeys,
        Path.of(System.getProperty("java.io.tmpdir")))) {
      String name = rel.header().list();
      if (list != null && !list.equals(name)) {
        throw ApiException.invalidRequest("list: the release is of list '" + name + "', not '"
            + list + "'; nothing imported");
      }
      list = name;
      releaseNumber = rel.header().release();
      String signer = rel.signer().id();
      long previous = db.lastRelease(name, signer);
      long t0 = System.nanoTime();
      ListUpdateResult r = rel.importInto(db, allowRollback);
      metrics.addLatency(System.nanoTime() - t0);
      added = r.added();
      alreadyPresent = r.alreadyPresent();
      sequence = r.sequence();
      releaseFields = AuditLog.releaseFields(rel.header(), signer, allowRollback, previous, r);
      return false;
    } catch (ClientGone e) {
      return true;
    } catch (ReleaseRollbackException e) {
      throw new ApiException(HttpResponseStatus.CONFLICT, "release_rollback", e.getMessage()
          + " (allowRollback=true imports it anyway)");
    } catch (ReleaseVerificationException e) {
      // applied as one change after its last row was read: nothing was imported
      throw ApiException.badRequest("release_refused", e.getMessage() + "; nothing imported");
    } catch (ReleaseDecryptionException e) {
      // Decryption happens in the verification pass, before any entry is added.
      throw ApiException.badRequest("release_refused", "encrypted release: " + e.getMessage()
          + "; nothing imported");
    }
  }

  /**
   * The body, or its decryption when it is an encrypted release ({@link ReleaseEnvelopeFormat},
   * told apart by its magic). The verification pass reads it to the end, so every chunk is
   * authenticated before the first entry is added.
   */
  private InputStream maybeDecrypting() throws IOException {
    InputStream in = new BufferedInputStream(body, 1 << 16);
    in.mark(ReleaseEnvelopeFormat.HEADER_BYTES);
    byte[] head = in.readNBytes(ReleaseEnvelopeFormat.HEADER_BYTES);
    in.reset();
    if (!ReleaseEnvelopeFormat.startsWithMagic(head)) {
      return in;
    }
    if (releaseDecryptKey == null) {
      throw ApiException.badRequest("release_refused", "the release is encrypted and this server has no"
          + " decryption key (serve --release-decrypt-key); nothing imported");
    }
    return ReleaseEncryption.decrypting(in, X25519KeyPair.readPrivateKey(releaseDecryptKey));
  }

  /** The client disconnected in the middle of the body. */
  private static final class ClientGone extends IOException {
    private static final long serialVersionUID = 1L;

    ClientGone() {
      super("client disconnected", null);
    }
  }

  /** The body as a blocking stream over the chunks the event loop hands over. */
  private final class ChunkStream extends InputStream {
    private ByteBuf current;
    private boolean ended;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      while (current == null || !current.isReadable()) {
        if (current != null) {
          release(current);
          current = null;
        }
        if (ended) {
          return -1;
        }
        Object o;
        try {
          o = chunks.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new ClientGone();
        }
        if (o == END) {
          ended = true;
          return -1;
        }
        if (o == ABORT) {
          throw new ClientGone();
        }
        current = (ByteBuf) o;
      }
      int n = Math.min(len, current.readableBytes());
      current.readBytes(b, off, n);
      return n;
    }

    @Override
    public void close() {
      if (current != null) {
        release(current);
        current = null;
      }
    }
  }

  private void release(ByteBuf b) {
    long q = queuedBytes.addAndGet(-b.writerIndex());
    b.release();
    if (q < LOW_WATER && paused.compareAndSet(true, false)) {
      resume.run();
    }
  }

  private void reject(long lineNo, String message) {
    rejected++;
    if (reportedLines.size() < MAX_REPORTED) {
      reportedLines.add(lineNo);
      reportedMessages.add(message);
    }
  }

  private void flush() throws IOException {
    if (batch.isEmpty()) {
      return;
    }
    long t0 = System.nanoTime();
    AddResult r = db.add(batch);
    metrics.addLatency(System.nanoTime() - t0);
    added += r.added();
    alreadyPresent += r.alreadyPresent();
    sequence = Math.max(sequence, r.sequence());
    batch.clear();
  }
}
