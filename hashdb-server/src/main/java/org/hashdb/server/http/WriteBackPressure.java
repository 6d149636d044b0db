package org.hashdb.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Back-pressure on responses: while the channel's outbound buffer is above its high water mark
 * ({@code WriteBufferWaterMark}, {@code writeBufferHighBytes}) the channel is not read, so a
 * client that pipelines requests and never reads the answers stops its own requests; reading
 * resumes below the low mark. On an HTTP/1.1 connection, on an HTTP/2 connection (whose
 * buffer all streams share) and on each HTTP/2 stream (whose writability follows its flow
 * control window). The dispatcher also holds requests already decoded while the channel is
 * not writable. One instance per channel.
 */
final class WriteBackPressure extends ChannelInboundHandlerAdapter {
  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    update(ctx);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    update(ctx);
    super.channelWritabilityChanged(ctx);
  }

  private static void update(ChannelHandlerContext ctx) {
    ReadGate.of(ctx.channel()).set(ReadGate.WRITE, !ctx.channel().isWritable());
  }
}
