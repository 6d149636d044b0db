package org.hashdb.core.release;

import org.hashdb.core.lists.LineError;
import org.hashdb.core.lists.ListReader;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.release.ReleaseVerificationException.Reason;
import org.hashdb.core.db.EntryValidator;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.ListUpdate;
import org.hashdb.core.db.ListUpdateResult;
import org.hashdb.core.db.NewEntry;
import org.hashdb.core.db.ReleaseMark;
import org.hashdb.core.db.ReleaseRollbackException;

/**
 * A verified list release ({@link ListReleaseFormat}), streamed as batches of entries.
 *
 * <p><b>Verify, then import.</b> A {@code verify...} method reads the release once, start to end:
 * it checks the header, digests and parses the payload, checks the trailer, the signer's key, the
 * signature, the digest, the rows and their count, and only then returns. Anything wrong throws
 * {@link ReleaseVerificationException} before a single entry has been handed out, so a refused
 * release never imports partially. {@link #next} then streams the entries in a second pass.
 *
 * <p><b>No time-of-check/time-of-use gap.</b> The second pass must read the very bytes the first
 * pass verified. {@link #verify(Path, TrustedKeys, Path)} therefore copies the payload, as it
 * reads it for verification, into a private spool file (owner-only, created by this class, deleted
 * by {@link #close}); the second pass reads that copy, so changing or replacing the original file
 * in between has no effect. {@link #verifySpooled} skips the copy for a file the caller already
 * owns exclusively (an HTTP upload spooled to a private temp file). As a second line of defence the
 * second pass digests again and counts rows, and the call that reaches the end throws instead of
 * returning the last batch if anything differs.
 *
 * <p>Memory: one read buffer, one line and the caller's batch, whatever the release's length. Not
 * thread-safe.
 */
public final class ListRelease implements Closeable {
  private static final int SCAN_BATCH = 1024;

  private final ReleaseHeader header;
  private final TrustedKeys.Key signer;
  private final Path payloadFile;
  private final boolean deleteOnClose;
  private final MessageDigest digest = ListReleaseFormat.sha256();
  private final ListReader reader;
  private long rows;
  private boolean eof;
  private boolean finished;

  private ListRelease(ReleaseHeader header, TrustedKeys.Key signer, Path payloadFile, long offset,
      boolean deleteOnClose) throws IOException {
    this.header = header;
    this.signer = signer;
    this.payloadFile = payloadFile;
    this.deleteOnClose = deleteOnClose;
    InputStream in = new BufferedInputStream(Files.newInputStream(payloadFile), 1 << 16);
    try {
      in.skipNBytes(offset);
    } catch (IOException e) {
      in.close();
      throw e;
    }
    this.reader = ListReader.builder(new DigestingInput(new Bounded(in, header.payloadLength(), true), digest, null),
        header.list()).build();
  }

  /** {@link #verify(Path, TrustedKeys, Path)} spooling to the system temp directory. */
  public static ListRelease verify(Path file, TrustedKeys keys) throws IOException, ReleaseVerificationException {
    return verify(file, keys, Path.of(System.getProperty("java.io.tmpdir")));
  }

  /**
   * Verifies the release in {@code file} against {@code keys}, copying its payload to a private
   * spool file in {@code spoolDir} (needs the payload's size in free space) that {@link #close}
   * deletes.
   *
   * @throws ReleaseVerificationException when the release must not be imported
   */
  public static ListRelease verify(Path file, TrustedKeys keys, Path spoolDir)
      throws IOException, ReleaseVerificationException {
    try (InputStream in = Files.newInputStream(file)) {
      return verify(in, Files.size(file), keys, spoolDir);
    }
  }

  /**
   * Verifies a release read from {@code in} (e.g. standard input), spooling its payload to
   * {@code spoolDir}; {@code size} is the stream's length if known, else -1.
   */
  public static ListRelease verify(InputStream in, long size, TrustedKeys keys, Path spoolDir)
      throws IOException, ReleaseVerificationException {
    Path spool = Files.createTempFile(spoolDir, "release-", ".spool"); // rw------- on POSIX
    boolean ok = false;
    try {
      ReleaseHeader h;
      TrustedKeys.Key signer;
      try (OutputStream copy = Files.newOutputStream(spool)) {
        Scan s = scan(in, size, keys, copy);
        h = s.header;
        signer = s.signer;
      }
      ListRelease r = new ListRelease(h, signer, spool, 0, true);
      ok = true;
      return r;
    } finally {
      if (!ok) {
        Files.deleteIfExists(spool);
      }
    }
  }

