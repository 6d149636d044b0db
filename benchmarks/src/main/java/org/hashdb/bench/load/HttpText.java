package org.hashdb.bench.load;

import java.io.IOException;

/** Reading an HTTP/1.1 response head. */
final class HttpText {
  private HttpText() {}

  /** Reads the status line and headers; returns {status, content length}. */
  static void readHead(ByteReader in, StringBuilder line, int[] statusAndLength)
      throws IOException {
    in.readLine(line);
    int sp = line.indexOf(" ");
    int code = Integer.parseInt(line.substring(sp + 1, sp + 4));
    int length = 0;
    while (true) {
      in.readLine(line);
      if (line.length() == 0) {
        break;
      }
      if (line.length() > 15 && line.substring(0, 15).equalsIgnoreCase("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    statusAndLength[0] = code;
    statusAndLength[1] = length;
  }
}
