package org.hashdb.bench.abuse;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal keep-alive HTTP/1.1 client on one socket from the attackers' address (the JDK
 * client cannot choose its source address on Java 17): sends a request, reads one response
 * with a Content-Length body, returns its status. Reconnects when the server closed.
 */
final class RawHttpClient implements AutoCloseable {
  private final AbuseTarget target;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  RawHttpClient(AbuseTarget target) {
    this.target = target;
  }

  int post(String path, String contentType, byte[] body) throws IOException {
    for (int attempt = 0; ; attempt++) {
      try {
        if (socket == null) {
          socket = target.connect(0, null);
          socket.setSoTimeout(120_000);
          in = new BufferedInputStream(socket.getInputStream(), 64 << 10);
          out = socket.getOutputStream();
        }
        String head = "POST " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
            + target.attackKey() + "\r\nContent-Type: " + contentType + "\r\nContent-Length: "
            + body.length + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return readResponse();
      } catch (IOException e) {
        close();
        if (attempt >= 1) {
          throw e;
        }
      }
    }
  }

  private int readResponse() throws IOException {
    String status = line();
    long length = 0;
    boolean close = false;
    String h;
    while (!(h = line()).isEmpty()) {
      String lower = h.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(lower.substring(15).trim());
      } else if (lower.startsWith("connection:") && lower.contains("close")) {
        close = true;
      }
    }
    in.skipNBytes(length);
    if (close) {
      close();
    }
    return Integer.parseInt(status.split(" ")[1]);
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() {
    if (socket != null) {
      SlowConnections.closeQuietly(socket);
      socket = null;
    }
  }
}
