package org.hashdb.core.video;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hashdb.core.hash.HashFormatException;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;

/**
 * Reads and writes vPDQ text, Meta's per-video format: one line per hashed frame,
 * {@code frame_number,quality,pdq_hex,timestamp_seconds}, timestamps with three decimals
 * ({@code 0,100,e271...055c,0.000}). Blank lines are skipped; anything else malformed is an error
 * naming the line, so a damaged file never imports half-way.
 */
public final class VpdqText {
  /** Most frames one file may hold: 24 hours at one frame per second. */
  public static final int MAX_FRAMES = 86_400;
  private static final int MAX_LINE_CHARS = 256;

  private VpdqText() {}

  /** Reads a vPDQ file (UTF-8). */
  public static List<VpdqFrame> read(Path file) throws IOException {
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(r);
    } catch (HashFormatException e) {
      throw new HashFormatException(file + ": " + e.getMessage());
    }
  }

  /** Reads vPDQ text; throws {@link HashFormatException} naming the first bad line. */
  public static List<VpdqFrame> read(Reader in) throws IOException {
    BufferedReader r = in instanceof BufferedReader b ? b : new BufferedReader(in);
    List<VpdqFrame> frames = new ArrayList<>();
    String line;
    int lineNo = 0;
    while ((line = r.readLine()) != null) {
      lineNo++;
      if (line.length() > MAX_LINE_CHARS) {
        throw new HashFormatException("line " + lineNo + " is longer than " + MAX_LINE_CHARS + " characters");
      }
      String s = line.strip();
      if (s.isEmpty()) {
        continue;
      }
      if (frames.size() >= MAX_FRAMES) {
        throw new HashFormatException("more than " + MAX_FRAMES + " frames");
      }
      frames.add(parseLine(s, lineNo));
    }
    return frames;
  }

  /** Parses one line. */
  public static VpdqFrame parseLine(String line, int lineNo) {
    String[] f = line.split(",", -1);
    if (f.length != 4) {
      throw new HashFormatException("line " + lineNo
          + ": expected frame_number,quality,pdq_hex,timestamp (4 fields), got " + f.length);
    }
    try {
      int frame = Integer.parseInt(f[0].strip());
      int quality = Integer.parseInt(f[1].strip());
      byte[] hash = Hex.decode(HashType.PDQ, f[2].strip());
      double ts = Double.parseDouble(f[3].strip());
      return new VpdqFrame(frame, quality, hash, ts);
    } catch (NumberFormatException e) {
      throw new HashFormatException("line " + lineNo + ": not a number: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new HashFormatException("line " + lineNo + ": " + e.getMessage());
    }
  }

  /** One line, without the line break. */
  public static String format(VpdqFrame f) {
    return f.frameNumber() + "," + f.quality() + "," + f.hex() + ","
        + String.format(Locale.ROOT, "%.3f", f.timestampSeconds());
  }

  /** Writes the frames, one line each ending in {@code \n}. */
  public static void write(List<VpdqFrame> frames, Appendable out) throws IOException {
    for (VpdqFrame f : frames) {
      out.append(format(f)).append('\n');
    }
  }
}
