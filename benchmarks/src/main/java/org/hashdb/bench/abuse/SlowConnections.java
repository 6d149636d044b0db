package org.hashdb.bench.abuse;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Connections that send slowly and read what the server says: each sweep drains what arrived
 * (a 408, say) and notes the connections the server has closed (end of stream or reset).
 */
final class SlowConnections implements HeldConnections {
  private final List<Socket> open = new ArrayList<>();
  private int opened;
  private int closed;
  private final byte[] sink = new byte[16 << 10];

  void add(Socket s) throws IOException {
    s.setSoTimeout(1);
    open.add(s);
    opened++;
  }

  /** Opens {@code n} connections to {@code t}; one refused at once counts as opened and closed. */
  void openAll(AbuseTarget t, int n) {
    for (int i = 0; i < n; i++) {
      try {
        add(t.connect(4096, null));
      } catch (IOException e) {
        refusedAtOnce();
      }
    }
  }

  /** Counts a connection the server refused or closed before it could be used. */
  void refusedAtOnce() {
    opened++;
    closed++;
  }

  /** Writes {@code text} to every connection still open (a failure means it was closed). */
  void sendAll(String text) {
    byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
    for (Socket s : open) {
      try {
        s.getOutputStream().write(b);
        s.getOutputStream().flush();
      } catch (IOException e) {
        // noticed by the next sweep
      }
    }
  }

  /** Drains every connection; removes and counts the ones the server closed. */
  void sweep() {
    open.removeIf(s -> {
      if (closedByServer(s)) {
        closed++;
        closeQuietly(s);
        return true;
      }
      return false;
    });
  }

  private boolean closedByServer(Socket s) {
    try {
      InputStream in = s.getInputStream();
      for (int i = 0; i < 64; i++) {
        if (in.read(sink) < 0) {
          return true;
        }
      }
      return false;
    } catch (SocketTimeoutException e) {
      return false; // nothing more to read: still open
    } catch (IOException e) {
      return true; // reset
    }
  }

  @Override
  public int opened() {
    return opened;
  }

  @Override
  public int closed() {
    return closed;
  }

  @Override
  public void closeAll() {
    open.forEach(SlowConnections::closeQuietly);
    open.clear();
  }

  static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // gone already
    }
  }
}
