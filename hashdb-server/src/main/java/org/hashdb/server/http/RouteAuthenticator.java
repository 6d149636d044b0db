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
 * Routing and authentication: matches the route (404, or 405 with {@code Allow}), checks the
 * key of a route that needs one (401 with {@code WWW-Authenticate}) and its role (403). Runs
 * when the head arrives, so no body byte of a refused request is ever kept. One instance per
 * channel (stateless; cheap).
 */
final class RouteAuthenticator extends ChannelInboundHandlerAdapter {
  private final KeyRing keys;

  RouteAuthenticator(KeyRing keys) {
    this.keys = keys;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ServerRequest r && !r.rejected()) {
      route(r);
    }
    ctx.fireChannelRead(msg);
  }

  void route(ServerRequest r) {
    String path = ApiRequest.pathOf(r.http.uri());
    Route route = Route.match(r.http.method(), path);
    if (route == null) {
      String allowed = Route.allowedMethods(path);
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
    if (!route.access().allows(key.role())) {
      r.reject(HttpResponseStatus.FORBIDDEN, "forbidden", "the key '" + key.name() + "' (role "
          + key.role().apiName() + ") may not use this endpoint", false);
    }
  }
}
