package org.hashdb.bench.load;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal RESP2 client: {@code SMISMEMBER key m1..mN} for queries, pipelined {@code SADD}
 * for loading. Members are the raw 32 bytes (binary-safe bulk strings), as compact as Redis
 * allows.
 */
final class RedisTarget implements Target {
  static final String KEY = "bench";
  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] MEMBER_HEAD = "$32\r\n".getBytes(StandardCharsets.US_ASCII);

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  private final StringBuilder line = new StringBuilder();

  RedisTarget(String host, int port) throws IOException {
    socket = new Socket(host, port);
    socket.setTcpNoDelay(true);
    out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
    in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
  }

  private void writeCommand(String command, byte[] values, int off, int count) throws IOException {
    out.write(("*" + (count + 2) + "\r\n$" + command.length() + "\r\n" + command + "\r\n$"
        + KEY.length() + "\r\n" + KEY + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (int i = 0; i < count; i++) {
      out.write(MEMBER_HEAD);
      out.write(values, off + i * 32, 32);
      out.write(CRLF);
    }
  }

  @Override
  public int check(byte[] values, int off, int count) throws IOException {
    writeCommand("SMISMEMBER", values, off, count);
    out.flush();
    HttpText.readLine(in, line);
    if (line.charAt(0) != '*') {
      throw new IOException("unexpected reply: " + line);
    }
    int n = Integer.parseInt(line.substring(1));
    int members = 0;
    for (int i = 0; i < n; i++) {
      HttpText.readLine(in, line);
      if (line.charAt(0) != ':') {
        throw new IOException("unexpected reply: " + line);
      }
      members += line.charAt(1) - '0';
    }
    return members;
  }

  /** SADD of each batch ({@code counts.get(i)} values), pipelined; returns members added. */
  long add(java.util.List<byte[]> batches, java.util.List<Integer> counts) throws IOException {
    for (int i = 0; i < batches.size(); i++) {
      writeCommand("SADD", batches.get(i), 0, counts.get(i));
    }
    out.flush();
    long added = 0;
    for (int i = 0; i < batches.size(); i++) {
      HttpText.readLine(in, line);
      if (line.charAt(0) != ':') {
        throw new IOException("unexpected reply: " + line);
      }
      added += Long.parseLong(line.substring(1));
    }
    return added;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
