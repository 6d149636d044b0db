package org.hashdb.core.release;

import org.hashdb.core.lists.LineError;
import org.hashdb.core.lists.ListReader;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.db.EntryValidator;
import org.hashdb.core.db.NewEntry;

/**
 * Writes signed list releases ({@link ListReleaseFormat}). Rows are streamed from a
 * {@link ListReader} and written in canonical form ({@code type,hash,category,source}, lowercase
 * hex, quoting only where needed), so memory is one batch whatever the list's length. A source
 * with any bad line produces no file. The file appears atomically (written beside the target,
 * then renamed). Stateless; the static methods are thread-safe.
 */
public final class ListReleaseWriter {
  private static final int BATCH = 4096;

  private ListReleaseWriter() {}

  /**
   * Signs the rows of a CSV list ({@link org.hashdb.core.lists.ListFormat#CSV}) as release
   * {@code release} of {@code list}: a delta that only adds. Bad lines go to {@code errors}; if
   * there is any, no file is written and an {@link IllegalArgumentException} says how many.
   */
  public static ReleaseHeader write(InputStream csv, String list, long release, Instant created,
      Ed25519KeyPair key, Path out, Consumer<LineError> errors) throws IOException {
    try (ListReader rows = ListReader.builder(csv, list).build()) {
      return write(rows, list, release, created, key, out, errors);
    }
  }

  /**
   * Signs the entries {@code rows} yields (every entry must be on {@code list}) as a delta that
   * only adds; see {@link #write(InputStream, String, long, Instant, Ed25519KeyPair, Path, Consumer)}.
   */
  public static ReleaseHeader write(ListReader rows, String list, long release, Instant created,
      Ed25519KeyPair key, Path out, Consumer<LineError> errors) throws IOException {
    return write(ReleaseKind.DELTA, rows, null, list, release, created, key, out, errors);
  }

  /**
   * Signs a release of {@code kind}: {@code rows} are a full release's whole content or a delta's
   * entries to add; {@code removals} (delta only, null for none) the values to remove, of which
   * only type and hash are kept. Every entry must be on {@code list}.
   */
  public static ReleaseHeader write(ReleaseKind kind, ListReader rows, ListReader removals,
      String list, long release, Instant created, Ed25519KeyPair key, Path out,
      Consumer<LineError> errors) throws IOException {
    EntryValidator.checkListName(list);
    if (kind == ReleaseKind.FULL && removals != null) {
      throw new IllegalArgumentException("a full release lists the whole content; removals are for a delta");
    }
    if (release < 0) {
      throw new IllegalArgumentException("release must be >= 0, got " + release);
    }
    byte[] name = list.getBytes(StandardCharsets.UTF_8);
    int headerLength = ListReleaseFormat.headerLength(ListReleaseFormat.VERSION, name.length);
    Path abs = out.toAbsolutePath();
    Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
    boolean done = false;
    try {
      ReleaseHeader header;
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.allocate(headerLength)); // placeholder, rewritten once digest and count are known
        MessageDigest md = ListReleaseFormat.sha256();
        long[] bad = {0};
        // Not closed: that would close the channel, which still takes the header and trailer.
        OutputStream payload = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
        long[] written = {0, 0}; // rows, bytes
        Consumer<LineError> counting = e -> {
          bad[0]++;
          errors.accept(e);
        };
        long count = writeRows(rows, list, false, payload, md, written, counting);
        long removeCount = removals == null ? 0 : writeRows(removals, list, true, payload, md, written, counting);
        if (bad[0] > 0) {
          throw new IllegalArgumentException(bad[0] + " bad line" + (bad[0] == 1 ? "" : "s") + "; release not written");
        }
        payload.flush();
        long payloadLength = written[1];
        header = new ReleaseHeader(ListReleaseFormat.VERSION, list, kind, release, created.toEpochMilli(),
            count, removeCount, payloadLength, md.digest());
        byte[] h = ListReleaseFormat.encodeHeader(header);
        assert h.length == headerLength;
        writeFully(ch, ByteBuffer.wrap(h), 0);
        ByteBuffer trailer = ByteBuffer.allocate(ListReleaseFormat.TRAILER_BYTES);
        trailer.put(key.rawKeyId()).put(key.sign(h)).flip();
        writeFully(ch, trailer, headerLength + payloadLength);
        ch.force(true);
      }
      Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      done = true;
      return header;
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /** Writes every row of {@code rows} to the payload; returns how many. */
  private static long writeRows(ListReader rows, String list, boolean removal, OutputStream payload,
      MessageDigest md, long[] written, Consumer<LineError> errors) throws IOException {
    List<NewEntry> batch = new ArrayList<>(BATCH);
    StringBuilder row = new StringBuilder(160);
    long count = 0;
    boolean more;
    do {
      batch.clear();
      more = rows.next(batch, BATCH, errors);
      for (NewEntry e : batch) {
        if (!e.list().equals(list)) {
          throw new IllegalArgumentException("entry on list '" + e.list() + "' in a release of list '" + list + "'");
        }
        if (removal && e.type().isVideo()) {
          throw new IllegalArgumentException("a removal names a hash: vpdq rows cannot be removed by a release");
        }
        byte[] line = formatRow(removal ? new NewEntry(e.type(), e.value(), list, "", "") : e, row);
        payload.write(line);
        md.update(line);
        written[1] += line.length;
        count++;
      }
    } while (more);
    written[0] += count;
    return count;
  }

  /** One canonical payload row; {@link ListReader} parses it back to an equal entry. */
  static byte[] formatRow(NewEntry e, StringBuilder sb) {
    sb.setLength(0);
    sb.append(e.type().apiName()).append(',').append(Hex.encode(e.value())).append(',');
    appendField(sb, e.category());
    sb.append(',');
    appendField(sb, e.source());
    sb.append('\n');
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void appendField(StringBuilder sb, String f) {
    if (f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("category or source contains a line break");
    }
    if (f.indexOf(',') < 0 && f.indexOf('"') < 0) {
      sb.append(f);
      return;
    }
    sb.append('"');
    for (int i = 0; i < f.length(); i++) {
      char c = f.charAt(i);
      if (c == '"') {
        sb.append('"');
      }
      sb.append(c);
    }
    sb.append('"');
  }

  private static void writeFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
    long p = position;
    while (b.hasRemaining()) {
      p += ch.write(b, p);
    }
  }
}
