package org.hashdb.client;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Sends idempotent requests with retries: connection failures, timeouts, 5xx and 429 are retried
 * under a {@link RetryPolicy} (backoff with jitter, at least the server's {@code Retry-After});
 * anything else completes at once. A future completes normally only with a 2xx response, and
 * otherwise exceptionally with the {@link HashDbException} subclass for the failure. Thread-safe;
 * waits between attempts use {@link CompletableFuture#delayedExecutor}, so no thread is held.
 */
final class RetryingSender {
  private final HttpClient http;
  private final RetryPolicy policy;

  public RetryingSender(HttpClient http, RetryPolicy policy) {
    this.http = http;
    this.policy = policy;
  }

  /** Sends {@code request} (which must be replayable), retrying as the policy allows. */
  public CompletableFuture<HttpResponse<byte[]>> send(HttpRequest request) {
    CompletableFuture<HttpResponse<byte[]>> result = new CompletableFuture<>();
    attempt(request, 1, result);
    return result;
  }

  private void attempt(HttpRequest request, int n, CompletableFuture<HttpResponse<byte[]>> result) {
    if (result.isDone()) { // cancelled by the caller while waiting
      return;
    }
    CompletableFuture<HttpResponse<byte[]>> call;
    try {
      call = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (RuntimeException e) { // e.g. the client was closed
      result.completeExceptionally(new HashDbException("cannot send " + describe(request) + ": " + e, e));
      return;
    }
    call.whenComplete(
        (response, error) -> {
          if (error != null) {
            Throwable cause = unwrap(error);
            if (!isRetryable(cause)) {
              result.completeExceptionally(
                  new HashDbException(describe(request) + " failed: " + cause, cause));
              return;
            }
            Duration delay = policy.delayBeforeRetry(n, null);
            if (delay == null) {
              result.completeExceptionally(
                  new ServerUnavailableException(
                      describe(request) + " failed after " + n + " attempt(s): " + cause, 0, null, cause));
            } else {
              retryLater(request, n, delay, result);
            }
            return;
          }
          int status = response.statusCode();
          if (status >= 200 && status < 300) {
            result.complete(response);
            return;
          }
          Duration retryAfter = retryAfter(response);
          HashDbException failure = map(request, response, retryAfter, n);
          if (isRetryable(status)) {
            Duration delay = policy.delayBeforeRetry(n, retryAfter);
            if (delay != null) {
              retryLater(request, n, delay, result);
              return;
            }
          }
          result.completeExceptionally(failure);
        });
  }

  private void retryLater(HttpRequest request, int n, Duration delay, CompletableFuture<HttpResponse<byte[]>> result) {
    CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS)
        .execute(() -> attempt(request, n + 1, result));
  }

  private static boolean isRetryable(int status) {
    return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
  }

  /** I/O failures (refused, reset, timed out) are worth another try; TLS failures are not. */
  private static boolean isRetryable(Throwable cause) {
    return cause instanceof IOException && !(cause instanceof SSLException);
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** Maps a non-2xx response to the exception the caller sees. */
  static HashDbException map(HttpRequest request, HttpResponse<byte[]> response, Duration retryAfter, int attempts) {
    int status = response.statusCode();
    JsonCodec.ErrorBody body = JsonCodec.decodeError(response.body());
    String code = body == null ? null : body.code();
    String detail = body != null ? body.message() : snippet(response.body());
    String message = describe(request) + ": HTTP " + status + (code == null ? "" : " " + code) + ": " + detail;
    if (status == 401) {
      return new AuthenticationException(message, code);
    }
    if (status == 403) {
      return new AuthorizationException(message, code);
    }
    if (status == 429) {
      return new RateLimitedException(message + " (after " + attempts + " attempt(s))", code, retryAfter);
    }
    if (status >= 500) {
      return new ServerUnavailableException(message + " (after " + attempts + " attempt(s))", status, code, null);
    }
    if (status >= 400) {
      return new InvalidRequestException(message, status, code);
    }
    return new HashDbException(message, status, code, null); // 1xx/3xx: not part of the API
  }

  /** {@code Retry-After} as delta-seconds or an HTTP date; null when absent or unreadable. */
  static Duration retryAfter(HttpResponse<?> response) {
    String v = response.headers().firstValue("Retry-After").orElse(null);
    if (v == null) {
      return null;
    }
    v = v.trim();
    try {
      long seconds = Long.parseLong(v);
      return seconds < 0 ? null : Duration.ofSeconds(seconds);
    } catch (NumberFormatException e) {
      try {
        Duration d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  private static String describe(HttpRequest request) {
    String path = request.uri().getRawPath();
    // Never echo a queried hash (the single-lookup path carries one): type only.
    if (path.startsWith("/v1/hashes/")) {
      int slash = path.indexOf('/', "/v1/hashes/".length());
      path = slash < 0 ? path : path.substring(0, slash) + "/...";
    }
    return request.method() + " " + path;
  }

  private static String snippet(byte[] body) {
    if (body == null || body.length == 0) {
      return "(empty body)";
    }
    String s = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
    return s.replaceAll("\\s+", " ");
  }
}
