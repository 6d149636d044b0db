package org.hashdb.server.http;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2StreamChannel;
import org.hashdb.server.api.Route;
import org.hashdb.server.logs.AccessLog;

/**
 * What the access log needs of the request a channel is answering, gathered by {@link
 * ResponseWriter} when it is answered: only server-chosen names (method, route template) and
 * the key's public id, never the path, which may carry a queried hash. One per channel, event loop
 * only; does nothing while the log is off.
 */
final class AccessRecord {
  /** Access log name of each route: method and path template, never the path itself. */
  private static final String[] ROUTE_NAMES = routeNames();

  private final AccessLog log;
  private long requests; // request heads seen on this channel
  private String method; // a standard method's name or "OTHER"
  private String keyId; // the authenticated key's public id, else null
  private String userAgent;
  private String protocol;

  AccessRecord(AccessLog log) {
    this.log = log;
  }

  /** A request head arrived on {@code channel}. */
  void begin(Channel channel, HttpRequest req) {
    requests++;
    keyId = null;
    if (log.enabled()) {
      method = methodName(req.method());
      userAgent = req.headers().get(HttpHeaderNames.USER_AGENT);
      protocol = channel instanceof Http2StreamChannel ? "h2"
          : req.protocolVersion() == HttpVersion.HTTP_1_0 ? "http/1.0" : "http/1.1";
    }
  }

  /** The request's key was accepted. */
  void authenticated(String keyId) {
    this.keyId = keyId;
  }

  /**
   * The entry of the request answered with {@code status}, or null when the log is off; {@code
   * route} null when none matched.
   */
  AccessLog.Entry finish(Channel channel, long startNanos, Route route, int status,
      long requestBytes, long responseBytes) {
    if (!log.enabled()) {
      return null;
    }
    String connection;
    long number;
    if (channel instanceof Http2StreamChannel s) {
      connection = s.parent().id().asShortText();
      number = s.stream().id();
    } else {
      connection = channel.id().asShortText();
      number = requests;
    }
    return log.entry(startNanos)
        .connection(connection, number, channel.remoteAddress(), protocol)
        .request(method, route == null ? AccessLog.UNKNOWN_ROUTE : ROUTE_NAMES[route.ordinal()],
            keyId, userAgent)
        .response(status, requestBytes, responseBytes);
  }

  private static String[] routeNames() {
    Route[] routes = Route.values();
    String[] names = new String[routes.length];
    for (Route r : routes) {
      names[r.ordinal()] = r.method().name() + " " + r.template();
    }
    return names;
  }

  /** The method's name when it is a standard one: a client's own token is not logged. */
  private static String methodName(HttpMethod m) {
    return switch (m.name()) {
      case "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT" ->
          m.name();
      default -> "OTHER";
    };
  }
}
