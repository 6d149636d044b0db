package org.hashdb.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.ServerChannel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.hashdb.server.api.ApiService;
import org.hashdb.server.api.Route;
import org.hashdb.server.logs.AccessLog;
import org.hashdb.server.metrics.ServerMetrics;

/**
 * The server sends itself requests at start-up, before it opens its port, so that
 * the first real traffic does not run the request path interpreted while the JIT compilers
 * take the CPU: a fresh server's first HTTP/2 flood used to stall every event loop for seconds
 * (README, "Under attack"). Each protocol gets {@code warmupRequests} requests through the
 * server's own pipeline on an {@link EmbeddedChannel} (no socket, the calling thread):
 * HTTP/1.1 pipelined, and with TLS on, HTTP/2 over a real TLS session with a client encoding
 * its header blocks as clients do (HPACK with Huffman coding and indexing). The requests carry
 * no key ({@code /healthz}, and 401 answers for lookups, with and without a body), so they
 * touch no key, budget, list or audit; they are counted in a metrics registry of their own.
 */
final class StartupWarmup {
  private static final System.Logger LOG = System.getLogger(StartupWarmup.class.getName());
  private static final int BATCH = 32; // requests per read: well below max concurrent streams
  private static final String HASH_PATH = "/v1/hashes/sha256/" + "0f".repeat(32);
  private static final byte[] JSON = "{\"queries\":[{\"type\":\"md5\",\"hash\":\"00112233445566778899aabbccddeeff\"}]}"
      .getBytes(StandardCharsets.US_ASCII);

  private final ApiService api;
  private final SslContext ssl;
  // answered warm-up requests, per protocol (not in the API's metrics)
  final ServerMetrics http1Metrics = new ServerMetrics(Route.metricNames(), () -> null);
  final ServerMetrics http2Metrics = new ServerMetrics(Route.metricNames(), () -> null);
  private final long deadline;
  private final Channel serverParent = new ServerParent();

  private StartupWarmup(ApiService api, SslContext ssl, long deadline) {
    this.api = api;
    this.ssl = ssl;
    this.deadline = deadline;
  }

  /**
   * Runs the warm-up ({@code requests} per protocol, giving up at {@code maxMillis}); logs how
   * long it took. Never throws: a failed warm-up only costs speed.
   */
  static StartupWarmup run(ApiService api, SslContext ssl, int requests, long maxMillis) {
    long start = System.nanoTime();
    StartupWarmup w = new StartupWarmup(api, ssl,
        start + TimeUnit.MILLISECONDS.toNanos(maxMillis));
    if (requests <= 0) {
      return w;
    }
    try {
      w.http1(requests);
      if (ssl != null) {
        w.http2(requests);
      }
    } catch (Exception | AssertionError e) {
      LOG.log(System.Logger.Level.WARNING, "start-up warm-up failed: " + e);
    }
    LOG.log(System.Logger.Level.INFO, "start-up warm-up: {0} requests per protocol in {1} ms",
        requests, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    return w;
  }

  private boolean late() {
    return System.nanoTime() - deadline > 0;
  }

  private HashDbServerInitializer initializer(SslContext tls) {
    return new HashDbServerInitializer(api, new InFlight(), AccessLog.disabled(), tls,
        new DefaultChannelGroup(GlobalEventExecutor.INSTANCE),
        tls == null ? http1Metrics : http2Metrics);
  }

  // ---------------------------------------------------------------- HTTP/1.1

  private void http1(int requests) {
    String batch = String.join("", java.util.Collections.nCopies(BATCH / 4,
        "GET /healthz HTTP/1.1\r\nHost: warmup\r\nUser-Agent: hashdb-warmup\r\n\r\n"
            + "GET " + HASH_PATH + " HTTP/1.1\r\nHost: warmup\r\n\r\n"
            + "GET /readyz HTTP/1.1\r\nHost: warmup\r\n\r\n"
            + "POST /v1/lookup HTTP/1.1\r\nHost: warmup\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + JSON.length + "\r\n\r\n"
            + new String(JSON, StandardCharsets.US_ASCII)));
    EmbeddedChannel ch = null;
    try {
      for (int sent = 0; sent < requests && !late(); sent += BATCH) {
        if (ch == null || !ch.isActive()) {
          close(ch);
          ch = new EmbeddedChannel(initializer(null));
        }
        ch.writeInbound(Unpooled.copiedBuffer(batch, StandardCharsets.US_ASCII));
        ch.runPendingTasks();
        drain(ch, null);
      }
    } finally {
      close(ch);
    }
  }

  // ---------------------------------------------------------------- HTTP/2 over TLS

  private void http2(int requests) throws Exception {
    SslContext clientTls = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
        .trustManager(InsecureTrustManagerFactory.INSTANCE)
        .applicationProtocolConfig(new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_2))
        .build();
    int sent = 0;
    while (sent < requests && !late()) {
      sent += connection(clientTls, requests - sent);
    }
  }

