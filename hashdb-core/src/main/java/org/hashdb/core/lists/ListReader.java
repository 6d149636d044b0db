package org.hashdb.core.lists;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.db.EntryValidator;
import org.hashdb.core.db.NewEntry;

/**
 * Streams a hash list file ({@link ListFormat}) as batches of {@link NewEntry}, so a file of any
 * length needs memory for one batch only. Bad lines are handed to an error callback with their
 * line number and reading goes on; the caller decides whether one bad line rejects the file.
 * Not thread-safe.
 */
public final class ListReader implements Closeable {
  /** Longest accepted line in characters; longer lines are rejected without being buffered whole. */
  public static final int MAX_LINE_CHARS = 4096;

  /** PDQ hashes below this quality are refused unless forced (PDQ's own recommendation). */
  public static final int MIN_PDQ_QUALITY = 50;

  private final Reader in;
  private final ListFormat format;
  private final HashType hexType;
  private final String list;
  private final String defaultCategory;
  private final String defaultSource;
  private final boolean allowLowQuality;
  private final java.nio.file.Path videoBase; // null: vpdq rows are refused
  private final StringBuilder line = new StringBuilder(128);
  private final char[] buf = new char[1 << 15];
  private int pos;
  private int limit;
  private long lineNumber;
  private boolean eof;

