package org.hashdb.server.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * First stage of every accepted connection: caps the open connections in total
 * ({@code maxConnections}) and per remote address ({@code maxConnectionsPerAddress}). A
 * connection over a cap is closed at once, before a byte is read, so thousands of idle sockets
 * cost a file descriptor each for an instant rather than buffers for a minute. Sharable: one
 * instance per server.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
  private static final AttributeKey<InetAddress> COUNTED =
      AttributeKey.valueOf("hashdb.connectionCounted");

  private final int maxTotal;
  private final int maxPerAddress;
  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
  private final AtomicInteger refused = new AtomicInteger();

  ConnectionLimiter(int maxTotal, int maxPerAddress) {
    this.maxTotal = maxTotal;
    this.maxPerAddress = maxPerAddress;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    InetAddress addr = addressOf(ctx.channel().remoteAddress());
    if (!admit(addr)) {
      refused.incrementAndGet();
      ctx.close();
      return;
    }
    ctx.channel().attr(COUNTED).set(addr);
    super.channelActive(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    InetAddress addr = ctx.channel().attr(COUNTED).getAndSet(null);
    if (addr != null) {
      leave(addr);
      super.channelInactive(ctx);
    }
  }

  private boolean admit(InetAddress addr) {
    if (total.incrementAndGet() > maxTotal) {
      total.decrementAndGet();
      return false;
    }
    boolean[] admitted = new boolean[1];
    perAddress.compute(addr, (a, n) -> {
      int c = n == null ? 0 : n;
      if (c >= maxPerAddress) {
        return n;
      }
      admitted[0] = true;
      return c + 1;
    });
    if (!admitted[0]) {
      total.decrementAndGet();
    }
    return admitted[0];
  }

  private void leave(InetAddress addr) {
    total.decrementAndGet();
    perAddress.computeIfPresent(addr, (a, n) -> n <= 1 ? null : n - 1);
  }

  private static InetAddress addressOf(SocketAddress a) {
    if (a instanceof InetSocketAddress i && i.getAddress() != null) {
      return i.getAddress();
    }
    return InetAddress.getLoopbackAddress(); // embedded and local channels share one slot
  }

  /** Connections open now. */
  int open() {
    return total.get();
  }

  /** Connections refused since start. */
  int refused() {
    return refused.get();
  }
}
