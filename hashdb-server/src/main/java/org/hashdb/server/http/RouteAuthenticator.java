package org.hashdb.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.hashdb.server.ApiException;
import org.hashdb.server.api.ApiRequest;
import org.hashdb.server.api.Route;
import org.hashdb.server.auth.ApiKey;
import org.hashdb.server.auth.KeyRing;

/**
 * Routing and authentication: matches the route among those this listener serves (404 for the
 * others, as for an unknown path; 405 with {@code Allow}), checks the key of a route that needs
 * one (401 with {@code WWW-Authenticate}), that the client certificate names that key where the
 * listener asks for certificates (403), the key's role (403), and that a key limited to some
 * lists does not use a route acting on every list (403). Runs when the head arrives, so no body
 * byte of a refused request is ever kept. One instance per channel (stateless; cheap).
 */
final class RouteAuthenticator extends ChannelInboundHandlerAdapter {
  private final KeyRing keys;
  private final Route.Listener listener;
  private final boolean certificates; // the key must be the one the client certificate names

  RouteAuthenticator(KeyRing keys, Route.Listener listener, boolean certificates) {
    this.listener = listener;
    this.certificates = certificates;
    this.keys = keys;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ServerRequest r && !r.rejected()) {
      route(r, certificates ? ClientIdentity.commonName(ctx.channel()) : null);
    }
    ctx.fireChannelRead(msg);
  }

  /** Routes {@code r}; {@code certName} is the client certificate's CN (null: none). */
  void route(ServerRequest r, String certName) {
    String path = ApiRequest.pathOf(r.http.uri());
    Route route = Route.match(r.http.method(), path);
    if (route != null && !listener.serves(route)) {
      route = null;
    }
    if (route == null) {
      String allowed = Route.allowedMethods(path, listener);
      if (allowed != null) {
        r.reject(new ApiException(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
            r.http.method().name() + " is not allowed here (allowed: " + allowed + ")", "Allow",
            allowed), false);
      } else {
        r.reject(HttpResponseStatus.NOT_FOUND, "not_found", "no such resource", false);
      }
      return;
    }
    r.route = route;
    if (route.access() == null) {
      return;
    }
    ApiKey key = keys.authenticate(r.http.headers().get(HttpHeaderNames.AUTHORIZATION));
    if (key == null) {
      r.reject(new ApiException(HttpResponseStatus.UNAUTHORIZED, "unauthorized",
          "missing or unknown API key (Authorization: Bearer <key>)", "WWW-Authenticate",
          "Bearer"), false);
      return;
    }
    r.key = key;
    if (certificates && !key.name().equals(certName)) {
      r.reject(HttpResponseStatus.FORBIDDEN, "forbidden", "the client certificate is not the"
          + " one of key '" + key.name() + "' (its CN must be the key's name)", false);
    } else if (!route.access().allows(key.role())) {
      r.reject(HttpResponseStatus.FORBIDDEN, "forbidden", "the key '" + key.name() + "' (role "
          + key.role().apiName() + ") may not use this endpoint", false);
    } else if (route.coversAllLists() && key.lists() != null) {
      r.reject(HttpResponseStatus.FORBIDDEN, "forbidden", "the key '" + key.name()
          + "' is limited to some lists and this endpoint acts on every list", false);
    }
  }
}
