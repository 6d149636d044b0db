package org.hashdb.server.api;

import org.hashdb.server.ApiException;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import org.hashdb.core.hash.HashFormatException;
import org.hashdb.core.hash.UnknownHashTypeException;
import org.hashdb.core.disk.DiskFullException;
import org.hashdb.core.db.CapacityExceededException;

/**
 * Maps any failure of a route (thrown on the event loop or completing a worker's future) to
 * the {@link ApiException} the client sees. One table for every route group and for the HTTP
 * layer, so that the same failure always gets the same status and error code; it is public
 * through {@link ApiService#toApiException}.
 */
final class ApiErrors {
  // The logger keeps ApiService's name, which this mapping had before it moved here: operators'
  // logging configuration names it.
  private static final System.Logger LOG = System.getLogger(ApiService.class.getName());

  private ApiErrors() {}

  /**
   * The API error for a failure: bad input is a 4xx with its code; a full disk or a full hash
   * type is 507; other storage trouble is 503; only a bug is 500 (and is logged).
   */
  static ApiException of(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof ApiException a) {
      return a;
    }
    if (t instanceof UnknownHashTypeException) {
      return ApiException.badRequest("unknown_hash_type", t.getMessage());
    }
    if (t instanceof HashFormatException) {
      return ApiException.badRequest("invalid_hash", t.getMessage());
    }
    if (t instanceof IllegalArgumentException) {
      return ApiException.invalidRequest(t.getMessage());
    }
    if (t instanceof RejectedExecutionException) {
      return new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable",
          "the server is busy; retry later", "Retry-After", "1");
    }
    if (DiskFullException.isDiskFull(t)) {
      // Nothing of the refused write was kept; writes resume by themselves once space is freed.
      LOG.log(System.Logger.Level.WARNING, "write refused, disk full: " + t.getMessage());
      return new ApiException(HttpResponseStatus.INSUFFICIENT_STORAGE, "insufficient_storage",
          "disk full: the write was refused and nothing of it was stored; lookups go on, and"
              + " writes are accepted again once space is freed");
    }
    if (t instanceof CapacityExceededException) {
      return new ApiException(HttpResponseStatus.INSUFFICIENT_STORAGE, "capacity_exceeded",
          t.getMessage());
    }
    if (t instanceof IOException || t instanceof UncheckedIOException) {
      LOG.log(System.Logger.Level.ERROR, "storage failure: " + t.getMessage(), t);
      return new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable",
          "storage failure: " + t.getMessage());
    }
    if (t instanceof UnsupportedOperationException) {
      return new ApiException(HttpResponseStatus.NOT_IMPLEMENTED, "not_implemented",
          String.valueOf(t.getMessage()));
    }
    if (t instanceof IllegalStateException && String.valueOf(t.getMessage()).contains("closed")) {
      return new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable",
          "the server is shutting down");
    }
    LOG.log(System.Logger.Level.ERROR, "internal error", t);
    return new ApiException(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal_error",
        "internal error");
  }
}
