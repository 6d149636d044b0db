package org.hashdb.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.NewEntry;
import org.hashdb.server.ServerConfig;
import org.hashdb.server.api.ApiService;
import org.hashdb.server.logs.AccessLog;
import org.hashdb.server.audit.AuditLog;
import org.hashdb.server.auth.KeyFile;
import org.hashdb.server.auth.KeyRing;
import org.hashdb.server.auth.Role;

/**
 * The request stages on an {@link EmbeddedChannel} with a small database (one MD5 on list
 * "l") and keys: a raw HTTP/1.1 client for the stage tests. Close it to release everything.
 */
final class EmbeddedHttp implements AutoCloseable {
  static final String MD5 = "0123456789abcdef0123456789abcdef";

  final ApiService api;
  final InFlight inFlight = new InFlight();
  final BodyBudget budget;
  final String query;
  final String admin;
  final String limited; // query key, 10 requests/s
  final EmbeddedChannel ch;
  private final EmbeddedChannel client =
      new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 24));

  EmbeddedHttp(Path dir, Consumer<ServerConfig.Builder> config) throws Exception {
    KeyFile kf = new KeyFile(dir);
    query = kf.create("q", Role.QUERY, null, 0);
    admin = kf.create("a", Role.ADMIN, null, 0);
    limited = kf.create("slow", Role.QUERY, null, 10);
    ServerConfig.Builder b = ServerConfig.builder();
    config.accept(b);
    api = new ApiService(b.build(), KeyRing.load(dir), AuditLog.disabled());
    HashDatabase db = HashDatabase.inMemory();
    db.add(List.of(new NewEntry(HashType.MD5, Hex.decode(HashType.MD5, MD5), "l", "c", "")));
    api.databaseReady(db);
    ServerConfig c = api.config();
    budget = new BodyBudget(c.maxBodyBytesInFlight(), c.maxKeyBodyBytesInFlight());
    List<ChannelHandler> hs = new ArrayList<>();
    hs.add(new io.netty.handler.codec.http.HttpServerCodec());
    hs.addAll(HashDbServerInitializer.requestStages(api, inFlight, AccessLog.disabled(), budget));
    ch = new EmbeddedChannel(hs.toArray(ChannelHandler[]::new));
  }

  void send(String raw) {
    ch.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1));
  }

  /** Runs the channel's tasks until {@code n} responses arrived or {@code millis} passed. */
  List<FullHttpResponse> responses(int n, long millis) throws InterruptedException {
    List<FullHttpResponse> out = new ArrayList<>();
    long deadline = System.currentTimeMillis() + millis;
    while (out.size() < n && System.currentTimeMillis() < deadline) {
      ch.runPendingTasks();
      ch.runScheduledPendingTasks();
      ByteBuf b;
      while ((b = ch.readOutbound()) != null) {
        client.writeInbound(b);
      }
      FullHttpResponse r;
      while ((r = client.readInbound()) != null) {
        out.add(r);
      }
      if (out.size() < n) {
        Thread.sleep(5);
      }
    }
    return out;
  }

  List<FullHttpResponse> responses(int n) throws InterruptedException {
    return responses(n, 10_000);
  }

  /** Runs scheduled tasks for {@code millis} (deadline ticks), collecting nothing. */
  void runFor(long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (System.currentTimeMillis() < deadline && ch.isOpen()) {
      ch.runPendingTasks();
      ch.runScheduledPendingTasks();
      Thread.sleep(10);
    }
  }

  static String text(FullHttpResponse r) {
    String s = r.content().toString(StandardCharsets.UTF_8);
    r.release();
    return s;
  }

  static String get(String path, String key) {
    return "GET " + path + " HTTP/1.1\r\nHost: t\r\n"
        + (key == null ? "" : "Authorization: Bearer " + key + "\r\n") + "\r\n";
  }

  @Override
  public void close() {
    ch.finishAndReleaseAll();
    client.finishAndReleaseAll();
    api.close();
  }
}