  /** No socket: only a {@link ServerChannel} to be the connections' parent. */
  private static final class ServerParent extends EmbeddedChannel implements ServerChannel {}

  /** One HTTP/2 connection (new TLS session) with up to {@code requests} streams. */
  private int connection(SslContext clientTls, int requests) throws Http2Exception, SSLException {
    // a server channel as parent: Netty's HTTP/2 multiplexer tells server from client by it
    EmbeddedChannel server = new EmbeddedChannel(serverParent, DefaultChannelId.newInstance(),
        true, false, initializer(ssl));
    SslHandler tls = clientTls.newHandler(server.alloc(), "localhost", 443);
    EmbeddedChannel client = new EmbeddedChannel(tls);
    DefaultHttp2HeadersEncoder hpack = new DefaultHttp2HeadersEncoder();
    int sent = 0;
    try {
      for (int i = 0; i < 100 && !tls.handshakeFuture().isDone(); i++) {
        shuttle(client, server);
      }
      if (!tls.handshakeFuture().isSuccess()) {
        throw new SSLException("warm-up TLS handshake failed", tls.handshakeFuture().cause());
      }
      ByteBuf out = Unpooled.buffer();
      out.writeBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      frame(out, 0x4, 0, 0, Unpooled.EMPTY_BUFFER); // SETTINGS: defaults
      ByteBuf window = Unpooled.buffer(4).writeInt(1 << 30);
      frame(out, 0x8, 0, 0, window); // WINDOW_UPDATE: the answers never wait for the client
      window.release();
      int stream = 1;
      while (sent < requests && server.isActive() && !late()) {
        for (int k = 0; k < BATCH; k++, sent++, stream += 2) {
          switch (k % 4) {
            case 0 -> headers(out, hpack, stream, get("/healthz"), true);
            case 1 -> headers(out, hpack, stream, get(HASH_PATH), true);
            case 2 -> headers(out, hpack, stream, get("/readyz"), true);
            default -> {
              headers(out, hpack, stream, new DefaultHttp2Headers().method("POST")
                  .scheme("https").authority("warmup").path("/v1/lookup")
                  .set("content-type", "application/json")
                  .setInt("content-length", JSON.length), false);
              frame(out, 0x0, 0x1, stream, Unpooled.wrappedBuffer(JSON)); // DATA, END_STREAM
            }
          }
        }
        client.writeAndFlush(out);
        out = Unpooled.buffer();
        shuttle(client, server);
        shuttle(client, server); // the answers written after the read completed
      }
      out.release();
    } finally {
      close(client);
      close(server);
    }
    return Math.max(sent, 1);
  }

  private static Http2Headers get(String path) {
    return new DefaultHttp2Headers().method("GET").scheme("https").authority("warmup")
        .path(path).set("user-agent", "hashdb-warmup");
  }

  private static void headers(ByteBuf out, DefaultHttp2HeadersEncoder hpack, int stream,
      Http2Headers h, boolean endStream) throws Http2Exception {
    ByteBuf block = Unpooled.buffer();
    try {
      hpack.encodeHeaders(stream, h, block);
      if (block.readableBytes() > 16384) {
        throw Http2Exception.connectionError(Http2Error.INTERNAL_ERROR, "header block too big");
      }
      frame(out, 0x1, endStream ? 0x5 : 0x4, stream, block); // HEADERS, END_HEADERS
    } finally {
      block.release();
    }
  }

  private static void frame(ByteBuf out, int type, int flags, int stream, ByteBuf payload) {
    out.writeMedium(payload.readableBytes()).writeByte(type).writeByte(flags).writeInt(stream)
        .writeBytes(payload, payload.readerIndex(), payload.readableBytes());
  }

  /** Moves bytes between the two ends until neither has anything left to send. */
  private void shuttle(EmbeddedChannel client, EmbeddedChannel server) {
    for (int round = 0; round < 8; round++) {
      boolean moved = drain(client, server);
      server.runPendingTasks();
      moved |= drain(server, client);
      client.runPendingTasks();
      if (!moved) {
        return;
      }
    }
  }

  /** Hands what {@code from} wrote to {@code to} (or drops it); true if anything moved. */
  private boolean drain(EmbeddedChannel from, EmbeddedChannel to) {
    boolean moved = false;
    Object o;
    while ((o = from.readOutbound()) != null) {
      moved = true;
      if (to != null && to.isActive()) {
        to.writeInbound(o);
      } else {
        ReferenceCountUtil.release(o);
      }
    }
    if (to != null) {
      Object in;
      while ((in = to.readInbound()) != null) {
        ReferenceCountUtil.release(in); // the client's decrypted answers: not needed
      }
    }
    return moved;
  }

  private static void close(EmbeddedChannel ch) {
    if (ch != null) {
      ch.finishAndReleaseAll();
    }
  }
}
