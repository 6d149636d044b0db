package org.hashdb.server.logs;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.concurrent.Future;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.LongConsumer;

/**
 * The access log: one JSON line per answered HTTP request in {@code access.jsonl}, rotated by
 * size like the audit log and written by the same machinery ({@link LineWriter}).
 *
 * <p>A line holds only values the server chose or validated: the route's name (never the raw
 * path or query, which carry the queried hash of a single lookup), the key's public id (never
 * its secret), the method when it is a standard one, sizes, status, timing, and the User-Agent
 * cut to {@value #MAX_USER_AGENT} characters and escaped by Jackson.
 *
 * <p>Cheap on the event loop: a request costs one {@link Entry} (which is also the write
 * listener and the queue node) and a lock-free {@link LineWriter#offer}; the line is encoded on
 * the writer thread. Requests the client abandoned before the answer are not logged.
 */
public final class AccessLog implements Closeable {
  /** Name of the current access log file. */
  public static final String FILE_NAME = "access.jsonl";
  /** The route logged when no route matched (the path itself is never logged). */
  public static final String UNKNOWN_ROUTE = "unknown";
  /** Longest User-Agent logged, in chars; longer ones are cut. */
  public static final int MAX_USER_AGENT = 200;

  private static final JsonFactory JSON = new JsonFactory();

  private final LineWriter writer; // null: disabled
  // writer thread only: the last formatted time and peer, which the next lines mostly share
  private long lastMillis = Long.MIN_VALUE;
  private String lastTime;
  private SocketAddress lastRemote;
  private String lastHost;

  private AccessLog(LineWriter writer) {
    this.writer = writer;
  }

  /**
   * Opens the access log of {@code dir}.
   *
   * @param maxBytes rotate once the current file reaches this size (>= 4096)
   * @param maxFiles rotated files to keep (>= 1)
   * @param droppedCounter told how many lines were dropped because the writer fell behind
   */
  public static AccessLog open(Path dir, long maxBytes, int maxFiles, LongConsumer droppedCounter)
      throws IOException {
    return new AccessLog(new LineWriter(dir, FILE_NAME, maxBytes, maxFiles, 1 << 16,
        "hashdb-access", droppedCounter, Dropped::new));
  }

  /** An access log that records nothing (and writes no file). */
  public static AccessLog disabled() {
    return new AccessLog(null);
  }

  public boolean enabled() {
    return writer != null;
  }

  /**
   * A new entry for a request that started at {@code startNanos} ({@link System#nanoTime}), or
   * null when the log is disabled. Fill it, then hand it the response's write with
   * {@link Entry#loggedWhen}.
   */
  public Entry entry(long startNanos) {
    return writer == null ? null : new Entry(this, startNanos);
  }

  /** Writes what is queued and stops the writer. */
  @Override
  public void close() {
    if (writer != null) {
      writer.close();
    }
  }

  /**
   * One request's line. Filled on the event loop, offered when the response's last byte is
   * written, encoded on the writer thread; used once.
   */
  public static final class Entry extends LineWriter.Line implements ChannelFutureListener {
    private final AccessLog log;
    private final long startNanos; // the request head arrived
    private String connection; // id of the connection
    private long request; // number of the request on its connection (HTTP/2: stream id)
    private SocketAddress remote; // formatted on the writer thread
    private String protocol;
    private String method; // a standard method name or "OTHER"
    private String route = UNKNOWN_ROUTE;
    private String keyId; // null: unauthenticated
    private String userAgent; // null: none; cut on the writer thread
    private int status;
    private long requestBytes = -1; // -1: unknown
    private long responseBytes = -1;
    private long endNanos; // the last byte was written (or the write failed)
    private long endMillis; // wall clock of endNanos
    private boolean aborted; // the response could not be written completely

    private Entry(AccessLog log, long startNanos) {
      this.log = log;
      this.startNanos = startNanos;
    }

    /** The connection's id, the request's number on it, the peer and the protocol. */
    public Entry connection(String id, long request, SocketAddress remote, String protocol) {
      this.connection = id;
      this.request = request;
      this.remote = remote;
      this.protocol = protocol;
      return this;
    }

