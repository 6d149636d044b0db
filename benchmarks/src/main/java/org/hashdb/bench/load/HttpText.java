package org.hashdb.bench.load;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** Reading a response head byte by byte (one thread per connection: state per thread). */
final class HttpText {
  private static final ThreadLocal<int[]> LENGTH = ThreadLocal.withInitial(() -> new int[1]);

  private HttpText() {}

  /** Reads the status line and headers; remembers Content-Length for {@link #contentLength()}. */
  static int readStatusAndHeaders(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder(64);
    readLine(in, line);
    String status = line.toString();
    int sp = status.indexOf(' ');
    int code = Integer.parseInt(status.substring(sp + 1, sp + 4));
    int length = 0;
    while (true) {
      readLine(in, line);
      if (line.length() == 0) {
        break;
      }
      if (line.length() > 15 && line.substring(0, 15).equalsIgnoreCase("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    LENGTH.get()[0] = length;
    return code;
  }

  static int contentLength() {
    return LENGTH.get()[0];
  }

  static void readLine(InputStream in, StringBuilder line) throws IOException {
    line.setLength(0);
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("connection closed");
      }
      if (c == '\n') {
        if (line.length() > 0 && line.charAt(line.length() - 1) == '\r') {
          line.setLength(line.length() - 1);
        }
        return;
      }
      line.append((char) c);
    }
  }

  static void readFully(InputStream in, byte[] b, int len) throws IOException {
    int n = 0;
    while (n < len) {
      int r = in.read(b, n, len - n);
      if (r < 0) {
        throw new EOFException("connection closed");
      }
      n += r;
    }
  }
}
