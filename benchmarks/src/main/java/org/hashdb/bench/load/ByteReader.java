package org.hashdb.bench.load;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * An unsynchronized buffered reader of a socket's bytes: the load generator must spend as
 * little CPU as possible (it shares the machine with the servers), the same for both clients.
 */
final class ByteReader {
  private final InputStream in;
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private int lim;

  ByteReader(InputStream in) {
    this.in = in;
  }

  int read() throws IOException {
    if (pos == lim) {
      lim = in.read(buf, 0, buf.length);
      pos = 0;
      if (lim <= 0) {
        lim = 0;
        throw new EOFException("connection closed");
      }
    }
    return buf[pos++] & 0xff;
  }

  /** Reads a CRLF- or LF-terminated line (terminator dropped) into {@code line}. */
  void readLine(StringBuilder line) throws IOException {
    line.setLength(0);
    for (int c = read(); c != '\n'; c = read()) {
      line.append((char) c);
    }
    int n = line.length();
    if (n > 0 && line.charAt(n - 1) == '\r') {
      line.setLength(n - 1);
    }
  }

  /** Reads a decimal number terminated by CRLF. */
  long readNumberLine() throws IOException {
    long v = 0;
    boolean neg = false;
    for (int c = read(); c != '\r'; c = read()) {
      if (c == '-') {
        neg = true;
      } else {
        v = v * 10 + (c - '0');
      }
    }
    read(); // '\n'
    return neg ? -v : v;
  }

  void readFully(byte[] b, int len) throws IOException {
    int n = 0;
    while (n < len) {
      if (pos == lim) {
        int r = in.read(b, n, len - n);
        if (r < 0) {
          throw new EOFException("connection closed");
        }
        n += r;
      } else {
        int k = Math.min(lim - pos, len - n);
        System.arraycopy(buf, pos, b, n, k);
        pos += k;
        n += k;
      }
    }
  }
}
