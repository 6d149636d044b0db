package org.hashdb.server.http;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hashdb.server.ServerConfig;
import org.hashdb.server.api.ApiService;
import org.hashdb.server.api.Route;
import org.hashdb.server.logs.AccessLog;
import org.hashdb.server.metrics.ServerMetrics;

/**
 * The pipeline of an accepted connection, and nothing else. Every connection starts with the
 * shared {@link ConnectionLimiter}. Cleartext: the HTTP/1.1 codec (request line and header
 * limits), then the request stages. TLS: the TLS handler, then ALPN picks HTTP/2 (frame codec
 * with the configured stream and header-list limits, one child channel per stream, each with an
 * HTTP object codec and the request stages) or the HTTP/1.1 pipeline. The request stages, in
 * order: {@link RequestDeadlines}, {@link WriteBackPressure}, the chunked writer,
 * {@link ProtocolCheck}, {@link RouteAuthenticator}, {@link KeyBudgetCheck},
 * {@link BodyAggregator}, {@link ResponseWriter} (outbound: answers to HTTP messages) and the
 * dispatcher {@link HashDbServerHandler}.
 */
public final class HashDbServerInitializer extends ChannelInitializer<Channel> {
  private static final System.Logger LOG =
      System.getLogger(HashDbServerInitializer.class.getName());
  /** Most bytes an HTTP/2 connection reads per event loop turn: about one TLS record. */
  static final int H2_READ_BYTES = 16 << 10;
  private final ApiService api;
  private final InFlight inFlight;
  private final AccessLog access;
  private final SslContext ssl; // null: cleartext
  private final ChannelGroup channels; // every open connection, for shutdown
  private final ConnectionLimiter limiter;
  private final BodyBudget budget;
  private final ServerMetrics metrics; // where answered requests are counted
  private final Route.Listener listener; // the routes served
  private final boolean certificates; // a request's key must be its client certificate's

  /** Every route, cleartext (tests: a pipeline on an {@code EmbeddedChannel}). */
  HashDbServerInitializer(ApiService api, InFlight inFlight, AccessLog access, SslContext ssl,
      ChannelGroup channels) {
    this(api, inFlight, access, ssl, channels, api.metrics(), Route.Listener.ALL, false,
        newBudget(api.config()));
  }

  /** A listener of the server, sharing the server-wide body {@code budget}. */
  HashDbServerInitializer(ApiService api, InFlight inFlight, AccessLog access, SslContext ssl,
      ChannelGroup channels, Route.Listener listener, boolean certificates, BodyBudget budget) {
    this(api, inFlight, access, ssl, channels, api.metrics(), listener, certificates, budget);
  }

  /** With requests counted in {@code metrics} (the start-up warm-up's own, not the API's). */
  HashDbServerInitializer(ApiService api, InFlight inFlight, AccessLog access, SslContext ssl,
      ChannelGroup channels, ServerMetrics metrics) {
    this(api, inFlight, access, ssl, channels, metrics, Route.Listener.ALL, false,
        newBudget(api.config()));
  }

  private HashDbServerInitializer(ApiService api, InFlight inFlight, AccessLog access,
      SslContext ssl, ChannelGroup channels, ServerMetrics metrics, Route.Listener listener,
      boolean certificates, BodyBudget budget) {
    this.metrics = metrics;
    this.api = api;
    this.inFlight = inFlight;
    this.access = access;
    this.ssl = ssl;
    this.channels = channels;
    this.listener = listener;
    this.certificates = certificates;
    ServerConfig c = api.config();
    this.limiter = new ConnectionLimiter(c.maxConnections(), c.maxConnectionsPerAddress());
    this.budget = budget;
  }

  private static BodyBudget newBudget(ServerConfig c) {
    return new BodyBudget(c.maxBodyBytesInFlight(), c.maxKeyBodyBytesInFlight());
  }

  /**
   * The HTTP/1.1 codec and every request stage, for an {@code EmbeddedChannel} (tests and
   * benchmarks of the request path): no socket, no connection limits.
   */
  public static ChannelHandler[] embeddedHttp1(ApiService api) {
    return embeddedHttp1(api, new InFlight(), AccessLog.disabled());
  }

