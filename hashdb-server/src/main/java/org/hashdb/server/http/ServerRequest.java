package org.hashdb.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.hashdb.server.ApiException;
import org.hashdb.server.api.ApiRequest;
import org.hashdb.server.api.Route;
import org.hashdb.server.auth.ApiKey;

/**
 * One request as it travels down the stages: {@link ProtocolCheck} creates it from the codec's
 * head, {@link RouteAuthenticator} adds the route and key, {@link KeyBudgetCheck} may refuse
 * it, {@link BodyAggregator} attaches the body (or, for a streamed import, passes the body on
 * after it), {@link HashDbServerHandler} dispatches it and {@link ResponseWriter} writes its
 * {@link Answer}. A stage that refuses the request sets
 * {@link #reject}; later stages then pass it on untouched, and the dispatcher answers the
 * error in request order. Owned by one channel's event loop.
 */
final class ServerRequest {
  final HttpRequest http;
  final long startNanos; // when the head arrived: the latency clock of metrics and access log
  Route route; // null until routed (and for unmatched requests)
  ApiKey key; // null for key-free routes and unauthenticated requests
  ApiRequest api; // the view the API layer reads, set once the request passed routing
  ApiException rejection; // non-null: answer this error instead
  boolean close; // the connection closes after the answer (the codec cannot resync)
  boolean complete; // the whole body was read: no content follows this message
  boolean abandoned; // the client stopped sending: close right after the answer
  long bodyBytes; // body bytes received, kept or discarded
  boolean counted; // in the server's in-flight count: set by the dispatcher, cleared when answered
  private ByteBuf body; // aggregated body (JSON and binary routes)
  private BodyBudget budget; // where the body's bytes are reserved
  private long reserved; // bytes reserved in budget

  ServerRequest(HttpRequest http, long startNanos) {
    this.http = http;
    this.startNanos = startNanos;
  }

  /** Refuses the request with {@code e} (the first refusal wins). */
  ServerRequest reject(ApiException e, boolean closeConnection) {
    if (rejection == null) {
      rejection = e;
    }
    close |= closeConnection;
    return this;
  }

  ServerRequest reject(HttpResponseStatus status, String code, String message,
      boolean closeConnection) {
    return reject(new ApiException(status, code, message), closeConnection);
  }

  boolean rejected() {
    return rejection != null;
  }

  ByteBuf body() {
    return body;
  }

  void body(ByteBuf b) {
    body = b;
  }

  /** Records {@code n} bytes reserved in {@code b} for this request's body. */
  void reserved(BodyBudget b, long n) {
    budget = b;
    reserved += n;
  }

  /** Frees the body and its budget; idempotent. */
  void releaseBody() {
    if (body != null) {
      body.release();
      body = null;
    }
    if (budget != null && reserved > 0) {
      budget.release(key, reserved);
      reserved = 0;
    }
  }
}