  /**
   * Verifies a release in a file the caller created and that nobody else writes while this object
   * is open, e.g. an HTTP upload spooled to a private temp file: it is read twice and not copied.
   * {@link #close} leaves the file in place (the caller deletes it).
   */
  public static ListRelease verifySpooled(Path privateFile, TrustedKeys keys)
      throws IOException, ReleaseVerificationException {
    Scan s;
    try (InputStream in = Files.newInputStream(privateFile)) {
      s = scan(in, Files.size(privateFile), keys, null);
    }
    return new ListRelease(s.header, s.signer, privateFile, s.headerLength, false);
  }

  /** The verified header (list name, release number, entry count...). */
  public ReleaseHeader header() {
    return header;
  }

  /** The trusted key whose signature verified. */
  public TrustedKeys.Key signer() {
    return signer;
  }

  /**
   * Imports this verified release into {@code db} as one atomic change (see {@link
   * HashDatabase#update}): a full release replaces the list's content, a delta adds and removes.
   * Its number is checked against the last one imported for the list from the same signer, which
   * {@code allowRollback} waives.
   *
   * @throws ReleaseRollbackException an older or equal release, not allowed; nothing changed
   * @throws ReleaseVerificationException the spooled payload changed since verification;
   *     nothing changed
   */
  public ListUpdateResult importInto(HashDatabase db, boolean allowRollback)
      throws IOException, ReleaseVerificationException {
    ReleaseMark mark = new ReleaseMark(signer.id(), header.release(), allowRollback);
    boolean full = header.kind() == ReleaseKind.FULL;
    return db.update(new ListUpdate(header.list(), full, mark), this::next,
        full ? null : this::nextRemoval);
  }

  /** Entries handed out so far. */
  public long rowsRead() {
    return rows;
  }

  /**
   * Adds up to {@code max} verified entries (a full release's content, a delta's adds) to
   * {@code batch}; returns false once they are exhausted (the batch may still have rows), like
   * {@link ListReader#next}. The call that reaches the end of the payload re-checks its digest
   * and row count and throws, rather than return the final batch, if the spooled payload changed
   * since verification.
   */
  public boolean next(List<NewEntry> batch, int max) throws IOException, ReleaseVerificationException {
    return read(batch, max, header.entryCount());
  }

  /**
   * Adds up to {@code max} of a delta's values to remove (type, value and list; category and
   * source "") to {@code batch}, after {@link #next} returned false; false once exhausted.
   */
  public boolean nextRemoval(List<NewEntry> batch, int max) throws IOException, ReleaseVerificationException {
    if (rows < header.entryCount()) {
      throw new IllegalStateException("read the entries (next) before the removals");
    }
    return read(batch, max, header.rows());
  }

