package org.hashdb.server.http;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * Whether a channel reads, as the product of independent reasons to stop: the outbound buffer
 * above its high water mark ({@link #WRITE}), a request being answered by a worker
 * ({@link #WORK}), an import that cannot take more ({@link #IMPORT}). Each stage holds and
 * releases its own reason; reading resumes only when no reason is left. Event loop only.
 */
final class ReadGate {
  static final int WRITE = 1;
  static final int WORK = 2;
  static final int IMPORT = 4;

  private static final AttributeKey<ReadGate> KEY = AttributeKey.valueOf("hashdb.readGate");

  private final Channel channel;
  private int holds;

  private ReadGate(Channel channel) {
    this.channel = channel;
  }

  static ReadGate of(Channel ch) {
    ReadGate g = ch.attr(KEY).get();
    if (g == null) {
      g = new ReadGate(ch);
      ch.attr(KEY).set(g);
    }
    return g;
  }

  void set(int reason, boolean hold) {
    int before = holds;
    holds = hold ? holds | reason : holds & ~reason;
    if ((before == 0) != (holds == 0)) {
      channel.config().setAutoRead(holds == 0);
      if (holds == 0) {
        channel.read();
      }
    }
  }

  boolean held(int reason) {
    return (holds & reason) != 0;
  }

  /** True while any stage holds reading back: the client is not to blame for silence. */
  boolean paused() {
    return holds != 0;
  }
}
