package org.hashdb.bench.load;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal keep-alive HTTP/1.1 client for HashDB's binary bulk endpoint
 * ({@code POST /v1/lookup/bulk?type=sha256}): one write of head and raw values, a Content-Length
 * framed bitset back, its set bits counted.
 */
final class HttpBulkTarget implements Target {
  private final Socket socket;
  private final OutputStream out;
  private final ByteReader in;
  private final String key;
  private final StringBuilder line = new StringBuilder();
  private final int[] head = new int[2];
  private byte[] request = new byte[0];
  private int cachedCount = -1;
  private int headLength;
  private byte[] bits = new byte[0];

  HttpBulkTarget(String host, int port, String key) throws IOException {
    socket = new Socket(host, port);
    socket.setTcpNoDelay(true);
    out = socket.getOutputStream();
    in = new ByteReader(socket.getInputStream());
    this.key = key;
  }

  @Override
  public int check(byte[] values, int off, int count) throws IOException {
    if (count != cachedCount) {
      byte[] h = ("POST /v1/lookup/bulk?type=sha256 HTTP/1.1\r\nHost: bench\r\n"
          + "Authorization: Bearer " + key + "\r\nContent-Type: application/octet-stream\r\n"
          + "Content-Length: " + (count * 32) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
      request = new byte[h.length + count * 32];
      System.arraycopy(h, 0, request, 0, h.length);
      headLength = h.length;
      cachedCount = count;
    }
    System.arraycopy(values, off, request, headLength, count * 32);
    out.write(request, 0, request.length);
    HttpText.readHead(in, line, head);
    int len = head[1];
    if (bits.length < len) {
      bits = new byte[len];
    }
    in.readFully(bits, len);
    if (head[0] != 200) {
      throw new IOException("HTTP " + head[0] + ": " + new String(bits, 0, len, StandardCharsets.UTF_8));
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
