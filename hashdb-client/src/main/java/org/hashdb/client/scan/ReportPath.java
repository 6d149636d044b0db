package org.hashdb.client.scan;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A file name as reported, kept lossless. Linux file names are bytes; Java decodes them with the
 * platform's {@code sun.jnu.encoding}, which turns bytes that are not valid UTF-8 (or, under a C
 * locale, any non-ASCII byte) into replacement characters. The {@link Path} object keeps the raw
 * bytes (so the file can still be opened), and {@link Path#toUri()} percent-encodes them: that is
 * the lossless form used here.
 *
 * @param display the path for people: the name itself when Java decoded it losslessly, else the
 *     raw bytes decoded as UTF-8 with each invalid byte written as {@code \xNN}
 * @param uri null when {@code display} is the exact name; else the {@code file:} URI whose
 *     percent-escapes give the raw bytes
 */
public record ReportPath(String display, String uri) {
  private static final boolean JNU_UTF8 =
      "UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding", "UTF-8"));

  /** The reported form of {@code path}. */
  public static ReportPath of(Path path) {
    String s = path.toString();
    if (isLossless(s)) {
      return new ReportPath(s, null);
    }
    String uri = path.toAbsolutePath().toUri().toString();
    byte[] raw = percentDecode(path.toAbsolutePath().toUri().getRawPath());
    return new ReportPath(decodeEscaped(raw), uri);
  }

  /** True when Java's string for a path is exactly its name (no byte was lost in decoding). */
  static boolean isLossless(String s) {
    if (JNU_UTF8) {
      return s.indexOf('\uFFFD') < 0;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 128 || c == '?') { // a C locale maps every non-ASCII byte to '?'
        return false;
      }
    }
    return true;
  }

  /**
   * A key that differs for every distinct file name, for the cache: the absolute path when that
   * is lossless, else {@code %} followed by the percent-encoded raw path.
   */
  static String key(Path path) {
    Path abs = path.toAbsolutePath();
    String s = abs.toString();
    return isLossless(s) ? s : "%" + abs.toUri().getRawPath();
  }

  static byte[] percentDecode(String raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%' && i + 2 < raw.length()) {
        out.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.write(c); // a raw URI path is ASCII
      }
    }
    return out.toByteArray();
  }

  /** UTF-8 decoding in which each byte of a malformed sequence becomes {@code \xNN}. */
  static String decodeEscaped(byte[] raw) {
    CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(raw);
    CharBuffer out = CharBuffer.allocate(raw.length * 4 + 4);
    StringBuilder sb = new StringBuilder(raw.length + 8);
    while (true) {
      CoderResult r = dec.decode(in, out, true);
      out.flip();
      sb.append(out);
      out.clear();
      if (r.isUnderflow()) {
        break;
      }
      if (r.isError()) {
        for (int i = 0; i < r.length(); i++) {
          sb.append(String.format("\\x%02x", raw[in.position()] & 0xff));
          in.position(in.position() + 1);
        }
      } else if (r.isOverflow()) {
        throw new IllegalStateException(new CharacterCodingException());
      }
    }
    return sb.toString();
  }
}
