package org.hashdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hashdb.server.ApiException;
import org.hashdb.server.api.FileBody;
import org.hashdb.server.api.Route;
import org.hashdb.server.logs.AccessLog;
import org.hashdb.server.metrics.ServerMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ResponseWriter} alone on an {@link EmbeddedChannel} (HTTP/1.1 encoder and chunked
 * writer before it, as in the server): every kind of answer, keep-alive and close, one flush
 * per read batch, and the request counted done exactly once.
 */
class ResponseWriterTest {
  @TempDir Path dir;
  private final InFlight inFlight = new InFlight();
  private final ServerMetrics metrics = new ServerMetrics(Route.metricNames(), () -> null);
  private final EmbeddedChannel ch = new EmbeddedChannel(new HttpResponseEncoder(),
      new ChunkedWriteHandler(), new ResponseWriter(metrics, inFlight, AccessLog.disabled()));
  private final EmbeddedChannel client =
      new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 20));

  @AfterEach
  void tearDown() {
    ch.finishAndReleaseAll();
    client.finishAndReleaseAll();
  }

  private ServerRequest request(HttpVersion version) {
    ServerRequest r = new ServerRequest(
        new DefaultFullHttpRequest(version, HttpMethod.GET, "/healthz"), System.nanoTime());
    r.route = Route.HEALTHZ;
    inFlight.begin();
    r.counted = true;
    return r;
  }

  private static FullHttpResponse ok(String body) {
    return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
        Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
  }

  private List<FullHttpResponse> received() {
    ch.runPendingTasks();
    ByteBuf b;
    while ((b = ch.readOutbound()) != null) {
      client.writeInbound(b);
    }
    List<FullHttpResponse> out = new ArrayList<>();
    FullHttpResponse r;
    while ((r = client.readInbound()) != null) {
      out.add(r);
    }
    return out;
  }

  private static String text(FullHttpResponse r) {
    String s = r.content().toString(StandardCharsets.UTF_8);
    r.release();
    return s;
  }

  @Test
  void keepAlive_contentLengthSet_noConnectionHeader_countedOnce() {
    ServerRequest r = request(HttpVersion.HTTP_1_1);
    ChannelFuture f = ch.write(new Answer(r, ok("{\"ok\":true}"), true));
    ch.flush();
    assertThat(f.isSuccess()).isTrue();
    List<FullHttpResponse> rs = received();
    assertThat(rs).hasSize(1);
    assertThat(rs.get(0).headers().get(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo("11");
    assertThat(rs.get(0).headers().contains(HttpHeaderNames.CONNECTION)).isFalse();
    assertThat(text(rs.get(0))).isEqualTo("{\"ok\":true}");
    assertThat(ch.isOpen()).isTrue();
    assertThat(inFlight.count()).isZero();
    assertThat(r.counted).isFalse();
    assertThat(metrics.scrape()).contains("route=\"healthz\",status=\"200\"");
  }

  @Test
  void notKeepAlive_connectionClose_closedAfterTheWrite() {
    ch.writeAndFlush(new Answer(request(HttpVersion.HTTP_1_1), ok("x"), false));
    List<FullHttpResponse> rs = received();
    assertThat(rs.get(0).headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
    rs.get(0).release();
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void http10KeepAlive_saysSo() {
    ch.writeAndFlush(new Answer(request(HttpVersion.HTTP_1_0), ok("x"), true));
    List<FullHttpResponse> rs = received();
    assertThat(rs.get(0).headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("keep-alive");
    rs.get(0).release();
    assertThat(ch.isOpen()).isTrue();
  }

  @Test
  void error_jsonBodyWithItsHeader() {
    ch.writeAndFlush(new Answer(request(HttpVersion.HTTP_1_1), new ApiException(
        HttpResponseStatus.TOO_MANY_REQUESTS, "rate_limited", "slow down", "Retry-After", "3"),
        true));
    FullHttpResponse r = received().get(0);
    assertThat(r.status().code()).isEqualTo(429);
    assertThat(r.headers().get("Retry-After")).isEqualTo("3");
    assertThat(text(r)).isEqualTo(
        "{\"error\":{\"code\":\"rate_limited\",\"message\":\"slow down\"}}");
    assertThat(metrics.scrape()).contains("status=\"429\"");
  }

  @Test
  void file_streamedInChunks_deletedAfter() throws Exception {
    Path f = dir.resolve("snapshot.bin");
    byte[] data = new byte[200_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) i;
    }
    Files.write(f, data);
    DefaultHttpResponse head =
        new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_LENGTH, data.length); // as the API sets it
    FileBody fb = new FileBody(head, f, true);
    ChannelFuture done = ch.writeAndFlush(new Answer(request(HttpVersion.HTTP_1_1), fb, true));
    List<FullHttpResponse> rs = received();
    assertThat(done.isSuccess()).isTrue();
    assertThat(rs).hasSize(1);
    assertThat(rs.get(0).headers().get(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo("200000");
    byte[] got = new byte[data.length];
    rs.get(0).content().readBytes(got);
    rs.get(0).release();
    assertThat(got).isEqualTo(data);
    assertThat(f).doesNotExist();
  }

  @Test
  void missingFile_failsTheWriteAndCloses_countedOnce() {
    FileBody fb = new FileBody(new DefaultHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.OK), dir.resolve("gone.bin"), true);
    ServerRequest r = request(HttpVersion.HTTP_1_1);
    ChannelFuture done = ch.writeAndFlush(new Answer(r, fb, true));
    assertThat(done.isDone() && !done.isSuccess()).isTrue();
    assertThat(ch.isOpen()).isFalse();
    assertThat(received()).isEmpty(); // not even the head: nothing half-written
    assertThat(inFlight.count()).isZero();
    assertThat(metrics.scrape()).contains("status=\"500\"");
  }

  @Test
  void answersWithinAReadBatch_flushedOnceAtReadComplete() {
    int[] flushes = {0};
    ch.pipeline().addFirst(new io.netty.channel.ChannelOutboundHandlerAdapter() {
      @Override
      public void flush(io.netty.channel.ChannelHandlerContext ctx) {
        flushes[0]++;
        ctx.flush();
      }
    });
    for (int i = 0; i < 3; i++) {
      ch.write(new Answer(request(HttpVersion.HTTP_1_1), ok("x"), true));
    }
    assertThat(received()).isEmpty();
    ch.pipeline().fireChannelReadComplete();
    ch.pipeline().fireChannelReadComplete(); // nothing new written: no second flush
    List<FullHttpResponse> rs = received();
    assertThat(rs).hasSize(3);
    rs.forEach(FullHttpResponse::release);
    assertThat(flushes[0]).isEqualTo(1);
  }
}
