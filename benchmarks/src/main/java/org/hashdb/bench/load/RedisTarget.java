package org.hashdb.bench.load;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A minimal RESP2 client: {@code SMISMEMBER key m1..mN} for queries (one write of the encoded
 * command, an unsynchronized reply parser), pipelined {@code SADD} for loading. Members are the
 * raw 32 bytes (binary-safe bulk strings), as compact as Redis allows.
 */
final class RedisTarget implements Target {
  static final String KEY = "bench";
  private static final byte[] MEMBER_HEAD = "$32\r\n".getBytes(StandardCharsets.US_ASCII);

  private final Socket socket;
  private final OutputStream out;
  private final ByteReader in;
  private final StringBuilder line = new StringBuilder();
  private byte[] command = new byte[0];

  RedisTarget(String host, int port) throws IOException {
    socket = new Socket(host, port);
    socket.setTcpNoDelay(true);
    out = socket.getOutputStream();
    in = new ByteReader(socket.getInputStream());
  }

  /** Encodes {@code NAME key m1..mN} into {@link #command} from {@code at}; returns the end. */
  private int encode(int at, String name, byte[] values, int off, int count) {
    byte[] head = ("*" + (count + 2) + "\r\n$" + name.length() + "\r\n" + name + "\r\n$"
        + KEY.length() + "\r\n" + KEY + "\r\n").getBytes(StandardCharsets.US_ASCII);
    int need = at + head.length + count * (MEMBER_HEAD.length + 34);
    if (command.length < need) {
      command = java.util.Arrays.copyOf(command, need);
    }
    System.arraycopy(head, 0, command, at, head.length);
    int p = at + head.length;
    for (int i = 0; i < count; i++) {
      System.arraycopy(MEMBER_HEAD, 0, command, p, MEMBER_HEAD.length);
      p += MEMBER_HEAD.length;
      System.arraycopy(values, off + i * 32, command, p, 32);
      p += 32;
      command[p++] = '\r';
      command[p++] = '\n';
    }
    return p;
  }

  @Override
  public int check(byte[] values, int off, int count) throws IOException {
    int len = encode(0, "SMISMEMBER", values, off, count);
    out.write(command, 0, len);
    if (in.read() != '*') {
      throw new IOException("unexpected reply to SMISMEMBER");
    }
    long n = in.readNumberLine();
    int members = 0;
    for (long i = 0; i < n; i++) {
      if (in.read() != ':') {
        throw new IOException("unexpected element in SMISMEMBER reply");
      }
      members += (int) in.readNumberLine();
    }
    return members;
  }

  /** SADD of each batch ({@code counts.get(i)} values), pipelined; returns members added. */
  long add(List<byte[]> batches, List<Integer> counts) throws IOException {
    int len = 0;
    for (int i = 0; i < batches.size(); i++) {
      len = encode(len, "SADD", batches.get(i), 0, counts.get(i));
    }
    out.write(command, 0, len);
    long added = 0;
    for (int i = 0; i < batches.size(); i++) {
      in.readLine(line);
      if (line.length() == 0 || line.charAt(0) != ':') {
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
