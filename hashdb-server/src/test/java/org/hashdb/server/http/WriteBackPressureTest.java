package org.hashdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.FullHttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WriteBackPressure} and the dispatcher: while the channel is not writable, reading
 * stops and decoded requests wait unanswered; once writable, they are answered in order.
 */
class WriteBackPressureTest {
  @TempDir Path dir;

  private static void writable(EmbeddedHttp h, boolean w) {
    h.ch.unsafe().outboundBuffer().setUserDefinedWritability(1, w);
    h.ch.runPendingTasks(); // the writability event is delivered as a task
  }

  @Test
  void notWritable_stopsReadingAndAnswering_resumesInOrder() throws Exception {
    try (EmbeddedHttp h = new EmbeddedHttp(dir, b -> {})) {
      writable(h, false);
      assertThat(h.ch.config().isAutoRead()).isFalse();
      h.send(EmbeddedHttp.get("/openapi.json", h.query) + EmbeddedHttp.get("/healthz", null)
          + EmbeddedHttp.get("/v1/hashes/md5/" + EmbeddedHttp.MD5, h.query));
      assertThat(h.responses(1, 300)).isEmpty();
      writable(h, true);
      assertThat(h.ch.config().isAutoRead()).isTrue();
      List<FullHttpResponse> rs = h.responses(3);
      assertThat(rs).extracting(r -> r.status().code()).containsExactly(200, 200, 200);
      assertThat(EmbeddedHttp.text(rs.get(0))).contains("\"openapi\"");
      assertThat(EmbeddedHttp.text(rs.get(1))).contains("\"ok\"");
      assertThat(EmbeddedHttp.text(rs.get(2))).contains("\"match\":true");
    }
  }

  @Test
  void becomingUnwritableMidBatch_holdsTheRest() throws Exception {
    try (EmbeddedHttp h = new EmbeddedHttp(dir, b -> {})) {
      // the first answer makes the channel unwritable (as a full socket would)
      h.ch.pipeline().addFirst(new io.netty.channel.ChannelOutboundHandlerAdapter() {
        private boolean first = true;

        @Override
        public void write(io.netty.channel.ChannelHandlerContext ctx, Object msg,
            io.netty.channel.ChannelPromise promise) {
          ctx.write(msg, promise);
          if (first) {
            first = false;
            writable(h, false);
          }
        }
      });
      h.send(EmbeddedHttp.get("/healthz", null).repeat(20));
      List<FullHttpResponse> rs = h.responses(20, 300);
      assertThat(rs).hasSize(1);
      rs.forEach(EmbeddedHttp::text);
      writable(h, true);
      rs = h.responses(19);
      assertThat(rs).hasSize(19);
      rs.forEach(EmbeddedHttp::text);
    }
  }
}
