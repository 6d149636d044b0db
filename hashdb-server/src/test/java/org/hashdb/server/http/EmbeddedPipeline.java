package org.hashdb.server.http;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.hashdb.server.api.ApiService;
import org.hashdb.server.logs.AccessLog;

/**
 * The one place tests build a connection's pipeline without a socket: the server's own
 * initializer (cleartext HTTP/1.1) on an {@link EmbeddedChannel}. Tests and fuzz targets go
 * through here only, so that they do not depend on the stages inside the pipeline.
 */
final class EmbeddedPipeline {
  private EmbeddedPipeline() {}

  /** A new connection; {@code inFlight} counts its requests that are not answered yet. */
  static EmbeddedChannel cleartext(ApiService api, InFlight inFlight) {
    return new EmbeddedChannel(new HashDbServerInitializer(api, inFlight, AccessLog.disabled(),
        null, new DefaultChannelGroup(GlobalEventExecutor.INSTANCE)));
  }
}
