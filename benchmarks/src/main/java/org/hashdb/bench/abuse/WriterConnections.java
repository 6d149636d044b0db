package org.hashdb.bench.abuse;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connections that write as fast as the server reads and never read: one thread per
 * connection, blocked in write once the server stops reading. The server closing the
 * connection ends that write with an error: that is how closes are counted. Not thread-safe
 * apart from the counters: start connections from one thread.
 */
final class WriterConnections implements HeldConnections {
  /** What a connection writes: called again and again until it fails. */
  interface Writer {
    void write(Socket s, OutputStream out) throws IOException;
  }

  private final List<Socket> sockets = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicInteger closed = new AtomicInteger();
  private final AtomicInteger opened = new AtomicInteger();
  private volatile boolean stopping;

  void start(Socket s, Writer w, String name) {
    opened.incrementAndGet();
    sockets.add(s);
    Thread t = new Thread(() -> writeUntilClosed(s, w), name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  /**
   * Like {@link #start}, but reconnects (with {@code connect}) whenever the server closed the
   * connection, until {@link #closeAll}: an attacker that comes back at once.
   */
  void startReconnecting(Connector connect, Writer w, String name) {
    Thread t = new Thread(() -> {
      while (!stopping) {
        Socket s;
        try {
          s = connect.connect();
        } catch (IOException e) {
          refusedAtOnce();
          continue;
        }
        opened.incrementAndGet();
        synchronized (sockets) {
          sockets.add(s);
        }
        writeUntilClosed(s, w);
        synchronized (sockets) {
          sockets.remove(s);
        }
        SlowConnections.closeQuietly(s);
      }
    }, name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  /** Opens a connection. */
  interface Connector {
    Socket connect() throws IOException;
  }

  private void writeUntilClosed(Socket s, Writer w) {
    try {
      OutputStream out = s.getOutputStream();
      while (!stopping) {
        w.write(s, out);
      }
    } catch (IOException | RuntimeException e) {
      if (!stopping) {
        closed.incrementAndGet();
      }
    }
  }

  void refusedAtOnce() {
    opened.incrementAndGet();
    closed.incrementAndGet();
  }

  @Override
  public int opened() {
    return opened.get();
  }

  @Override
  public int closed() {
    return closed.get();
  }

  @Override
  public void closeAll() {
    stopping = true;
    synchronized (sockets) {
      sockets.forEach(SlowConnections::closeQuietly);
    }
    for (Thread t : threads) {
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
