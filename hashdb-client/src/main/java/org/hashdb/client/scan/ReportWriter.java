package org.hashdb.client.scan;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hashdb.core.hash.HashType;

/**
 * Collects what a scan finds ({@link ScanListener}, thread-safe) and writes it as a report.
 *
 * <p>JSON: {@code {"tool","startedAt","roots","types","matches":[{path, pathUri?, size, type,
 * hash, list, category, distance, entry}], "problems":[{path, pathUri?, message, error}],
 * "summary":{files, bytes, hashedFiles, cachedFiles, skipped, skippedReasons:{reason: n},
 * errors, matches, matchedFiles, durationMillis, complete, failure?, exitCode}}}. {@code pathUri}
 * appears only for names that are not valid UTF-8 (see {@link ReportPath}).
 *
 * <p>CSV (RFC 4180, header row): {@code kind,path,path_uri,size,type,hash,list,category,distance,entry,message}
 * with kind {@code match}, {@code error} or {@code skipped}, then the summary: rows of kind
 * {@code summary} with the figure's name in {@code path} and its value in {@code message}
 * (files, bytes, ..., complete, failure, exitCode; one {@code skipped: REASON} row per reason).
 */
public final class ReportWriter implements ScanListener {
  /** Report formats. */
  public enum Format { JSON, CSV }

  private final List<FileMatch> matches = new ArrayList<>();
  private final List<ScanProblem> problems = new ArrayList<>();
  private final Instant startedAt = Instant.now();

  @Override
  public synchronized void onMatch(FileMatch match) {
    matches.add(match);
  }

  @Override
  public synchronized void onProblem(ScanProblem problem) {
    problems.add(problem);
  }

  public synchronized List<FileMatch> matches() {
    return List.copyOf(matches);
  }

  public synchronized List<ScanProblem> problems() {
    return List.copyOf(problems);
  }

