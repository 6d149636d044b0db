package org.hashdb.server.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.server.ServerConfig;
import org.hashdb.server.api.ApiService;
import org.hashdb.server.api.Route;
import org.hashdb.server.logs.AccessLog;

/**
 * Bootstraps the server: warms its request path up in-process ({@link StartupWarmup}), binds
 * its two listeners, serves until {@link #stop()}. The public listener serves lookups and
 * health; the admin listener ({@code adminBind}:{@code adminPort}, loopback by default) serves
 * administration, replication, metrics and health, optionally over TLS with client
 * certificates. Each answers 404 on the other's routes. Both share the event loops, the limits
 * and deadlines of the settings and the body byte budget; each has its own connection counts, so
 * a flood of the public port cannot take the operators' connections. Uses epoll where available, NIO
 * otherwise. {@link #stop()} is graceful: it stops accepting, lets in-flight requests finish
 * (up to the configured grace period), closes the connections, waits for running writes, closes
 * the database (which flushes its log), the audit log and the access log.
 */
public final class HashDbServer implements Closeable {
  private static final System.Logger LOG = System.getLogger(HashDbServer.class.getName());
  /** The start-up warm-up gives up after this long (a very slow machine starts anyway). */
  static final long WARMUP_MAX_MILLIS = 15_000;

  private final ApiService api;
  private final AccessLog access; // owned: closed by stop()
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Channel serverChannel;
  private final Channel adminChannel;
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final InFlight inFlight = new InFlight();
  private final String transport;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private boolean stopping; // guarded by this

  private HashDbServer(ApiService api, AccessLog access)
      throws IOException, InterruptedException {
    this.api = api;
    this.access = access;
    ServerConfig c = api.config();
    boolean epoll = Epoll.isAvailable();
    transport = epoll ? "epoll" : "nio";
    boss = new MultiThreadIoEventLoopGroup(1,
        epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    workers = new MultiThreadIoEventLoopGroup(c.ioThreads(),
        epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    Class<? extends ServerChannel> channelClass =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    Channel bound = null;
    try {
      SslContext ssl = c.tls() ? sslContext(c.tlsCert(), c.tlsKey()).build() : null;
      SslContext adminSsl = c.adminTls() ? adminSslContext(c) : null;
      // before the port opens: the first clients meet a compiled request path
      StartupWarmup.run(api, ssl, c.warmupRequests(), WARMUP_MAX_MILLIS);
      BodyBudget budget = new BodyBudget(c.maxBodyBytesInFlight(), c.maxKeyBodyBytesInFlight());
      bound = bind(channelClass, new InetSocketAddress(c.bind(), c.port()),
          new HashDbServerInitializer(api, inFlight, access, ssl, channels, Route.Listener.PUBLIC,
              false, budget), "public");
      adminChannel = bind(channelClass, new InetSocketAddress(c.adminBind(), c.adminPort()),
          new HashDbServerInitializer(api, inFlight, access, adminSsl, channels,
              Route.Listener.ADMIN, c.adminClientCa() != null, budget), "admin");
      serverChannel = bound;
    } catch (IOException | InterruptedException | RuntimeException e) {
      if (bound != null) {
        bound.close().awaitUninterruptibly();
      }
      boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      throw e;
    }
  }

  private Channel bind(Class<? extends ServerChannel> channelClass, InetSocketAddress at,
      HashDbServerInitializer initializer, String which) throws IOException, InterruptedException {
    ServerConfig c = api.config();
    ServerBootstrap b = new ServerBootstrap()
        .group(boss, workers)
        .channel(channelClass)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        // above the high mark a connection is not read until its client takes the answers
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(
            c.writeBufferHighBytes() / 2, c.writeBufferHighBytes()))
        .childHandler(initializer);
    io.netty.channel.ChannelFuture f = b.bind(at).await();
    if (f.isSuccess()) {
      return f.channel();
    }
    Throwable e = f.cause(); // a BindException, thrown by Netty without being declared
    throw new IOException("cannot listen on " + at.getHostString() + " port " + at.getPort()
        + " (" + which + " listener): " + e.getMessage(), e);
  }

  /**
   * Binds and starts serving (the database may be handed to {@code api} later), with no access
   * log.
   */
  public static HashDbServer start(ApiService api) throws IOException, InterruptedException {
    return start(api, AccessLog.disabled());
  }

  /**
   * Binds and starts serving, logging every answered request to {@code access}; the server
   * closes {@code access} when it stops (also when it fails to start).
   */
  public static HashDbServer start(ApiService api, AccessLog access)
      throws IOException, InterruptedException {
    try {
      return new HashDbServer(api, access);
    } catch (IOException | InterruptedException | RuntimeException e) {
      access.close();
      throw e;
    }
  }

  /**
   * The admin listener's TLS: as the public one's; with {@code adminClientCa}, a client
   * certificate is required and checked by {@link ClientCertificateTrust}.
   */
  static SslContext adminSslContext(ServerConfig c) throws IOException {
    SslContextBuilder b = sslContext(c.adminTlsCert(), c.adminTlsKey());
    if (c.adminClientCa() != null) {
      b.clientAuth(ClientAuth.REQUIRE)
          .trustManager(ClientCertificateTrust.open(c.adminClientCa(), c.adminCrl()));
    }
    return b.build();
  }

  /** TLS 1.2 and 1.3 only, HTTP/2's cipher list (AEAD, forward secrecy), ALPN h2 and http/1.1. */
  static SslContextBuilder sslContext(Path cert, Path key) {
    return SslContextBuilder.forServer(cert.toFile(), key.toFile())
        .sslProvider(SslProvider.JDK)
        .protocols("TLSv1.3", "TLSv1.2")
        .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
        .applicationProtocolConfig(new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1));
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) serverChannel.localAddress();
  }

  public int port() {
    return address().getPort();
  }

  /** The admin listener's bound address. */
  public InetSocketAddress adminAddress() {
    return (InetSocketAddress) adminChannel.localAddress();
  }

  /** The admin listener's bound port (the real one when the config asked for 0). */
  public int adminPort() {
    return adminAddress().getPort();
  }

  /** {@code epoll} or {@code nio}. */
  public String transport() {
    return transport;
  }

  public ApiService api() {
    return api;
  }

  /** Requests begun and not yet answered. */
  public int inFlight() {
    return inFlight.count();
  }

  /** Graceful stop; idempotent; returns when everything is closed. */
  public void stop() {
    synchronized (this) {
      if (stopping) {
        awaitStopQuietly();
        return;
      }
      stopping = true;
    }
    long grace = api.config().shutdownGraceMillis();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(grace);
    try {
      inFlight.drain();
      serverChannel.close().syncUninterruptibly();
      adminChannel.close().syncUninterruptibly();
      while (inFlight.count() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      if (inFlight.count() > 0) {
        LOG.log(System.Logger.Level.WARNING, "shutdown: {0} requests still running after {1} ms",
            inFlight.count(), grace);
      }
      channels.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
      api.shutdown(Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      HashDatabase db = api.database();
      if (db != null) {
        db.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.ERROR, "closing the database failed: " + e.getMessage(), e);
    } finally {
      api.close();
      api.audit().close();
      access.close(); // after the connections: every answered request is in it
      workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      stopped.countDown();
    }
  }

  /** Blocks until {@link #stop()} has finished. */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  private void awaitStopQuietly() {
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
  }
}