  private ListReader(Builder b) {
    this.in = new InputStreamReader(b.in, StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT));
    this.format = b.format;
    this.hexType = b.type;
    this.list = b.list;
    this.defaultCategory = b.category;
    this.defaultSource = b.source;
    this.allowLowQuality = b.allowLowQuality;
    this.videoBase = b.videoBase;
  }

  /** Starts a reader over {@code in} for entries on {@code list}. */
  public static Builder builder(InputStream in, String list) {
    return new Builder(in, list);
  }

  /**
   * Reads until {@code batch} holds {@code max} more entries or the input ends; bad lines go to
   * {@code errors}. Returns false once the input is exhausted (the batch may still have rows).
   *
   * @throws CharacterCodingException when the input is not valid UTF-8 (the line is named)
   */
  public boolean next(List<NewEntry> batch, int max, Consumer<LineError> errors) throws IOException {
    int added = 0;
    while (added < max) {
      if (!readLine()) {
        return false;
      }
      String s = line.toString().strip();
      if (s.isEmpty() || s.startsWith("#")) {
        continue;
      }
      if (line.length() > MAX_LINE_CHARS) {
        errors.accept(new LineError(lineNumber, "line longer than " + MAX_LINE_CHARS + " characters"));
        continue;
      }
      try {
        NewEntry e = format == ListFormat.CSV ? parseCsv(s) : parseHex(s);
        if (e != null) {
          batch.add(e);
          added++;
        }
      } catch (IllegalArgumentException ex) {
        errors.accept(new LineError(lineNumber, ex.getMessage()));
      }
    }
    return true;
  }

  /** Number of the last line read (1-based). */
  public long lineNumber() {
    return lineNumber;
  }

  /** Reads the next line into {@link #line} (at most MAX_LINE_CHARS + 1 chars kept). */
  private boolean readLine() throws IOException {
    if (eof) {
      return false;
    }
    line.setLength(0);
    boolean any = false;
    while (true) {
      if (pos == limit) {
        try {
          limit = in.read(buf, 0, buf.length);
        } catch (CharacterCodingException e) {
          throw new InvalidUtf8Exception(lineNumber + 1);
        }
        pos = 0;
        if (limit <= 0) {
          limit = 0;
          eof = true;
          if (any) {
            lineNumber++;
          }
          return any;
        }
      }
      any = true;
      int start = pos;
      while (pos < limit && buf[pos] != '\n') {
        pos++;
      }
      int room = MAX_LINE_CHARS + 1 - line.length();
      if (room > 0) {
        line.append(buf, start, Math.min(room, pos - start));
      }
      if (pos < limit) {
        pos++; // the newline
        lineNumber++;
        return true;
      }
    }
  }

  /** Input that is not valid UTF-8; names the line. */
  static final class InvalidUtf8Exception extends CharacterCodingException {
    private static final long serialVersionUID = 1L;
    private final long line;

    InvalidUtf8Exception(long line) {
      this.line = line;
    }

    @Override
    public String getMessage() {
      return "line " + line + ": input is not valid UTF-8";
    }
  }

  private NewEntry parseHex(String s) {
    return new NewEntry(hexType, Hex.decode(hexType, s), list, defaultCategory, defaultSource);
  }

  private NewEntry parseCsv(String s) {
    List<String> f = CsvSplitter.split(s);
    if (isHeader(f)) {
      return null;
    }
    if (f.size() < 2 || f.size() > 5) {
      throw new IllegalArgumentException(
          "expected type,hash[,category[,source[,quality]]] but got " + f.size() + " fields");
    }
    HashType type = HashType.parse(f.get(0).strip());
    String category = f.size() > 2 && !f.get(2).isBlank() ? f.get(2).strip() : defaultCategory;
    String source = f.size() > 3 && !f.get(3).isBlank() ? f.get(3).strip() : defaultSource;
    if (type.isVideo()) {
      if (f.size() > 4) {
        throw new IllegalArgumentException("vpdq rows take no quality (each frame has its own)");
      }
      return videoEntry(f.get(1).strip(), category, source);
    }
    byte[] value = Hex.decode(type, f.get(1).strip());
    if (f.size() > 4 && !f.get(4).isBlank()) {
      checkQuality(type, f.get(4).strip());
    }
    NewEntry e = new NewEntry(type, value, list, category, source);
    EntryValidator.check(e);
    return e;
  }

  /** A vpdq row: its hash field names a vPDQ file, relative to the list file's directory. */
  private NewEntry videoEntry(String file, String category, String source) {
    if (videoBase == null) {
      throw new IllegalArgumentException(
          "vpdq rows reference vPDQ files: import them with hashdb import from the list's directory");
    }
    java.nio.file.Path p = videoBase.resolve(file);
    java.util.List<org.hashdb.core.video.VpdqFrame> frames;
    try {
      frames = org.hashdb.core.video.VpdqText.read(p);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IllegalArgumentException("vPDQ file not found: " + file);
    } catch (IOException e) {
      throw new IllegalArgumentException("vPDQ file " + file + " cannot be read: " + e.getMessage());
    }
    byte[] canonical = org.hashdb.core.video.VpdqFrames.canonical(frames,
        org.hashdb.core.video.VpdqFrames.DEFAULT_MIN_QUALITY);
    if (canonical.length == 0) {
      throw new IllegalArgumentException("vPDQ file " + file + " has no frame of quality >= "
          + org.hashdb.core.video.VpdqFrames.DEFAULT_MIN_QUALITY);
    }
    NewEntry e = NewEntry.video(canonical, list, category, source);
    EntryValidator.check(e);
    return e;
  }

  private boolean isHeader(List<String> f) {
    return !f.isEmpty() && f.get(0).strip().toLowerCase(Locale.ROOT).equals("type")
        && f.size() > 1 && f.get(1).strip().toLowerCase(Locale.ROOT).startsWith("hash");
  }

  private void checkQuality(HashType type, String q) {
    if (type != HashType.PDQ) {
      throw new IllegalArgumentException("quality is only for pdq rows");
    }
    int quality;
    try {
      quality = Integer.parseInt(q);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("quality must be an integer 0..100");
    }
    if (quality < 0 || quality > 100) {
      throw new IllegalArgumentException("quality must be in 0..100, got " + quality);
    }
    if (quality < MIN_PDQ_QUALITY && !allowLowQuality) {
      throw new IllegalArgumentException("pdq quality " + quality + " is below "
          + MIN_PDQ_QUALITY + " (such hashes match unreliably; force to import anyway)");
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** Options of a {@link ListReader}. */
  public static final class Builder {
    private final InputStream in;
    private final String list;
    private ListFormat format = ListFormat.CSV;
    private HashType type;
    private String category = "";
    private String source = "";
    private boolean allowLowQuality;
    private java.nio.file.Path videoBase;

    private Builder(InputStream in, String list) {
      this.in = in;
      EntryValidator.checkListName(list);
      this.list = list;
    }

    public Builder format(ListFormat f) {
      this.format = f;
      return this;
    }

    /** Type of the hashes in {@link ListFormat#HEX} input (required there). */
    public Builder type(HashType t) {
      this.type = t;
      return this;
    }

    /** Category for rows that give none. */
    public Builder category(String c) {
      this.category = c == null ? "" : c;
      return this;
    }

    /** Source for rows that give none. */
    public Builder source(String s) {
      this.source = s == null ? "" : s;
      return this;
    }

    /**
     * Accept vpdq rows, whose hash field names a vPDQ file resolved against {@code dir} (the list
     * file's directory). Without this, vpdq rows are refused (e.g. lists uploaded to a server).
     */
    public Builder videoFiles(java.nio.file.Path dir) {
      this.videoBase = dir;
      return this;
    }

    /** Accept pdq rows whose quality is below {@link #MIN_PDQ_QUALITY}. */
    public Builder allowLowQuality(boolean allow) {
      this.allowLowQuality = allow;
      return this;
    }

    public ListReader build() {
      if (format == ListFormat.HEX && type == null) {
        throw new IllegalArgumentException("hex lists need the hash type (--type)");
      }
      return new ListReader(this);
    }
  }

  /** Splits one CSV line (RFC 4180 quoting) into fields. */
  static final class CsvSplitter {
    private CsvSplitter() {}

    static List<String> split(String s) {
      List<String> out = new ArrayList<>(5);
      StringBuilder f = new StringBuilder();
      boolean quoted = false;
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (quoted) {
          if (c == '"') {
            if (i + 1 < s.length() && s.charAt(i + 1) == '"') {
              f.append('"');
              i++;
            } else {
              quoted = false;
            }
          } else {
            f.append(c);
          }
        } else if (c == '"' && f.toString().isBlank()) {
          f.setLength(0);
          quoted = true;
        } else if (c == ',') {
          out.add(f.toString());
          f.setLength(0);
        } else {
          f.append(c);
        }
      }
      if (quoted) {
        throw new IllegalArgumentException("unterminated quoted field");
      }
      out.add(f.toString());
      return out;
    }
  }
}
