package org.hashdb.server.api;

import org.hashdb.server.ApiException;

import static org.hashdb.server.api.ApiService.json;

import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.hashdb.server.metrics.ServerMetrics;
import org.hashdb.server.psi.PsiRequest;
import org.hashdb.server.psi.PsiService;

/**
 * The private lookup routes: {@code GET /v1/psi/config}, {@code POST /v1/psi/lookup} and
 * {@code POST /v1/admin/psi/rotate}. The body is parsed on the event loop (cheap, and the
 * buffer is released when {@code handle} returns); the curve arithmetic runs on the
 * {@link PsiService}'s pool. Blinded elements are never logged or kept. 404 while private
 * lookups are off. Thread-safe.
 */
final class PsiRoutes {
  private final Supplier<PsiService> psi;
  private final ServerMetrics metrics;
  private final Workers workers;

  PsiRoutes(Supplier<PsiService> psi, ServerMetrics metrics, Workers workers) {
    this.psi = psi;
    this.metrics = metrics;
    this.workers = workers;
  }

  private PsiService service() {
    PsiService s = psi.get();
    if (s == null) {
      throw new ApiException(HttpResponseStatus.NOT_FOUND, "not_found",
          "private lookups are not enabled on this server");
    }
    return s;
  }

  FullHttpResponse config(ApiRequest req) {
    PsiService s = service();
    return json(req.alloc(), HttpResponseStatus.OK, s::writeConfig);
  }

  /** Rate-limit tokens of one blinded query (the request's head took one of the first's). */
  static final int PRIVATE_QUERY_TOKENS = 4;

  CompletableFuture<FullHttpResponse> lookup(ApiRequest req) {
    PsiService s = service();
    LookupCodec.checkUtf8(req.body());
    PsiRequest q = PsiRequest.parse(LookupCodec.JSON, new ByteBufInputStream(req.body().duplicate()),
        s.settings().bucketBits(), s.settings().maxQueries());
    // a blinded query costs a scalar multiplication: charged like a PDQ search at distance 31
    LookupRoutes.chargeWork(req.key(), (long) q.size() * PRIVATE_QUERY_TOKENS - 1);
    return s.submit(q, req.key().filter(), answer -> {
      metrics.privateLookups(q.size());
      FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
          Unpooled.wrappedBuffer(answer.toJson()));
      r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
      return r;
    });
  }

  CompletableFuture<FullHttpResponse> rotate(ApiRequest req) {
    PsiService s = service();
    return workers.submit(() -> { // writes and fsyncs the key file: off the event loop
      String pk;
      try {
        pk = s.rotate();
      } catch (IllegalStateException e) {
        throw new ApiException(HttpResponseStatus.CONFLICT, "conflict", e.getMessage());
      }
      return json(req.alloc(), HttpResponseStatus.OK, g -> {
        g.writeStartObject();
        g.writeStringField("nextPublicKey", pk);
        g.writeStringField("status", "precomputing");
        g.writeEndObject();
      });
    });
  }
}
