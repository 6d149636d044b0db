package org.hashdb.client;

import java.io.IOException;
import java.net.URI;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.net.ssl.SSLException;

/**
 * Sends idempotent requests with failover and retries. One attempt is a pass over the base URLs
 * (see {@link Endpoints} for the order): a connection failure, a timeout, a 502, 503 or 504, or
 * an answer behind the sequence already seen moves on to the next URL at once; a 429 or 500 ends
 * the pass (the same node is asked again: another one would not know better); any other status
 * completes at once (a 4xx never fails over). After a failed pass the {@link RetryPolicy} decides
 * whether and when to make another (backoff with jitter, at least the server's {@code
 * Retry-After}). With one URL this is exactly one request per attempt.
 *
 * <p>A future completes normally only with a 2xx response, and otherwise exceptionally with the
 * {@link HashDbException} subclass for the failure. Thread-safe; waits between passes use {@link
 * CompletableFuture#delayedExecutor}, so no thread is held.
 */
final class RetryingSender {
  /** The state list version a server answered at (API.md), when it says so. */
  static final String SEQUENCE_HEADER = "X-HashDB-Sequence";
  /** No sequence number: the server sent none. */
  static final long NO_SEQUENCE = -1;

  private final HttpClient http;
  private final RetryPolicy policy;
  private final Endpoints endpoints;
  private final AtomicLong highestSequence = new AtomicLong(NO_SEQUENCE);

  RetryingSender(HttpClient http, RetryPolicy policy, Endpoints endpoints) {
    this.http = http;
    this.policy = policy;
    this.endpoints = endpoints;
  }

  /** The highest sequence number any answer carried so far, or -1. */
  long highestSequence() {
    return highestSequence.get();
  }

  /**
   * Sends the request {@code build} makes for a base URL (without trailing slash); it must be
   * replayable, and is built again for each URL tried.
   */
  public CompletableFuture<HttpResponse<byte[]>> send(Function<URI, HttpRequest> build) {
    Call call = new Call(build, endpoints.size());
    pass(call);
    return call.result;
  }

  /** One request, its passes so far and what failed last. */
  private static final class Call {
    final Function<URI, HttpRequest> build;
    final CompletableFuture<HttpResponse<byte[]>> result = new CompletableFuture<>();
    final boolean[] tried;
    int pass;
    HashDbException lastFailure;
    Duration retryAfter;

    Call(Function<URI, HttpRequest> build, int urls) {
      this.build = build;
      this.tried = new boolean[urls];
    }
  }

  private void pass(Call call) {
    call.pass++;
    java.util.Arrays.fill(call.tried, false);
    call.retryAfter = null;
    next(call);
  }

  /** Tries the next URL of this pass, or ends the pass when every URL was tried. */
  private void next(Call call) {
    if (call.result.isDone()) { // cancelled by the caller while waiting
      return;
    }
    int i = endpoints.next(call.tried);
    if (i < 0) {
      endPass(call);
      return;
    }
    call.tried[i] = true;
    HttpRequest request = call.build.apply(endpoints.uri(i));
    long seen = highestSequence.get(); // an answer must reflect at least what was seen before sending
    CompletableFuture<HttpResponse<byte[]>> sent;
    try {
      sent = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (RuntimeException e) { // e.g. the client was closed
      call.result.completeExceptionally(new HashDbException("cannot send " + describe(request) + ": " + e, e));
      return;
    }
    sent.whenComplete((response, error) -> {
      if (error != null) {
        Throwable cause = unwrap(error);
        if (!isRetryable(cause)) {
          call.result.completeExceptionally(new HashDbException(describe(request) + " failed: " + cause, cause));
          return;
        }
        endpoints.failed(i);
        call.lastFailure = new ServerUnavailableException(
            describe(request) + " failed after " + call.pass + " attempt(s): " + cause, 0, null, cause);
        next(call);
        return;
      }
      int status = response.statusCode();
      if (status >= 200 && status < 300) {
        long sequence = sequenceOf(response);
        if (sequence != NO_SEQUENCE && sequence < seen) {
          endpoints.failed(i); // a node behind: try one that is not
          call.lastFailure = new StaleAnswerException(describe(request) + ": every server tried answered"
              + " behind what this client has seen (sequence " + sequence + " < " + seen + ", after "
              + call.pass + " attempt(s))", sequence, seen);
          next(call);
          return;
        }
        if (sequence != NO_SEQUENCE) {
          highestSequence.accumulateAndGet(sequence, Math::max);
        }
        endpoints.succeeded(i);
        call.result.complete(response);
        return;
      }
      Duration retryAfter = retryAfter(response);
      HashDbException failure = map(request, response, retryAfter, call.pass);
      if (status == 502 || status == 503 || status == 504) {
        endpoints.failed(i);
        call.lastFailure = failure;
        call.retryAfter = retryAfter;
        next(call);
      } else if (status == 429 || status == 500) {
        call.lastFailure = failure;
        call.retryAfter = retryAfter;
        endPass(call);
      } else {
        call.result.completeExceptionally(failure);
      }
    });
  }

  private void endPass(Call call) {
    Duration delay = policy.delayBeforeRetry(call.pass, call.retryAfter);
    if (delay == null) {
      call.result.completeExceptionally(call.lastFailure);
      return;
    }
    CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS).execute(() -> pass(call));
  }

  /** The {@value #SEQUENCE_HEADER} of a response, or {@link #NO_SEQUENCE} when absent or unreadable. */
  static long sequenceOf(HttpResponse<?> response) {
    String v = response.headers().firstValue(SEQUENCE_HEADER).orElse(null);
    if (v == null) {
      return NO_SEQUENCE;
    }
    try {
      long s = Long.parseLong(v.trim());
      return s < 0 ? NO_SEQUENCE : s;
    } catch (NumberFormatException e) {
      return NO_SEQUENCE;
    }
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