    /**
     * What was asked: {@code method} and {@code route} must be server-chosen names (not client
     * text); {@code keyId} the authenticated key's public id or null; {@code userAgent} as sent
     * or null.
     */
    public Entry request(String method, String route, String keyId, String userAgent) {
      this.method = method;
      this.route = route == null ? UNKNOWN_ROUTE : route;
      this.keyId = keyId;
      this.userAgent = userAgent;
      return this;
    }

    /** What was answered; -1 for a size that is not known. */
    public Entry response(int status, long requestBytes, long responseBytes) {
      this.status = status;
      this.requestBytes = requestBytes;
      this.responseBytes = responseBytes;
      return this;
    }

    /** Logs this entry once {@code written} completes; now if it is null (nothing written). */
    public void loggedWhen(ChannelFuture written) {
      if (written == null) {
        end(true);
      } else {
        written.addListener(this);
      }
    }

    @Override
    public void operationComplete(ChannelFuture f) {
      writeDone(f);
    }

    /**
     * Logs this entry now that {@code write}, the response's last write, completed: for a caller
     * whose own listener on that write calls this (one listener instead of two).
     */
    public void writeDone(Future<?> write) {
      assert write.isDone() : "the write is not done";
      end(write.isSuccess());
    }

    private void end(boolean success) {
      endNanos = System.nanoTime();
      endMillis = System.currentTimeMillis();
      aborted = !success;
      log.writer.offer(this);
    }

    @Override
    protected void encode(ByteArrayOutputStream out) throws IOException {
      try (JsonGenerator g = JSON.createGenerator((OutputStream) out, JsonEncoding.UTF8)) {
        g.writeStartObject();
        g.writeStringField("time", log.time(endMillis));
        g.writeStringField("conn", connection);
        g.writeNumberField("req", request);
        g.writeStringField("remote", log.host(remote));
        g.writeStringField("keyId", keyId);
        g.writeStringField("method", method);
        g.writeStringField("route", route);
        g.writeNumberField("status", status);
        writeSize(g, "reqBytes", requestBytes);
        writeSize(g, "respBytes", responseBytes);
        g.writeNumberField("micros", Math.max(0, (endNanos - startNanos) / 1000));
        g.writeStringField("protocol", protocol);
        if (aborted) {
          g.writeBooleanField("aborted", true);
        }
        if (userAgent != null) {
          g.writeStringField("userAgent", cut(userAgent, MAX_USER_AGENT));
        }
        g.writeEndObject();
      }
      out.write('\n');
    }

    private static void writeSize(JsonGenerator g, String name, long bytes) throws IOException {
      if (bytes >= 0) {
        g.writeNumberField(name, bytes);
      } else {
        g.writeNullField(name);
      }
    }
  }

  /** {@code s} cut to at most {@code max} chars, never between the two halves of a pair. */
  static String cut(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
    return s.substring(0, end);
  }

  /** ISO-8601 UTC of {@code millis}. Writer thread only. */
  private String time(long millis) {
    if (millis != lastMillis) {
      lastMillis = millis;
      lastTime = Instant.ofEpochMilli(millis).toString();
    }
    return lastTime;
  }

  /** The address of {@code a}, without port. Writer thread only. */
  private String host(SocketAddress a) {
    if (a != lastRemote) { // a connection's lines share its address object
      lastRemote = a;
      if (a instanceof InetSocketAddress i) {
        lastHost = i.getAddress() != null ? i.getAddress().getHostAddress() : i.getHostString();
      } else {
        lastHost = a == null ? null : a.toString();
      }
    }
    return lastHost;
  }

  /** The line saying how many lines were dropped. */
  private static final class Dropped extends LineWriter.Line {
    private final long count;
    private final long millis = System.currentTimeMillis();

    Dropped(long count) {
      this.count = count;
    }

    @Override
    protected void encode(ByteArrayOutputStream out) throws IOException {
      try (JsonGenerator g = JSON.createGenerator((OutputStream) out, JsonEncoding.UTF8)) {
        g.writeStartObject();
        g.writeStringField("time", Instant.ofEpochMilli(millis).toString());
        g.writeNumberField("dropped", count);
        g.writeEndObject();
      }
      out.write('\n');
    }
  }
}
