package org.hashdb.server.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
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
import java.util.concurrent.TimeUnit;
import org.hashdb.server.ServerConfig;
import org.hashdb.server.api.ApiService;
import org.hashdb.server.audit.AccessLog;

/**
 * The pipeline of an accepted connection, and nothing else. Cleartext: read timeout, HTTP/1.1
 * codec (request line and header limits), chunked writer, handler. TLS: the TLS handler, then
 * ALPN picks HTTP/2 (frame codec + one child channel per stream, each with an HTTP object codec
 * and its own handler) or the HTTP/1.1 pipeline.
 */
public final class HashDbServerInitializer extends ChannelInitializer<Channel> {
  private final ApiService api;
  private final InFlight inFlight;
  private final AccessLog access;
  private final SslContext ssl; // null: cleartext
  private final ChannelGroup channels; // every open connection, for shutdown

  HashDbServerInitializer(ApiService api, InFlight inFlight, AccessLog access, SslContext ssl,
      ChannelGroup channels) {
    this.api = api;
    this.inFlight = inFlight;
    this.access = access;
    this.ssl = ssl;
    this.channels = channels;
  }

  @Override
  protected void initChannel(Channel ch) {
    channels.add(ch);
    ChannelPipeline p = ch.pipeline();
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
    ServerConfig c = api.config();
    p.addLast("readTimeout", new IdleStateHandler(c.readTimeoutMillis(), 0, 0,
        TimeUnit.MILLISECONDS));
    // Each part alone may use the whole limit; the handler checks line + headers together.
    p.addLast("codec", new HttpServerCodec(new HttpDecoderConfig()
        .setMaxInitialLineLength(c.maxHeaderBytes())
        .setMaxHeaderSize(c.maxHeaderBytes())
        .setMaxChunkSize(64 << 10)));
    p.addLast("chunked", new ChunkedWriteHandler());
    p.addLast("handler", new HashDbServerHandler(api, inFlight, access));
  }

  private void addHttp2(ChannelPipeline p) {
    ServerConfig c = api.config();
    p.addLast("idle", new IdleStateHandler(0, 0, c.idleTimeoutMillis(), TimeUnit.MILLISECONDS) {
      @Override
      protected void channelIdle(ChannelHandlerContext ctx,
          io.netty.handler.timeout.IdleStateEvent evt) {
        ctx.close(); // an HTTP/2 connection with no traffic at all
      }
    });
    p.addLast("h2", Http2FrameCodecBuilder.forServer()
        .initialSettings(Http2Settings.defaultSettings()
            .maxHeaderListSize(c.maxHeaderBytes())
            .maxConcurrentStreams(256))
        .build());
    p.addLast("mux", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
      @Override
      protected void initChannel(Http2StreamChannel ch) {
        ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true));
        ch.pipeline().addLast(new ChunkedWriteHandler());
        ch.pipeline().addLast(new HashDbServerHandler(api, inFlight, access));
      }
    }));
  }
}