  /** Writes the report to {@code file} atomically (temp file, fsync, rename). */
  public void write(Path file, Format format, ScanOptions options, ScanSummary summary) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      write(out, format, options, summary);
    }
    try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Writes the report to {@code out} (not closed). */
  public void write(OutputStream out, Format format, ScanOptions options, ScanSummary summary) throws IOException {
    if (format == Format.CSV) {
      writeCsv(out, summary);
    } else {
      writeJson(out, options, summary);
    }
  }

  private synchronized void writeJson(OutputStream out, ScanOptions options, ScanSummary s) throws IOException {
    try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeStringField("tool", "hashdb scan");
      g.writeStringField("startedAt", startedAt.toString());
      g.writeArrayFieldStart("roots");
      for (Path r : options.roots()) {
        g.writeString(ReportPath.of(r).display());
      }
      g.writeEndArray();
      g.writeArrayFieldStart("types");
      for (HashType t : HashType.values()) {
        if (options.types().contains(t)) {
          g.writeString(t.apiName());
        }
      }
      g.writeEndArray();
      g.writeArrayFieldStart("matches");
      for (FileMatch m : matches) {
        g.writeStartObject();
        path(g, m.path());
        g.writeNumberField("size", m.size());
        g.writeStringField("type", m.type().apiName());
        g.writeStringField("hash", m.hash());
        g.writeStringField("list", m.match().list());
        g.writeStringField("category", m.match().category());
        g.writeNumberField("distance", m.match().distance());
        g.writeStringField("entry", m.match().entry());
        if (m.video() != null) {
          g.writeNumberField("queryPercent", m.video().queryPercent());
          g.writeNumberField("storedPercent", m.video().storedPercent());
          g.writeStringField("rule", m.video().rule());
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("problems");
      for (ScanProblem p : problems) {
        g.writeStartObject();
        path(g, p.path());
        g.writeStringField("message", p.message());
        g.writeBooleanField("error", p.error());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeObjectFieldStart("summary");
      g.writeNumberField("files", s.files());
      g.writeNumberField("bytes", s.bytes());
      g.writeNumberField("hashedFiles", s.hashedFiles());
      g.writeNumberField("cachedFiles", s.cachedFiles());
      g.writeNumberField("skipped", s.skipped());
      g.writeObjectFieldStart("skippedReasons");
      for (var e : s.skippedReasons().entrySet()) {
        g.writeNumberField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
      g.writeNumberField("errors", s.errors());
      g.writeNumberField("matches", s.matches());
      g.writeNumberField("matchedFiles", s.matchedFiles());
      g.writeNumberField("durationMillis", s.duration().toMillis());
      g.writeBooleanField("complete", !s.incomplete());
      if (s.failure() != null) {
        g.writeStringField("failure", s.failure());
      }
      g.writeNumberField("exitCode", s.exitCode());
      g.writeEndObject();
      g.writeEndObject();
    }
    out.write('\n');
    out.flush();
  }

  private static void path(JsonGenerator g, ReportPath p) throws IOException {
    g.writeStringField("path", p.display());
    if (p.uri() != null) {
      g.writeStringField("pathUri", p.uri());
    }
  }

  private synchronized void writeCsv(OutputStream out, ScanSummary s) throws IOException {
    Writer w = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8);
    w.write("kind,path,path_uri,size,type,hash,list,category,distance,entry,message\r\n");
    for (FileMatch m : matches) {
      row(w, "match", m.path(), Long.toString(m.size()), m.type().apiName(), m.hash(), m.match().list(),
          m.match().category(), Integer.toString(m.match().distance()), m.match().entry(), videoNote(m));
    }
    for (ScanProblem p : problems) {
      row(w, p.error() ? "error" : "skipped", p.path(), "", "", "", "", "", "", "", p.message());
    }
    summaryRow(w, "files", s.files());
    summaryRow(w, "bytes", s.bytes());
    summaryRow(w, "hashedFiles", s.hashedFiles());
    summaryRow(w, "cachedFiles", s.cachedFiles());
    summaryRow(w, "skipped", s.skipped());
    for (var e : s.skippedReasons().entrySet()) {
      summaryRow(w, "skipped: " + e.getKey(), e.getValue());
    }
    summaryRow(w, "errors", s.errors());
    summaryRow(w, "matches", s.matches());
    summaryRow(w, "matchedFiles", s.matchedFiles());
    summaryRow(w, "durationMillis", s.duration().toMillis());
    summaryRow(w, "complete", !s.incomplete());
    if (s.failure() != null) {
      summaryRow(w, "failure", s.failure());
    }
    summaryRow(w, "exitCode", s.exitCode());
    w.flush();
  }

  private static void summaryRow(Writer w, String name, Object value) throws IOException {
    w.write("summary,");
    w.write(csv(name));
    w.write(",,,,,,,,,");
    w.write(csv(String.valueOf(value)));
    w.write("\r\n");
  }

  /** For a video match: rule and both percentages (the CSV's message column), else "". */
  public static String videoNote(FileMatch m) {
    if (m.video() == null) {
      return "";
    }
    return String.format(java.util.Locale.ROOT, "rule=%s query=%.2f%% stored=%.2f%%",
        m.video().rule(), m.video().queryPercent(), m.video().storedPercent());
  }

  private static void row(Writer w, String kind, ReportPath path, String... rest) throws IOException {
    w.write(kind);
    w.write(',');
    w.write(csv(path.display()));
    w.write(',');
    w.write(csv(path.uri() == null ? "" : path.uri()));
    for (String f : rest) {
      w.write(',');
      w.write(csv(f));
    }
    w.write("\r\n");
  }

  /** RFC 4180 quoting; a leading = + - @ is prefixed with ' so spreadsheets do not run it. */
  static String csv(String s) {
    String v = s;
    if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0 && !v.chars().allMatch(c -> c == '-' || Character.isDigit(c))) {
      v = "'" + v;
    }
    if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
      return '"' + v.replace("\"", "\"\"") + '"';
    }
    return v;
  }

  /** The format for a report file name: CSV for {@code .csv}, else JSON. */
  public static Format formatFor(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv") ? Format.CSV : Format.JSON;
  }
}