  static ChannelHandler[] embeddedHttp1(ApiService api, InFlight inFlight, AccessLog access) {
    ServerConfig c = api.config();
    List<ChannelHandler> hs = new ArrayList<>();
    hs.add(http1Codec(c));
    hs.addAll(requestStages(api, inFlight, access, newBudget(c)));
    return hs.toArray(ChannelHandler[]::new);
  }

  /** The request stages serving every route ({@link Route.Listener#ALL}; in-process only). */
  static List<ChannelHandler> requestStages(ApiService api, InFlight inFlight,
      AccessLog access, BodyBudget budget) {
    return requestStages(api, inFlight, access, budget, api.metrics(), Route.Listener.ALL, false);
  }

  static List<ChannelHandler> requestStages(ApiService api, InFlight inFlight,
      AccessLog access, BodyBudget budget, ServerMetrics metrics, Route.Listener listener,
      boolean certificates) {
    ServerConfig c = api.config();
    return List.of(new RequestDeadlines(c), new WriteBackPressure(), new ChunkedWriteHandler(),
        new ProtocolCheck(c), new RouteAuthenticator(api.keys(), listener, certificates),
        new KeyBudgetCheck(),
        new BodyAggregator(api, budget), new ResponseWriter(metrics, inFlight, access),
        new HashDbServerHandler(api, inFlight));
  }

  private static HttpServerCodec http1Codec(ServerConfig c) {
    // Each part alone may use the whole limit; ProtocolCheck checks line + headers together.
    return new HttpServerCodec(new HttpDecoderConfig()
        .setMaxInitialLineLength(c.maxHeaderBytes())
        .setMaxHeaderSize(c.maxHeaderBytes())
        .setMaxChunkSize(64 << 10));
  }

  @Override
  protected void initChannel(Channel ch) {
    channels.add(ch);
    ChannelPipeline p = ch.pipeline();
    p.addLast("limits", limiter);
    if (ssl == null) {
      addHttp1(p);
      return;
    }
    p.addLast("tls", ssl.newHandler(ch.alloc()));
    p.addLast("alpn", new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
      @Override
      protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
          addHttp2(ctx.pipeline());
        } else if (ApplicationProtocolNames.HTTP_1_1.equals(protocol)) {
          addHttp1(ctx.pipeline());
        } else {
          throw new IllegalStateException("unsupported protocol: " + protocol);
        }
      }
    });
  }

  private void addHttp1(ChannelPipeline p) {
    p.addLast("codec", http1Codec(api.config()));
    for (ChannelHandler h : requestStages(api, inFlight, access, budget, metrics, listener, certificates)) {
      p.addLast(h);
    }
  }

  private void addHttp2(ChannelPipeline p) {
    ServerConfig c = api.config();
    // Fairness between the connections of an event loop: one read of at most one TLS record
    // per turn, so a connection flooding streams decodes a bounded share of frames before the
    // loop serves its other connections (their requests otherwise wait behind whole floods).
    p.channel().config().setRecvByteBufAllocator(
        new AdaptiveRecvByteBufAllocator(512, 4096, H2_READ_BYTES).maxMessagesPerRead(1));
    p.addLast("idle", new IdleStateHandler(0, 0, c.idleTimeoutMillis(), TimeUnit.MILLISECONDS) {
      @Override
      protected void channelIdle(ChannelHandlerContext ctx,
          io.netty.handler.timeout.IdleStateEvent evt) {
        ctx.close(); // an HTTP/2 connection with no traffic at all
      }
    });
    p.addLast("backPressure", new WriteBackPressure()); // the connection's buffer, all streams
    p.addLast("h2", Http2FrameCodecBuilder.forServer()
        .initialSettings(Http2Settings.defaultSettings()
            .maxHeaderListSize(c.maxHeaderBytes())
            .maxConcurrentStreams(c.http2MaxConcurrentStreams()))
        .build());
    p.addLast("mux", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
      @Override
      protected void initChannel(Http2StreamChannel ch) {
        ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true));
        for (ChannelHandler h : requestStages(api, inFlight, access, budget, metrics, listener, certificates)) {
          ch.pipeline().addLast(h);
        }
      }
    }));
    p.addLast("errors", new ChannelInboundHandlerAdapter() {
      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a protocol error of a flooding client: one debug line, not a warning per connection
        LOG.log(System.Logger.Level.DEBUG, "HTTP/2 connection error: {0}", String.valueOf(cause));
        ctx.close();
      }
    });
  }
}
