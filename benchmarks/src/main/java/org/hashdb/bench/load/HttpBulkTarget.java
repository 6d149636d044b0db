package org.hashdb.bench.load;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal keep-alive HTTP/1.1 client for HashDB's binary bulk endpoint
 * ({@code POST /v1/lookup/bulk?type=sha256}): writes the head and the raw values, reads a
 * Content-Length framed bitset and counts its set bits.
 */
final class HttpBulkTarget implements Target {
  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  private final String key;
  private byte[] bits = new byte[0];

  HttpBulkTarget(String host, int port, String key) throws IOException {
    socket = new Socket(host, port);
    socket.setTcpNoDelay(true);
    out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
    in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
    this.key = key;
  }

  @Override
  public int check(byte[] values, int off, int count) throws IOException {
    String head = "POST /v1/lookup/bulk?type=sha256 HTTP/1.1\r\nHost: bench\r\n"
        + "Authorization: Bearer " + key + "\r\nContent-Type: application/octet-stream\r\n"
        + "Content-Length: " + (count * 32) + "\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(values, off, count * 32);
    out.flush();
    int status = HttpText.readStatusAndHeaders(in);
    int len = HttpText.contentLength();
    if (bits.length < len) {
      bits = new byte[len];
    }
    HttpText.readFully(in, bits, len);
    if (status != 200) {
      throw new IOException("HTTP " + status + ": " + new String(bits, 0, len, StandardCharsets.UTF_8));
    }
    int n = 0;
    for (int i = 0; i < len; i++) {
      n += Integer.bitCount(bits[i] & 0xff);
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