  private boolean read(List<NewEntry> batch, int max, long end) throws IOException, ReleaseVerificationException {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1, got " + max);
    }
    if (finished || rows >= end && end < header.rows()) {
      return false;
    }
    int want = (int) Math.min(max, end - rows);
    if (want > 0 && !eof) {
      int before = batch.size();
      LineError[] error = {null};
      eof = !reader.next(batch, want, e -> {
        if (error[0] == null) {
          error[0] = e;
        }
      });
      rows += batch.size() - before;
      if (error[0] != null) {
        throw changed(Reason.BAD_ROWS, "payload row no longer parses (" + error[0] + ")");
      }
    }
    if (rows < end) {
      if (eof) {
        throw changed(Reason.COUNT_MISMATCH, rows + " rows, signed count " + header.rows());
      }
      return true;
    }
    if (end < header.rows()) {
      return false; // the entries are done; the removals follow
    }
    List<NewEntry> extra = new ArrayList<>(1);
    while (!eof) {
      eof = !reader.next(extra, 1, e -> extra.add(null));
      if (!extra.isEmpty()) {
        throw changed(Reason.COUNT_MISMATCH, "more rows than the signed count " + header.rows());
      }
    }
    finished = true;
    if (!MessageDigest.isEqual(digest.digest(), header.payloadSha256())) {
      throw changed(Reason.DIGEST_MISMATCH, "payload digest differs");
    }
    return false;
  }

  private ReleaseVerificationException changed(Reason r, String what) {
    finished = true;
    return new ReleaseVerificationException(r, "release changed after verification: " + what);
  }

  /** Closes the reader and deletes the private spool copy, if this object made one. */
  @Override
  public void close() throws IOException {
    try {
      reader.close();
    } finally {
      if (deleteOnClose) {
        Files.deleteIfExists(payloadFile);
      }
    }
  }

  // ---- the verification pass ----

  private record Scan(ReleaseHeader header, TrustedKeys.Key signer, int headerLength) {}

  /** Reads a whole release once, copying the payload to {@code copy} if non-null. */
  private static Scan scan(InputStream raw, long size, TrustedKeys keys, OutputStream copy)
      throws IOException, ReleaseVerificationException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
    byte[] magic = new byte[ListReleaseFormat.MAGIC.length];
    readFully(in, magic, "magic");
    if (!Arrays.equals(magic, ListReleaseFormat.MAGIC)) {
      throw new ReleaseVerificationException(Reason.BAD_MAGIC, "not a list release (bad magic)");
    }
    int version;
    ReleaseKind kind = ReleaseKind.DELTA; // version 1: additive
    int nameLength;
    byte[] name;
    long release;
    long created;
    long count;
    long removeCount = 0;
    long payloadLength;
    byte[] sha = new byte[ListReleaseFormat.DIGEST_BYTES];
    try {
      version = in.readUnsignedShort();
      if (version != ListReleaseFormat.VERSION && version != ListReleaseFormat.VERSION_1) {
        throw new ReleaseVerificationException(Reason.UNSUPPORTED_VERSION,
            "release format version " + version + " is not supported (this build reads "
                + ListReleaseFormat.VERSION_1 + " and " + ListReleaseFormat.VERSION + ")");
      }
      if (version != ListReleaseFormat.VERSION_1) {
        int code = in.readUnsignedByte();
        kind = ReleaseKind.ofCode(code);
        if (kind == null) {
          throw malformed("unknown release kind " + code);
        }
      }
      nameLength = in.readUnsignedShort();
      if (nameLength < 1 || nameLength > ListReleaseFormat.MAX_LIST_NAME_BYTES) {
        throw malformed("list name length " + nameLength + " not in 1.." + ListReleaseFormat.MAX_LIST_NAME_BYTES);
      }
      name = new byte[nameLength];
      in.readFully(name);
      release = in.readLong();
      created = in.readLong();
      count = in.readLong();
      if (version != ListReleaseFormat.VERSION_1) {
        removeCount = in.readLong();
      }
      payloadLength = in.readLong();
      in.readFully(sha);
    } catch (EOFException e) {
      throw truncated("header");
    }
    String list;
    try {
      list = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(name)).toString();
      EntryValidator.checkListName(list);
    } catch (CharacterCodingException | IllegalArgumentException e) {
      throw malformed("bad list name");
    }
    if (release < 0 || count < 0 || removeCount < 0 || payloadLength < 0) {
      throw malformed("negative release number, entry or removal count or payload length");
    }
    if (kind == ReleaseKind.FULL && removeCount != 0) {
      throw malformed("a full release with " + removeCount + " removals");
    }
    int headerLength = ListReleaseFormat.headerLength(version, nameLength);
    if (size >= 0) {
      long rest = size - headerLength - ListReleaseFormat.TRAILER_BYTES;
      if (rest < payloadLength) {
        throw truncated("payload or trailer (file has " + size + " bytes)");
      }
      if (rest > payloadLength) {
        throw new ReleaseVerificationException(Reason.TRAILING_DATA,
            "file is " + (rest - payloadLength) + " bytes longer than header + payload + trailer");
      }
    }
    ReleaseHeader header = new ReleaseHeader(version, list, kind, release, created, count,
        removeCount, payloadLength, sha);

    // Payload: digest, copy and parse in the same read.
    MessageDigest md = ListReleaseFormat.sha256();
    Bounded payload = new Bounded(in, payloadLength, false);
    DigestingInput tee = new DigestingInput(payload, md, copy);
    long rows = 0;
    long badRows = 0;
    String firstBad = null;
    List<NewEntry> sink = new ArrayList<>(SCAN_BATCH);
    ListReader reader = ListReader.builder(tee, list).build(); // not closed: it would close `in`
    try {
      LineError[] first = {null};
      long[] bad = {0};
      boolean more;
      do {
        sink.clear();
        more = reader.next(sink, SCAN_BATCH, e -> {
          if (bad[0]++ == 0) {
            first[0] = e;
          }
        });
        rows += sink.size();
      } while (more);
      badRows = bad[0];
      firstBad = first[0] == null ? null : first[0].toString();
    } catch (CharacterCodingException e) {
      badRows++;
      firstBad = e.getMessage();
    }
    tee.drain();
    if (payload.remaining > 0) {
      throw truncated("payload (" + payload.remaining + " of " + payloadLength + " bytes missing)");
    }
    byte[] keyId = new byte[ListReleaseFormat.KEY_ID_BYTES];
    byte[] signature = new byte[ListReleaseFormat.SIGNATURE_BYTES];
    readFully(in, keyId, "trailer");
    readFully(in, signature, "trailer");
    if (in.read() >= 0) {
      throw new ReleaseVerificationException(Reason.TRAILING_DATA, "bytes after the trailer");
    }

    TrustedKeys.Key key = keys.find(keyId);
    if (key == null) {
      throw new ReleaseVerificationException(Reason.UNKNOWN_KEY, "release is signed by key "
          + Hex.encode(keyId) + ", which is not trusted (trusted: "
          + (keys.keys().isEmpty() ? "none" : keys.keys()) + ")");
    }
    if (!TrustedKeys.verify(key, ListReleaseFormat.encodeHeader(header), signature)) {
      throw new ReleaseVerificationException(Reason.BAD_SIGNATURE,
          "signature does not verify against trusted key " + key + " (header altered or signature damaged)");
    }
    if (!MessageDigest.isEqual(md.digest(), sha)) {
      throw new ReleaseVerificationException(Reason.DIGEST_MISMATCH,
          "payload does not match its signed SHA-256 (payload altered)");
    }
    keys.checkScope(key, list);
    if (badRows > 0) {
      throw new ReleaseVerificationException(Reason.BAD_ROWS,
          "signed payload has " + badRows + " row(s) that do not parse, first: " + firstBad);
    }
    if (rows != header.rows()) {
      throw new ReleaseVerificationException(Reason.COUNT_MISMATCH, (removeCount == 0
          ? "signed entry count is " + count
          : "signed entry and removal counts are " + count + " + " + removeCount)
          + " but the payload has " + rows + " rows");
    }
    return new Scan(header, key, headerLength);
  }

  private static void readFully(DataInputStream in, byte[] b, String what)
      throws IOException, ReleaseVerificationException {
    try {
      in.readFully(b);
    } catch (EOFException e) {
      throw truncated(what);
    }
  }

  private static ReleaseVerificationException truncated(String where) {
    return new ReleaseVerificationException(Reason.TRUNCATED, "release is truncated in the " + where);
  }

  private static ReleaseVerificationException malformed(String what) {
    return new ReleaseVerificationException(Reason.MALFORMED_HEADER, "malformed header: " + what);
  }

  /** At most {@code remaining} bytes of the underlying stream. */
  private static final class Bounded extends FilterInputStream {
    long remaining;
    private final boolean closeUnderlying;

    Bounded(InputStream in, long limit, boolean closeUnderlying) {
      super(in);
      this.remaining = limit;
      this.closeUnderlying = closeUnderlying;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }

    @Override
    public long skip(long n) {
      return 0; // every byte must pass through the digest
    }

    @Override
    public int available() throws IOException {
      return (int) Math.min(in.available(), remaining);
    }

    @Override
    public void close() throws IOException {
      if (closeUnderlying) {
        in.close();
      } // else the release stream goes on with the trailer
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }

  /** Feeds every byte read to a digest and, if given, a copy. */
  private static final class DigestingInput extends FilterInputStream {
    private final MessageDigest md;
    private final OutputStream copy;

    DigestingInput(InputStream in, MessageDigest md, OutputStream copy) {
      super(in);
      this.md = md;
      this.copy = copy;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        md.update((byte) b);
        if (copy != null) {
          copy.write(b);
        }
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        md.update(b, off, n);
        if (copy != null) {
          copy.write(b, off, n);
        }
      }
      return n;
    }

    @Override
    public long skip(long n) {
      return 0;
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    /** Reads to the end, so bytes left unparsed are still digested and copied. */
    void drain() throws IOException {
      byte[] buf = new byte[8192];
      while (read(buf, 0, buf.length) >= 0) {
        // digest and copy only
      }
    }
  }
}
