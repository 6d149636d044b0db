package org.hashdb.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.CompletableFuture;
import org.hashdb.server.api.ImportJob;

/**
 * An import's body on its way to the worker that parses it: chunks are handed over as they
 * arrive (no aggregation), and reading pauses while the worker is behind ({@link
 * ReadGate#IMPORT}), resuming when it catches up. At most one import per channel at a time.
 * Event loop only, except the worker's resume callback, which hops back to it.
 */
final class ImportStream {
  private final ChannelHandlerContext ctx;
  private final ReadGate gate;
  private ImportJob job; // null: no import streaming

  ImportStream(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.gate = ReadGate.of(ctx.channel());
  }

  /** Starts streaming the body of the request to {@code j}. */
  void start(ImportJob j) {
    job = j;
    j.onResume(() -> ctx.executor().execute(() -> {
      if (job == j) {
        gate.set(ReadGate.IMPORT, false);
      }
    }));
  }

  boolean active() {
    return job != null;
  }

  /**
   * Hands the content's bytes to the worker (the caller still releases {@code c}); returns the
   * import's result once this was the last content, else null.
   */
  CompletableFuture<?> offer(HttpContent c) {
    if (c.content().isReadable() && !job.offer(c.content().retain())) {
      gate.set(ReadGate.IMPORT, true);
    }
    if (!(c instanceof LastHttpContent)) {
      return null;
    }
    job.finish();
    return job.result();
  }

  /** The result is in (or no longer wanted): reading no longer waits for the worker. */
  void done() {
    job = null;
    gate.set(ReadGate.IMPORT, false);
  }

  /** The client is gone or too slow: the worker drops what is queued and stops. */
  void abort() {
    if (job != null) {
      job.abort();
      done();
    }
  }
}
